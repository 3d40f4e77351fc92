"""Scores as rows for people and other programs, and explanations of one unit's score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict, cast

import numpy as np

from siaga.domain.risk import UnitLevel
from siaga.risk.engine import CLASS_NAMES
from siaga.risk.index import RiskIndex

CLASS_LABELS = {"high": "tinggi / high", "medium": "sedang / medium", "low": "rendah / low"}


def units_within(index: RiskIndex, level: UnitLevel, scope: str) -> np.ndarray:
    """Return the indices of the units of `level` inside the region `scope` (dotted code).

    A TPS belongs where its current village does (its KPU code may carry an older village code).
    """
    hierarchy = index.hierarchy
    if level is UnitLevel.TPS:
        codes = hierarchy.units[UnitLevel.VILLAGE][hierarchy.leaf_unit[UnitLevel.VILLAGE]]
    else:
        codes = hierarchy.units[level]
    if not scope:
        return np.arange(codes.size)
    inside = (codes == scope) | np.char.startswith(codes, scope + ".")
    return np.flatnonzero(inside)


ScoreRow = TypedDict("ScoreRow", {
    "code": str, "name": str, "level": str, "score": float, "class": str,
    "indicators_occurred": int, "tps_rawan": int, "tps": int, "voters": int | None,
    "groups": dict[str, float], "change": NotRequired[float | None], "demo": bool})
"""One unit's score as a JSON record (the API's rows, the CSV and map exports)."""


def score_rows(index: RiskIndex, level: UnitLevel, scope: str, names: dict[str, str],
               *, demo: bool, baseline: RiskIndex | None = None) -> list[ScoreRow]:
    """Return one dict per unit of `level` in `scope`, highest score first.

    Each has code, name, level, score, class, indicators_occurred, tps_rawan, tps, voters (None
    when no TPS in the tree has a DPT figure),
    the score of each top-level group, the change since `baseline` when given, and demo.
    """
    units = units_within(index, level, scope)
    scores = index.levels[level]
    voters_known = index.hierarchy.weights_known > 0
    groups = {k: v[units] for k, v in index.group_scores(level).items()}
    tps = np.diff(np.r_[index.hierarchy.starts[level], index.hierarchy.size])[units]
    change = None
    if baseline is not None:
        change = scores.score[units] - baseline.levels[level].score[units]
    rows: list[ScoreRow] = []
    for n, unit in enumerate(units.tolist()):
        code = str(index.hierarchy.units[level][unit])
        row: dict[str, Any] = {
            "code": code, "name": names.get(code, ""), "level": level.value,
            "score": round(float(scores.score[unit]), 2),
            "class": CLASS_NAMES[int(scores.klass[unit])],
            "indicators_occurred": int(scores.occurred[unit]),
            "tps_rawan": int(scores.rawan[unit]), "tps": int(tps[n]),
            "voters": round(float(scores.weight[unit])) if voters_known else None,
            "groups": {g: round(float(v[n]), 2) for g, v in groups.items()},
        }
        if change is not None:
            row["change"] = round(float(change[n]), 2)
        row["demo"] = demo
        rows.append(cast(ScoreRow, row))  # the keys above are ScoreRow's
    rows.sort(key=lambda r: (-r["score"], r["code"]))
    return rows


@dataclass(frozen=True)
class Driver:
    """One indicator's part in a unit's score."""

    indicator: str
    name_id: str
    name_en: str
    group_path: tuple[str, ...]
    weight: float  # share of the whole score, 0..1
    exposure: float  # voter-weighted share of the unit's TPS where it applies, 0..1
    tps_affected: int
    points: float  # score points it adds
    mitigation_id: str
    mitigation_en: str


def drivers_of(index: RiskIndex, level: UnitLevel, unit: int) -> list[Driver]:
    """Return the indicators that raise one unit's score, biggest first."""
    means, affected = index.unit_profile(level, unit)
    found: list[Driver] = []
    for column, indicator_index in enumerate(index.raw.active.tolist()):
        if means[column] <= 0:
            continue
        ind = index.framework.indicators[indicator_index]
        points = 100.0 * ind.weight * float(means[column])
        found.append(Driver(ind.id, ind.name.id, ind.name.en, ind.path, ind.weight,
                            float(means[column]), int(affected[column]), points,
                            ind.mitigation.id if ind.mitigation else "",
                            ind.mitigation.en if ind.mitigation else ""))
    found.sort(key=lambda d: (-d.points, d.indicator))
    return found


def path_to_lower_class(score: float, drivers: list[Driver],
                        thresholds: tuple[float, float]) -> tuple[list[str], float] | None:
    """Return the fewest biggest drivers whose resolution drops the score a class, and the score.

    None when the unit is already in the lowest class.
    """
    medium, high = thresholds
    target = high if score >= high else medium if score >= medium else None
    if target is None:
        return None
    chosen: list[str] = []
    remaining = score
    for driver in drivers:
        if remaining < target:
            break
        chosen.append(driver.indicator)
        remaining -= driver.points
    return chosen, max(remaining, 0.0)
