"""How every dashboard page is drawn: the Jinja environment, the page's language, the render
call that gives templates the signed-in user and the formatters; and what many pages list."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FunctionLoader, select_autoescape

from siaga import __version__
from siaga.domain.access import Permission, Principal
from siaga.domain.timezones import zone_of
from siaga.http.deps import siaga_of
from siaga.web.i18n import LANG_COOKIE, choose_language, helpers


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


def loaded_regencies(request: Request) -> list[dict[str, str]]:
    """Return the regencies whose TPS are loaded: code, name and province name."""
    return siaga_of(request).regions.loaded_regencies()


IANA_ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


def forum_zone(request: Request) -> tuple[str, str]:
    """Return the label and IANA name of the zone of the first loaded regency (WIB if none)."""
    regencies = loaded_regencies(request)
    label = str(zone_of(regencies[0]["code"] if regencies else "31").tzname(None))
    return label, IANA_ZONES[label]
