"""The vulnerability map of a region: its children (or its TPS) coloured by risk class."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from siaga.domain.regions import level_of
from siaga.domain.risk import UnitLevel
from siaga.i18n import label
from siaga.maps.svg import NO_DATA, BaseDrawing, MapFeature, draw_base
from siaga.risk.cache import ResultCache
from siaga.risk.export import CLASS_COLOURS
from siaga.risk.framework import Framework
from siaga.risk.report import CLASS_LABELS, ScoreRow
from siaga.services.risk import (
    Geometry,
    RiskError,
    ScoreMeta,
    cached,
    framework_key,
    geometries_for,
    score_table,
)
from siaga.store.tx import Tx

if TYPE_CHECKING:
    from siaga.services.events import EventView

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
    rows: list[ScoreRow]
    meta: ScoreMeta
    level: UnitLevel


def child_level(scope: str) -> UnitLevel:
    """Return the level of the units a map of `scope` shows ("" is the nation)."""
    return CHILD_LEVEL["national" if not scope else level_of(scope).value]


def risk_map(conn: Tx, framework: Framework, scope: str, *,
             as_of: datetime | None = None, width: float = 800,
             layers: Sequence[tuple[str, Sequence[MapFeature]]] = (),
             cache: ResultCache | None = None) -> RiskMap:
    """Return the map of `scope`'s children (TPS for a village), coloured by their class.

    `layers` (events, alerts, ...) are drawn as points on top. With a cache, the coloured
    shapes as of now are drawn once per revision of the index inputs; layers are drawn each time.
    """
    if as_of is not None:
        cache = None
    base, rows, meta, level = cached(
        cache, conn, ("map", framework_key(framework), scope, width),
        lambda: _draw(conn, framework, scope, as_of, width, cache))
    moment = (as_of or datetime.now(UTC)).isoformat(timespec="seconds")
    return RiskMap(base.svg(layers), rows, {**meta, "as_of": moment}, level)


def _draw(conn: Tx, framework: Framework, scope: str, as_of: datetime | None,
          width: float, cache: ResultCache | None
          ) -> tuple[BaseDrawing, list[ScoreRow], ScoreMeta, UnitLevel]:
    level = child_level(scope)
    rows, meta = score_table(conn, framework, level, scope, as_of=as_of, cache=cache)
    if not rows:
        raise RiskError(f"{scope or 'national'}: no scored units to map (is the scope loaded?)")
    shapes = geometries_for(conn, rows, level)
    if level is UnitLevel.TPS:
        shapes = _spread_points(shapes)
    features = [_feature(row, shapes.get(row["code"])) for row in rows]
    title = f"Peta kerawanan / Vulnerability map: {scope or 'nasional'}"
    names = _name_points(features) if level is UnitLevel.DISTRICT else []
    return draw_base(features, width=width, label=title, names=names), rows, meta, level


def _name_points(features: Sequence[MapFeature]) -> list[tuple[str, float, float]]:
    """Return each polygon's name at a point inside it (for the district names of a regency)."""
    from shapely.geometry import shape

    found = []
    for feature in features:
        if feature.geometry is not None and feature.geometry.get("type") != "Point":
            point = shape(feature.geometry).representative_point()
            found.append((feature.name, float(point.x), float(point.y)))
    return found


def _feature(row: ScoreRow, geometry: Geometry | None) -> MapFeature:
    klass = row["class"]
    title = (f"{row['name']} ({row['code']}): {row['score']:.1f}, {CLASS_LABELS[klass]}; "
             f"{row['indicators_occurred']} indikator / indicators")
    return MapFeature(row["code"], row["name"], geometry, CLASS_COLOURS.get(klass, NO_DATA),
                      title, f"cls-{klass}")


def _spread_points(shapes: dict[str, Geometry]) -> dict[str, Geometry]:
    by_place: dict[tuple[float, float], list[str]] = {}
    for code, shape in shapes.items():
        by_place.setdefault(tuple(shape["coordinates"][:2]), []).append(code)
    out: dict[str, Geometry] = {}
    for (lng, lat), codes in by_place.items():
        for i, code in enumerate(sorted(codes)):
            angle = 2 * math.pi * i / max(len(codes), 1)
            radius = 0 if len(codes) == 1 else _SPREAD_DEGREES
            out[code] = {"type": "Point", "coordinates": [lng + radius * math.cos(angle),
                                                          lat + radius * math.sin(angle)]}
    return out


def event_points(events: Sequence[EventView]) -> list[MapFeature]:
    """Return campaign events with coordinates as map points (their tooltip: camp, time, place)."""
    return [MapFeature(f"event-{e.id}", str(e.camp),
                       {"type": "Point", "coordinates": [e.lng, e.lat]}, "#1f5f99",
                       f"{e.camp} · {label('event_type', e.type)} · "
                       f"{e.start[:10]} {e.start[11:16]} {e.zone} · "
                       f"{e.region_name}", "event")
            for e in events if e.lat is not None and e.lng is not None]


def _centroids(conn: Tx, codes: Sequence[str]) -> dict[str, tuple[float, float, str]]:
    from siaga.store.events import region_points

    return {code: (lng, lat, name) for code, (name, lat, lng) in region_points(conn, codes).items()
            if lat is not None and lng is not None}


def signal_points(conn: Tx, scope: str, since: datetime) -> list[MapFeature]:
    """Return one point per place inside `scope` that recent signals name, sized by count.

    Each signal counts at its most specific confident region inside the scope.
    """
    from collections import Counter

    from siaga.store.explorer import SignalFilter, find_signals

    counts: Counter[str] = Counter()
    for found in find_signals(conn, SignalFilter(scope=scope, since=since, limit=2000)):
        inside = [r for r in found.regions or () if r["confidence"] >= 0.5
                  and (r["code"] == scope or r["code"].startswith(scope + "."))]
        if inside:
            counts[max(inside, key=lambda r: len(r["code"]))["code"]] += 1
    places = _centroids(conn, list(counts))
    return [MapFeature(f"signals-{code}", places[code][2],
                       {"type": "Point", "coordinates": list(places[code][:2])}, "#7d3c98",
                       f"{n} sinyal / signals · {places[code][2]}", "signal",
                       # Bigger with more signals, so a busy place stands out (and is not
                       # hidden under an event or alert dot at the same spot).
                       min(3 * math.sqrt(n), 12.0))
            for code, n in sorted(counts.items()) if code in places]


def alert_points(conn: Tx, scope: str) -> list[MapFeature]:
    """Return open alerts of `scope`'s regency as points at their region's centroid."""
    from siaga.store.alerts import list_alerts

    alerts = list_alerts(conn, scope, "open", 100)
    places = _centroids(conn, sorted({a.region_code for a in alerts}))
    return [MapFeature(f"alert-{a.id}", f"#{a.id}",
                       {"type": "Point", "coordinates": list(places[a.region_code][:2])},
                       "#c0392b", f"Peringatan / alert #{a.id}: {label('category', a.category)}, "
                       f"{a.observed} "
                       f"sinyal / signals · {places[a.region_code][2]}", "alert")
            for a in alerts if a.region_code in places]
