"""Invented observations for the demo regencies, so that a fresh workspace shows a real-looking map.

Every observation made here has source ``demo`` and ``demo=True``; outputs carry that flag. The
pattern is seeded by the scope code, so the same workspace always gets the same demo.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

import numpy as np

from siaga.domain.risk import IndicatorKind, Observation, ObservationSource, UnitLevel
from siaga.risk.framework import Framework
from siaga.risk.hierarchy import Hierarchy

DEMO_EVIDENCE = "demo:siaga"
DEMO_NOTE = "DATA DEMO: contoh, bukan kejadian nyata / demo data, not real events"
_START = datetime(2024, 10, 1, 2, 0, tzinfo=UTC)
_DAYS = 56  # campaign weeks up to polling day, 27 November 2024


def _value(kind: IndicatorKind, cap: float, rng: np.random.Generator) -> float:
    if kind is IndicatorKind.BINARY:
        return 1.0
    if kind is IndicatorKind.COUNT:
        return float(rng.integers(1, int(cap) + 2))
    return float(rng.integers(1, 40))


def _when(rng: np.random.Generator) -> datetime:
    return _START + timedelta(days=int(rng.integers(0, _DAYS)), hours=int(rng.integers(0, 10)))


def demo_observations(framework: Framework, hierarchy: Hierarchy,
                      scope: str) -> list[Observation]:
    """Return the demo observations of `framework` for the TPS and regions of `hierarchy`."""
    rng = np.random.default_rng(zlib.crc32(f"{framework.id}:{scope}".encode()))
    districts = hierarchy.units[UnitLevel.DISTRICT]
    hot = set(rng.choice(districts, size=max(1, districts.size // 3), replace=False).tolist())
    village_of_leaf = hierarchy.units[UnitLevel.VILLAGE][hierarchy.leaf_unit[UnitLevel.VILLAGE]]
    made: list[Observation] = []

    def add(level: UnitLevel, code: str, count: int) -> None:
        picks = rng.choice(len(framework.indicators), size=count, replace=False)
        for pick in picks.tolist():
            ind = framework.indicators[pick]
            made.append(Observation(framework.id, ind.id, level, code,
                                    _value(ind.kind, ind.cap, rng), _when(rng),
                                    ObservationSource.DEMO, DEMO_EVIDENCE, True, DEMO_NOTE))

    if framework.template_level is UnitLevel.TPS:
        for tps, village in zip(hierarchy.leaf_codes.tolist(), village_of_leaf.tolist(),
                                strict=True):
            chance = 0.35 if village[:8] in hot else 0.06
            if rng.random() < chance:
                add(UnitLevel.TPS, tps, int(rng.integers(1, 5)))
        for village in hierarchy.units[UnitLevel.VILLAGE].tolist():
            if rng.random() < 0.04:
                add(UnitLevel.VILLAGE, village, 1)
        return made
    for district in districts.tolist():
        add(UnitLevel.DISTRICT, district, int(rng.integers(8, 22) if district in hot
                                              else rng.integers(0, 7)))
    for regency in hierarchy.units[UnitLevel.REGENCY].tolist():
        add(UnitLevel.REGENCY, regency, 3)
    return made
