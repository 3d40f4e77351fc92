"""The dashboard's server-rendered pages: login, monitored regions, the risk map, status."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select

from siaga import __version__
from siaga.api.auth_routes import checked_login, set_session_cookies
from siaga.api.regions_routes import dotted
from siaga.api.risk_routes import DEFAULT_FRAMEWORK, framework_of, risk_cache
from siaga.api.security import LOGIN_CSRF_COOKIE, current_principal, secured, store_of
from siaga.auth.passwords import new_token
from siaga.domain.access import PUBLIC, Permission, Principal
from siaga.domain.regions import ancestors_of
from siaga.i18n import label as label_of
from siaga.risk.framework import load_frameworks
from siaga.services.maps import alert_points, event_points, risk_map, signal_points
from siaga.services.risk import RiskError
from siaga.store.queries import loaded_scope
from siaga.store.schema import regions
from siaga.web.i18n import LANG_COOKIE, choose_language, helpers, translator

router = APIRouter(include_in_schema=False)


def _load_template(name: str) -> str:
    return resources.files("siaga.web").joinpath("templates", name).read_text("utf-8")


def template_env() -> Environment:
    """Return the Jinja environment of the dashboard (autoescaped HTML)."""
    env = Environment(loader=FunctionLoader(_load_template), autoescape=select_autoescape(["html"]))
    env.globals["version"] = __version__
    return env


def page_lang(request: Request) -> str:
    """Return the language of the page asked for: 'id' or 'en'."""
    return choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def render(request: Request, name: str, principal: Principal, **context: Any) -> HTMLResponse:
    """Return a page in the request's language; remember an explicit language choice."""
    lang = choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(
        lang=lang, user=principal if principal.username else None,
        may=lambda p: principal.may(Permission(p)), **helpers(lang), **context)
    response = HTMLResponse(html)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


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


def loaded_regencies(request: Request) -> list[dict[str, str]]:
    """Return the regencies whose TPS are loaded: code, name and province name."""
    with store_of(request).engine.connect() as conn:
        scope = loaded_scope(conn, "polling-stations")
        codes = [] if scope is None else [c for c in scope.codes if c.count(".") == 1]
        found = {r.code: r.name for r in conn.execute(
            select(regions.c.code, regions.c.name).where(
                regions.c.code.in_(codes + [c[:2] for c in codes])))}
    return [{"code": c, "name": found.get(c, c), "province": found.get(c[:2], c[:2])}
            for c in codes]


IANA_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def forum_zone(request: Request) -> tuple[str, str]:
    """Return the label and IANA name of the zone of the first loaded regency (WIB if none)."""
    from siaga.domain.timezones import zone_of

    regencies = loaded_regencies(request)
    label = str(zone_of(regencies[0]["code"] if regencies else "31").tzname(None))
    return label, IANA_ZONES[label]


@router.get("/peta", **secured(Permission.VIEW_RISK))
def monitored(request: Request, framework: str = DEFAULT_FRAMEWORK,
              principal: Principal = Depends(current_principal)) -> Response:
    """List the regencies loaded in the workspace, each linking to its map."""
    return render(request, "regions.html", principal, regencies=loaded_regencies(request),
                  framework=framework, active="map")


@router.get("/peta/{code}", **secured(Permission.VIEW_RISK))
def map_page(code: str, request: Request, framework: str = DEFAULT_FRAMEWORK,
             principal: Principal = Depends(current_principal)) -> Response:
    """Show the choropleth of one region's children with ranking and explanations."""
    from siaga.services.events import list_events

    scope, chosen = dotted(code), framework_of(request, framework)
    try:
        with store_of(request).engine.connect() as conn:
            now = datetime.now(UTC)
            events = list_events(conn, scope, since=now - timedelta(days=1))
            layers = [("signals", signal_points(conn, scope, now - timedelta(days=7))),
                      ("alerts", alert_points(conn, scope)),
                      ("events", event_points(events))]
            drawn = risk_map(conn, chosen, scope, layers=layers, cache=risk_cache(request))
            path = [*reversed(ancestors_of(scope)), scope]
            names = dict(conn.execute(select(regions.c.code, regions.c.name).where(
                regions.c.code.in_(path))).all())
    except RiskError as exc:
        raise HTTPException(404, str(exc)) from exc
    lang = choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    counts = {k: sum(1 for r in drawn.rows if r["class"] == k) for k in ("high", "medium", "low")}
    label = label_of("level", drawn.level.value, lang)
    return render(
        request, "map.html", principal, active="map", scope=scope,
        scope_name=names.get(scope, scope), crumbs=[(c, names.get(c, c)) for c in path],
        framework=chosen.id, frameworks=list(load_frameworks(
            request.app.state.settings.home / "frameworks").values()),
        svg=Markup(drawn.svg), rows=drawn.rows, meta=drawn.meta, counts=counts,
        level=drawn.level.value, level_label=label, drill=drawn.level.value != "tps",
        indicators=chosen.indicators)
