"""Signing in over HTTP, shared by the login route and the login form: the checked login and
the session cookies it sets."""

from __future__ import annotations

from fastapi import HTTPException, Request, Response

from siaga.auth.passwords import new_token
from siaga.auth.throttle import LoginThrottled
from siaga.domain.access import Principal
from siaga.http.client import request_address
from siaga.http.deps import siaga_of
from siaga.http.security import CSRF_COOKIE, SESSION_COOKIE
from siaga.settings import Settings


def set_session_cookies(response: Response, token: str, settings: Settings) -> None:
    """Put the session and its CSRF companion into cookies (the session one unreadable by JS)."""
    age = int(settings.session_hours * 3600)
    response.set_cookie(SESSION_COOKIE, token, max_age=age, httponly=True, samesite="lax",
                        secure=settings.secure_cookies)
    response.set_cookie(CSRF_COOKIE, new_token(), max_age=age, httponly=False, samesite="strict",
                        secure=settings.secure_cookies)


def checked_login(request: Request, username: str, password: str
                  ) -> tuple[str, Principal] | None:
    """Return the session of a login (None: wrong credentials); 429 while throttled."""
    try:
        return siaga_of(request).users.login(username, password,
                                             address=request_address(request))
    except LoginThrottled as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}
                            ) from exc
