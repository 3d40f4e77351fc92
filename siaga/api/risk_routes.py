"""Vulnerability index over HTTP: frameworks, scores (JSON or GeoJSON), explanations, the map."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from siaga.application.errors import RiskError
from siaga.application.risk import DEFAULT_FRAMEWORK
from siaga.domain.access import Permission, Principal
from siaga.domain.risk import ObservationSource, UnitLevel
from siaga.http.deps import App, framework_of, scope_code
from siaga.http.encoded import rows_and_meta
from siaga.http.security import current_principal, secured
from siaga.risk.export import rows_to_geojson

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])


@router.get("/frameworks", **secured(Permission.VIEW_RISK))
def frameworks(siaga: App) -> list[dict[str, Any]]:
    """Return the frameworks: id, title, version, levels they score."""
    return [{"id": f.id, "title": f.title, "version": f.version, "source": f.source}
            for f in siaga.risk.frameworks().values()]


@router.get("/scores", **secured(Permission.VIEW_RISK))
def scores(request: Request, siaga: App, level: UnitLevel, scope: str = "national",
           framework: str = DEFAULT_FRAMEWORK, as_of: str | None = None,
           since: str | None = None,
           format: str = Query("json", pattern="^(json|geojson)$")) -> Any:
    """Return the score of every unit of `level` inside `scope`; GeoJSON carries the shapes."""
    chosen, code = framework_of(request, framework), scope_code(scope)
    try:
        moment, baseline = siaga.risk.moment(as_of, code), siaga.risk.moment(since, code)
        rows, meta, shapes = siaga.risk.scores(chosen, level, code, as_of=moment,
                                               since=baseline, shapes=format == "geojson")
        if format == "geojson":
            return Response(rows_to_geojson(rows, shapes, meta),
                            media_type="application/geo+json")
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(rows_and_meta(rows, meta), media_type="application/json")


@router.get("/explain/{code}", **secured(Permission.VIEW_RISK))
def explain(code: str, request: Request, siaga: App, framework: str = DEFAULT_FRAMEWORK,
            as_of: str | None = None) -> dict[str, Any]:
    """Return why a unit scores what it does: drivers, weights, evidence, what would lower it."""
    chosen = framework_of(request, framework)
    try:
        moment = siaga.risk.moment(as_of, code if "." in code else "")
        found = siaga.risk.explain(chosen, code, moment)
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    return found.to_dict()


class ObservationIn(BaseModel):
    """One indicator value entered in a form: where, what, how much, and the evidence."""

    unit: str = Field(min_length=2, max_length=20, description="region or TPS code")
    indicator: str = Field(min_length=1, max_length=64)
    value: str = Field(min_length=1, max_length=20, description="1/0, ya/tidak, or a number")
    evidence: str = Field(min_length=1, max_length=300, description="e.g. form:PKD-17 or a URL")
    observed_at: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=2_000)


@router.post("/observations", status_code=201, **secured(Permission.RECORD_OBSERVATIONS))
def observe(body: ObservationIn, request: Request, siaga: App,
            framework: str = DEFAULT_FRAMEWORK,
            principal: Principal = Depends(current_principal)) -> dict[str, str]:
    """Record one observation from a form (source `form`); it counts at once in the index."""
    chosen = framework_of(request, framework)
    note = f"{body.note or ''} [by {principal.username}]".strip()
    try:
        moment = siaga.risk.moment(body.observed_at, body.unit if "." in body.unit else "")
        outcome = siaga.risk.record(chosen, body.unit, body.indicator, body.value,
                                    source=ObservationSource.FORM, evidence=body.evidence,
                                    observed_at=moment, note=note)
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    if outcome != "recorded":
        raise HTTPException(409, outcome)
    return {"outcome": outcome, "unit": body.unit, "indicator": body.indicator}


@router.get("/map.svg", **secured(Permission.VIEW_RISK))
def map_svg(request: Request, siaga: App, scope: str, framework: str = DEFAULT_FRAMEWORK,
            as_of: str | None = None) -> Response:
    """Return the choropleth of `scope`'s children as SVG (TPS points for a village)."""
    chosen, code = framework_of(request, framework), scope_code(scope)
    try:
        drawn = siaga.maps.risk(chosen, code, as_of=siaga.risk.moment(as_of, code))
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(drawn.svg, media_type="image/svg+xml")
