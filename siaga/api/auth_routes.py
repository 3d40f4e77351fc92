"""Login, logout and "who am I" over the API; the dashboard's login form posts here too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from siaga.domain.access import Permission, Principal
from siaga.http.deps import App
from siaga.http.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    WrongCredentials,
    bearer_token,
    current_principal,
    secured,
)
from siaga.http.sessions import checked_login, set_session_cookies
from siaga.settings import Settings

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(BaseModel):
    """Credentials sent to log in."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class SessionOut(BaseModel):
    """A new session: the bearer token (also set as a cookie) and who it belongs to."""

    token: str
    username: str
    role: str
    agency: str | None
    expires_at: datetime


@router.post("/login", response_model=SessionOut, **secured(Permission.LOGIN),
             responses={429: {"description": "Too many failed logins; see Retry-After."}})
def login_route(body: LoginIn, request: Request, response: Response) -> SessionOut:
    """Check a username and password; answer a session token and set the session cookie.

    Failed logins are counted per account and per client address; past the limit the
    answer is 429 with Retry-After until the window has passed.
    """
    settings: Settings = request.app.state.settings
    found = checked_login(request, body.username, body.password)
    if found is None:
        raise WrongCredentials()
    token, principal = found
    set_session_cookies(response, token, settings)
    expires = datetime.now(UTC) + timedelta(hours=settings.session_hours)
    return SessionOut(token=token, username=principal.username or "", role=principal.role.value,
                      agency=principal.agency, expires_at=expires)


@router.post("/logout", status_code=204, **secured(Permission.VIEW_OWN_ACCOUNT))
def logout_route(request: Request, response: Response, siaga: App) -> None:
    """End the current session and clear its cookies."""
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    if token:
        siaga.users.logout(token)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


@router.get("/me", **secured(Permission.VIEW_OWN_ACCOUNT))
def me(principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Return the signed-in user's name, role, agency and what the role may do."""
    from siaga.domain.access import MATRIX

    return {"username": principal.username, "role": principal.role.value,
            "agency": principal.agency,
            "permissions": sorted(p.value for p, roles in MATRIX.items()
                                  if principal.role in roles)}
