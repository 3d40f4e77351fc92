"""Regions: one region's summary, its children, search by name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from siaga.domain.access import Permission
from siaga.domain.regions import Level
from siaga.http.deps import App, dotted
from siaga.http.security import secured

router = APIRouter(prefix="/api/v1/regions", tags=["regions"])


@router.get("", **secured(Permission.VIEW_REGIONS))
def search(siaga: App, q: str = Query(min_length=2, max_length=120),
           level: Level | None = None, limit: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:
    """Return regions whose name matches `q`, best first."""
    gazetteer = siaga.regions.gazetteer()
    if gazetteer is None:
        return []
    try:
        hits = gazetteer.search(q, limit=limit, level=level)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return [{"code": h.code, "name": h.name, "level": h.level.value,
             "parents": list(h.parent_names), "score": round(h.score, 1)} for h in hits]


@router.get("/{code}", **secured(Permission.VIEW_REGIONS))
def show(code: str, siaga: App) -> dict[str, Any]:
    """Return what Siaga knows of one region: names, counts, TPS, candidate pairs."""
    found = siaga.regions.summary(dotted(code))
    if found is None:
        raise HTTPException(404, f"Wilayah {code} tidak dikenal / Unknown region {code}")
    return dict(found)


@router.get("/{code}/children", **secured(Permission.VIEW_REGIONS))
def children(code: str, siaga: App) -> list[dict[str, Any]]:
    """Return the regions directly inside one region (code, name, level)."""
    return [dict(c) for c in siaga.regions.children(dotted(code))]
