"""The way in: the landing redirect, the tab icon, and the login form."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from importlib import resources

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from siaga.auth.passwords import new_token
from siaga.domain.access import PUBLIC, Permission, Principal
from siaga.http.security import LOGIN_CSRF_COOKIE, current_principal, secured
from siaga.http.sessions import checked_login, set_session_cookies
from siaga.web.i18n import LANG_COOKIE, choose_language, translator
from siaga.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/", **secured(Permission.HEALTH))
def home(principal: Principal = Depends(current_principal)) -> Response:
    """Send the forum's staff to its overview, others signed in to the map, the rest to log in."""
    if not principal.username:
        return RedirectResponse("/masuk", status_code=303)
    landing = "/forum" if principal.may(Permission.VIEW_CASES) else "/peta"
    return RedirectResponse(landing, status_code=303)


@router.get("/favicon.ico", **secured(Permission.HEALTH))
def favicon() -> Response:
    """Return the tab icon (an SVG: browsers take it whatever the name says)."""
    icon = resources.files("siaga.web").joinpath("static", "favicon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@router.get("/masuk", **secured(Permission.LOGIN))
def login_page(request: Request, next: str = "/") -> Response:
    """Show the login form, with the pre-session CSRF token in a cookie and in the form."""
    return login_form_page(request, next, None, None, 200)


def login_form_page(request: Request, next: str, username: str | None, error: str | None,
                    status: int, headers: Mapping[str, str] | None = None) -> Response:
    """Return the login form with a fresh pre-session CSRF token (cookie and hidden field).

    Without it, a page elsewhere could post the attacker's credentials to /masuk and sign the
    browser in as the attacker (login CSRF); the cookie is SameSite=Strict, so a cross-site
    post never carries it. The token lasts while its cookie does, so several tabs and a retry
    after a wrong password all work.
    """
    held = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    token = held if 20 <= len(held) <= 100 else new_token()
    page = render(request, "login.html", PUBLIC, next=_safe_next(next), username=username,
                  error=error, csrf=token)
    page.status_code = status
    page.headers.update(headers or {})
    page.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=2 * 3600, httponly=True,
                    samesite="strict", path="/masuk",
                    secure=request.app.state.settings.secure_cookies)
    return page


@router.post("/masuk", **secured(Permission.LOGIN))
def login_form(request: Request, username: str = Form(max_length=64),
               password: str = Form(max_length=256), next: str = Form("/"),
               csrf: str = Form("", max_length=100)) -> Response:
    """Check the form's credentials; on success set the session cookies and go on."""
    settings = request.app.state.settings
    t = translator(choose_language(None, request.cookies.get(LANG_COOKIE)))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf):
        return login_form_page(request, next, username, t(
            "Formulir masuk kedaluwarsa atau tidak dikirim dari halaman ini; silakan coba lagi.",
            "The login form expired or was not sent from this page; please try again."), 403)
    try:
        found = checked_login(request, username, password)
    except HTTPException as exc:  # throttled: the same page, with the wait and Retry-After
        return login_form_page(request, next, username, str(exc.detail), exc.status_code,
                               exc.headers)
    if found is None:
        return login_form_page(request, next, username, t(
            "Nama pengguna atau kata sandi salah.", "Wrong username or password."), 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/masuk")
    set_session_cookies(response, found[0], settings)
    return response


def _safe_next(target: str) -> str:
    # Only local paths: an open redirect after login would let a link send officers elsewhere.
    return target if target.startswith("/") and not target.startswith("//") else "/"


