"""Who is asking, and may they: session tokens from a cookie or a bearer header, per-route guards.

Every route declares one permission with `secured(...)`; the declaration is also written into the
OpenAPI schema as `x-permission`, which is what the route-by-role test walks.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Depends, HTTPException, Request, status

from siaga.domain.access import PUBLIC, Permission, Principal, Role, allowed
from siaga.http.deps import siaga_of

SESSION_COOKIE = "siaga_sesi"
CSRF_COOKIE = "siaga_csrf"
LOGIN_CSRF_COOKIE = "siaga_masuk"  # the login form's own token, before any session
CSRF_HEADER = "x-siaga-csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(HTTPException):
    """The public asked for something that needs an account."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_401_UNAUTHORIZED,
                         "Perlu masuk / Login required",
                         headers={"WWW-Authenticate": "Bearer"})


class WrongCredentials(HTTPException):
    """A login with a wrong username or password (which of the two is never said)."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_401_UNAUTHORIZED,
                         "Nama pengguna atau kata sandi salah / Wrong username or password")


class Forbidden(HTTPException):
    """A signed-in user asked for something their role does not allow."""

    def __init__(self, detail: str = "Tidak diizinkan untuk peran ini / Not allowed for this role"
                 ) -> None:
        super().__init__(status.HTTP_403_FORBIDDEN, detail)


def bearer_token(request: Request) -> str | None:
    """Return the token of an `Authorization: Bearer` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal(request: Request) -> Principal:
    """Return who holds the request's session (bearer header first, then cookie), or PUBLIC."""
    bearer = bearer_token(request)
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if not token:
        return PUBLIC
    found = siaga_of(request).users.principal(token)
    if found is None:
        return PUBLIC
    if bearer is None and request.method not in SAFE_METHODS:
        _check_csrf(request)
    return found


def _check_csrf(request: Request) -> None:
    # A cookie travels with any cross-site form post; the double-submit token does not.
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not secrets.compare_digest(cookie, header):
        raise Forbidden("Token CSRF tidak cocok / CSRF token missing or wrong")


async def _public() -> Principal:
    # A coroutine: a route open to all pays no thread-pool hop for its guard.
    return PUBLIC


def guard(permission: Permission) -> Any:
    """Return a dependency that yields the principal or refuses with 401 (public) or 403.

    A permission the public holds needs no look-up of who is asking (nor a CSRF check): such a
    route resolves the principal itself when it cares.
    """
    if allowed(Role.PUBLIC, permission):
        return Depends(_public)

    def check(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.may(permission):
            return principal
        raise LoginRequired() if principal.username is None else Forbidden()

    return Depends(check)


def secured(permission: Permission) -> dict[str, Any]:
    """Return route keyword arguments that enforce and document one permission."""
    return {"dependencies": [guard(permission)],
            "openapi_extra": {"x-permission": permission.value}}


def permission_of(route: Any) -> Permission | None:
    """Return the permission a route declared with `secured`, or None."""
    extra = getattr(route, "openapi_extra", None) or {}
    value = extra.get("x-permission")
    return Permission(value) if value else None
