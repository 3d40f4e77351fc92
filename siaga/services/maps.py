"""The vulnerability map of a region: its children (or its TPS) coloured by risk class."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from siaga.domain.regions import level_of
from siaga.domain.risk import UnitLevel
from siaga.maps.svg import NO_DATA, MapFeature, render_svg
from siaga.risk.export import CLASS_COLOURS
from siaga.risk.framework import Framework
from siaga.risk.report import CLASS_LABELS
from siaga.services.risk import RiskError, geometries_for, score_table

CHILD_LEVEL = {"national": UnitLevel.PROVINCE, "province": UnitLevel.REGENCY,
               "regency": UnitLevel.DISTRICT, "district": UnitLevel.VILLAGE,
               "village": UnitLevel.TPS}
# TPS without their own coordinates sit at their village's centroid; on the map they are spread
# on a small circle around it (about 300 m) so each can be seen and clicked. Said in the tooltip.
_SPREAD_DEGREES = 0.003


@dataclass(frozen=True)
class RiskMap:
    """A drawn map with the rows behind it and what they mean."""

    svg: str
    rows: list[dict[str, Any]]
    meta: dict[str, Any]
    level: UnitLevel


def child_level(scope: str) -> UnitLevel:
    """Return the level of the units a map of `scope` shows ("" is the nation)."""
    return CHILD_LEVEL["national" if not scope else level_of(scope).value]


def risk_map(conn: Connection, framework: Framework, scope: str, *,
             as_of: datetime | None = None, width: float = 800,
             layers: Sequence[tuple[str, Sequence[MapFeature]]] = ()) -> RiskMap:
    """Return the map of `scope`'s children (TPS for a village), coloured by their class.

    `layers` (events, alerts, ...) are drawn as points on top.
    """
    level = child_level(scope)
    rows, meta = score_table(conn, framework, level, scope, as_of=as_of)
    if not rows:
        raise RiskError(f"{scope or 'national'}: no scored units to map (is the scope loaded?)")
    shapes = geometries_for(conn, rows, level)
    if level is UnitLevel.TPS:
        shapes = _spread_points(shapes)
    features = [_feature(row, shapes.get(row["code"])) for row in rows]
    label = f"Peta kerawanan / Vulnerability map: {scope or 'nasional'}"
    return RiskMap(render_svg(features, width=width, label=label, layers=layers), rows, meta,
                   level)


def _feature(row: dict[str, Any], geometry: dict[str, Any] | None) -> MapFeature:
    klass = row["class"]
    title = (f"{row['name']} ({row['code']}): {row['score']:.1f}, {CLASS_LABELS[klass]}; "
             f"{row['indicators_occurred']} indikator / indicators")
    return MapFeature(row["code"], row["name"], geometry, CLASS_COLOURS.get(klass, NO_DATA),
                      title, f"cls-{klass}")


def _spread_points(shapes: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_place: dict[tuple[float, float], list[str]] = {}
    for code, shape in shapes.items():
        by_place.setdefault(tuple(shape["coordinates"][:2]), []).append(code)
    out: dict[str, dict[str, Any]] = {}
    for (lng, lat), codes in by_place.items():
        for i, code in enumerate(sorted(codes)):
            angle = 2 * math.pi * i / max(len(codes), 1)
            radius = 0 if len(codes) == 1 else _SPREAD_DEGREES
            out[code] = {"type": "Point", "coordinates": [lng + radius * math.cos(angle),
                                                          lat + radius * math.sin(angle)]}
    return out


def event_points(events: Sequence[dict[str, Any]]) -> list[MapFeature]:
    """Return campaign events with coordinates as map points (their tooltip: camp, time, place)."""
    return [MapFeature(f"event-{e['id']}", str(e["camp"]),
                       {"type": "Point", "coordinates": [e["lng"], e["lat"]]}, "#1f5f99",
                       f"{e['camp']} · {e['type']} · {e['start'][:16]} {e['zone']} · "
                       f"{e['region_name']}", "event")
            for e in events if e.get("lat") is not None and e.get("lng") is not None]
