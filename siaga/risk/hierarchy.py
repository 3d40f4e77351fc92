"""The unit tree that scores roll up: TPS (leaves) → village → district → regency → province.

Leaves are sorted by village code then TPS code, so every unit at every level owns one contiguous
run of leaves. That makes each aggregation one ``np.add.reduceat`` and each update a slice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.domain.risk import LEVEL_ORDER, UnitLevel

# Characters of a dotted village code that name each ancestor ("15.02.01.2001").
_PREFIX = {UnitLevel.PROVINCE: 2, UnitLevel.REGENCY: 5, UnitLevel.DISTRICT: 8,
           UnitLevel.VILLAGE: 13}
REGION_LEVELS = LEVEL_ORDER[:-1]


class HierarchyError(ValueError):
    """Input that cannot form a unit tree (no TPS, malformed village codes)."""


def _weights(voters: np.ndarray) -> np.ndarray:
    """Return positive TPS weights: the DPT where known, else the mean of the known ones (or 1)."""
    weights = np.asarray(voters, dtype=np.float64).copy()
    known = np.isfinite(weights) & (weights > 0)
    fill = float(weights[known].mean()) if known.any() else 1.0
    weights[~known] = fill
    return weights


@dataclass(frozen=True)
class Hierarchy:
    """Sorted leaves with, for every level, the unit codes and each leaf's unit index."""

    leaf_codes: np.ndarray  # TPS codes (KPU 13 digits), sorted by village then code
    weights: np.ndarray  # voters per TPS (float64), imputed where unknown
    weights_known: int  # how many TPS had a real DPT figure
    units: dict[UnitLevel, np.ndarray]  # sorted unit codes per level (TPS: leaf_codes)
    leaf_unit: dict[UnitLevel, np.ndarray]  # per leaf: index of its unit at each level
    starts: dict[UnitLevel, np.ndarray]  # first leaf of every unit, for reduceat

    @classmethod
    def build(cls, tps_codes: np.ndarray, village_codes: np.ndarray,
              voters: np.ndarray) -> Hierarchy:
        """Return the tree of the given TPS; `village_codes` are dotted 2025 village codes."""
        tps = np.asarray(tps_codes, dtype="U16")
        villages = np.asarray(village_codes, dtype="U13")
        if tps.size == 0:
            raise HierarchyError("no polling stations in scope: import them first "
                                 "(siaga init or siaga import polling-stations)")
        if np.any(np.char.str_len(villages) != 13):
            bad = villages[np.char.str_len(villages) != 13][0]
            raise HierarchyError(f"{bad!r} is not a dotted village code (15.02.01.2001)")
        order = np.lexsort((tps, villages))
        tps, villages = tps[order], villages[order]
        raw_voters = np.asarray(voters, dtype=np.float64)[order]
        units: dict[UnitLevel, np.ndarray] = {UnitLevel.TPS: tps}
        leaf_unit = {UnitLevel.TPS: np.arange(tps.size)}
        starts = {UnitLevel.TPS: np.arange(tps.size)}
        for level in REGION_LEVELS:
            prefix = villages.astype(f"U{_PREFIX[level]}")
            codes, first, inverse = np.unique(prefix, return_index=True, return_inverse=True)
            units[level], starts[level], leaf_unit[level] = codes, first, inverse
        known = int(np.count_nonzero(np.isfinite(raw_voters) & (raw_voters > 0)))
        return cls(tps, _weights(raw_voters), known, units, leaf_unit, starts)

    @property
    def size(self) -> int:
        """Return the number of leaves (TPS)."""
        return int(self.leaf_codes.size)

    def locate(self, level: UnitLevel, codes: np.ndarray) -> np.ndarray:
        """Return the index of each code among the units of `level`, -1 where unknown."""
        known = self.units[level]
        codes = np.asarray(codes, dtype=known.dtype)
        at = np.searchsorted(known, codes)
        at_safe = np.minimum(at, max(known.size - 1, 0))
        found = (at < known.size) & (known[at_safe] == codes)
        return np.where(found, at_safe, -1)

    def leaf_range(self, level: UnitLevel, unit: int) -> tuple[int, int]:
        """Return the [start, end) run of leaves under one unit."""
        starts = self.starts[level]
        end = int(starts[unit + 1]) if unit + 1 < starts.size else self.size
        return int(starts[unit]), end

    def unit_weights(self, level: UnitLevel) -> np.ndarray:
        """Return the voters under every unit of `level`."""
        return np.add.reduceat(self.weights, self.starts[level])

    def children_starts(self, parent: UnitLevel, child: UnitLevel) -> np.ndarray:
        """Return, in child order, where each parent's run of child units begins."""
        parent_of_child = self.leaf_unit[parent][self.starts[child]]
        return np.flatnonzero(np.r_[True, parent_of_child[1:] != parent_of_child[:-1]])
