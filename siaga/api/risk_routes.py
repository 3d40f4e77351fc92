"""Vulnerability index over HTTP: frameworks, scores (JSON or GeoJSON), explanations, the map."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from siaga.api.regions_routes import dotted
from siaga.api.security import current_principal, secured, store_of
from siaga.domain.access import Permission, Principal
from siaga.domain.risk import ObservationSource, UnitLevel
from siaga.risk.cache import ResultCache
from siaga.risk.export import rows_to_geojson
from siaga.risk.framework import Framework, FrameworkError, get_framework, load_frameworks
from siaga.services import risk as service
from siaga.services.maps import risk_map

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])
DEFAULT_FRAMEWORK = "tps-rawan-pilkada-2024"


def framework_of(request: Request, framework_id: str) -> Framework:
    """Return the framework by id (shipped or the user's), or answer 404 listing known ids."""
    try:
        return get_framework(framework_id, request.app.state.settings.home / "frameworks")
    except FrameworkError as exc:
        raise HTTPException(404, str(exc)) from exc


def risk_cache(request: Request) -> ResultCache:
    """Return the app's cache of index results (see siaga.risk.cache)."""
    found: ResultCache = request.app.state.risk_cache
    return found


def _scope(scope: str) -> str:
    return "" if scope in ("", "national", "nasional") else dotted(scope)


@router.get("/frameworks", **secured(Permission.VIEW_RISK))
def frameworks(request: Request) -> list[dict[str, Any]]:
    """Return the frameworks: id, title, version, levels they score."""
    found = load_frameworks(request.app.state.settings.home / "frameworks")
    return [{"id": f.id, "title": f.title, "version": f.version, "source": f.source}
            for f in found.values()]


@router.get("/scores", **secured(Permission.VIEW_RISK))
def scores(request: Request, level: UnitLevel, scope: str = "national",
           framework: str = DEFAULT_FRAMEWORK, as_of: str | None = None,
           since: str | None = None,
           format: str = Query("json", pattern="^(json|geojson)$")) -> Any:
    """Return the score of every unit of `level` inside `scope`; GeoJSON carries the shapes."""
    chosen, code = framework_of(request, framework), _scope(scope)
    try:
        moment, baseline = service.moment_of(as_of, code), service.moment_of(since, code)
        with store_of(request).engine.connect() as conn:
            rows, meta = service.score_table(conn, chosen, level, code, as_of=moment,
                                             since=baseline, cache=risk_cache(request))
            if format == "geojson":
                shapes = service.geometries_for(conn, rows, level)
                return Response(rows_to_geojson(rows, shapes, meta),
                                media_type="application/geo+json")
    except service.RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"meta": meta, "rows": json.loads(json.dumps(rows, default=str))}


@router.get("/explain/{code}", **secured(Permission.VIEW_RISK))
def explain(code: str, request: Request, framework: str = DEFAULT_FRAMEWORK,
            as_of: str | None = None) -> dict[str, Any]:
    """Return why a unit scores what it does: drivers, weights, evidence, what would lower it."""
    chosen = framework_of(request, framework)
    try:
        with store_of(request).engine.connect() as conn:
            moment = service.moment_of(as_of, code if "." in code else "")
            return service.explain(conn, chosen, code, moment, cache=risk_cache(request))
    except service.RiskError as exc:
        raise HTTPException(422, str(exc)) from exc


class ObservationIn(BaseModel):
    """One indicator value entered in a form: where, what, how much, and the evidence."""

    unit: str = Field(min_length=2, max_length=20, description="region or TPS code")
    indicator: str = Field(min_length=1, max_length=64)
    value: str = Field(min_length=1, max_length=20, description="1/0, ya/tidak, or a number")
    evidence: str = Field(min_length=1, max_length=300, description="e.g. form:PKD-17 or a URL")
    observed_at: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=2_000)


@router.post("/observations", status_code=201, **secured(Permission.RECORD_OBSERVATIONS))
def observe(body: ObservationIn, request: Request, framework: str = DEFAULT_FRAMEWORK,
            principal: Principal = Depends(current_principal)) -> dict[str, str]:
    """Record one observation from a form (source `form`); it counts at once in the index."""
    chosen = framework_of(request, framework)
    note = f"{body.note or ''} [by {principal.username}]".strip()
    try:
        moment = service.moment_of(body.observed_at, body.unit if "." in body.unit else "")
        with store_of(request).engine.begin() as conn:
            outcome = service.record_observation(
                conn, chosen, body.unit, body.indicator, body.value,
                source=ObservationSource.FORM, evidence=body.evidence, observed_at=moment,
                note=note)
    except service.RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    if outcome != "recorded":
        raise HTTPException(409, outcome)
    return {"outcome": outcome, "unit": body.unit, "indicator": body.indicator}


@router.get("/map.svg", **secured(Permission.VIEW_RISK))
def map_svg(request: Request, scope: str, framework: str = DEFAULT_FRAMEWORK,
            as_of: str | None = None) -> Response:
    """Return the choropleth of `scope`'s children as SVG (TPS points for a village)."""
    chosen, code = framework_of(request, framework), _scope(scope)
    try:
        with store_of(request).engine.connect() as conn:
            drawn = risk_map(conn, chosen, code, as_of=service.moment_of(as_of, code),
                             cache=risk_cache(request))
    except service.RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(drawn.svg, media_type="image/svg+xml")
