"""The risk map pages: the monitored regencies, and one region's choropleth with its layers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from siaga.application.errors import RiskError
from siaga.application.risk import DEFAULT_FRAMEWORK
from siaga.domain.access import Permission, Principal
from siaga.domain.regions import ancestors_of
from siaga.http.deps import App, dotted, framework_of
from siaga.http.security import current_principal, secured
from siaga.i18n import label as label_of
from siaga.web.rendering import loaded_regencies, page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/peta", **secured(Permission.VIEW_RISK))
def monitored(request: Request, framework: str = DEFAULT_FRAMEWORK,
              principal: Principal = Depends(current_principal)) -> Response:
    """List the regencies loaded in the workspace, each linking to its map."""
    return render(request, "regions.html", principal, regencies=loaded_regencies(request),
                  framework=framework, active="map")


@router.get("/peta/{code}", **secured(Permission.VIEW_RISK))
def map_page(code: str, request: Request, siaga: App, framework: str = DEFAULT_FRAMEWORK,
             principal: Principal = Depends(current_principal)) -> Response:
    """Show the choropleth of one region's children with ranking and explanations."""
    scope, chosen = dotted(code), framework_of(request, framework)
    try:
        drawn = siaga.maps.risk(chosen, scope, layered=True)
    except RiskError as exc:
        raise HTTPException(404, str(exc)) from exc
    path = [*reversed(ancestors_of(scope)), scope]
    names = siaga.regions.names(path)
    lang = page_lang(request)
    counts = {k: sum(1 for r in drawn.rows if r["class"] == k) for k in ("high", "medium", "low")}
    label = label_of("level", drawn.level.value, lang)
    return render(
        request, "map.html", principal, active="map", scope=scope,
        scope_name=names.get(scope, scope), crumbs=[(c, names.get(c, c)) for c in path],
        framework=chosen.id, frameworks=list(siaga.risk.frameworks().values()),
        svg=Markup(drawn.svg), rows=drawn.rows, meta=drawn.meta, counts=counts,
        level=drawn.level.value, level_label=label, drill=drawn.level.value != "tps",
        indicators=chosen.indicators)
