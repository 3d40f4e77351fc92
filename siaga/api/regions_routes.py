"""Regions: one region's summary, its children, search by name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from sqlalchemy import select

from siaga.api.security import secured, store_of
from siaga.domain.access import Permission
from siaga.domain.regions import Level, RegionCodeError, normalize_code
from siaga.regions.search import Gazetteer
from siaga.store.gazetteer import load_gazetteer
from siaga.store.queries import region_summary
from siaga.store.schema import regions

router = APIRouter(prefix="/api/v1/regions", tags=["regions"])


def dotted(code: str) -> str:
    """Return the dotted code, or raise a 422 saying what a code looks like."""
    try:
        return normalize_code(code)
    except RegionCodeError as exc:
        raise HTTPException(422, str(exc)) from exc


def _gazetteer(request: Request) -> Gazetteer | None:
    # Built once per app: 90,000 names take seconds to index and change only on `siaga init`.
    state = request.app.state
    if getattr(state, "gazetteer", None) is None:
        with store_of(request).engine.connect() as conn:
            state.gazetteer = load_gazetteer(conn)
    found: Gazetteer | None = state.gazetteer
    return found


@router.get("", **secured(Permission.VIEW_REGIONS))
def search(request: Request, q: str = Query(min_length=2, max_length=120),
           level: Level | None = None, limit: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:
    """Return regions whose name matches `q`, best first."""
    gazetteer = _gazetteer(request)
    if gazetteer is None:
        return []
    try:
        hits = gazetteer.search(q, limit=limit, level=level)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return [{"code": h.code, "name": h.name, "level": h.level.value,
             "parents": list(h.parent_names), "score": round(h.score, 1)} for h in hits]


@router.get("/{code}", **secured(Permission.VIEW_REGIONS))
def show(code: str, request: Request) -> dict[str, Any]:
    """Return what Siaga knows of one region: names, counts, TPS, candidate pairs."""
    with store_of(request).engine.connect() as conn:
        found = region_summary(conn, dotted(code))
    if found is None:
        raise HTTPException(404, f"Wilayah {code} tidak dikenal / Unknown region {code}")
    return found


@router.get("/{code}/children", **secured(Permission.VIEW_REGIONS))
def children(code: str, request: Request) -> list[dict[str, Any]]:
    """Return the regions directly inside one region (code, name, level)."""
    parent = dotted(code)
    query = select(regions.c.code, regions.c.name, regions.c.level).where(
        regions.c.parent_code == parent).order_by(regions.c.code)
    with store_of(request).engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
