"""A live index: the whole tree scored at once, then kept current one observation at a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siaga.domain.risk import LEVEL_ORDER, UnitLevel
from siaga.risk.engine import Columns, LevelScores, RawValues, normalise, occurrence_masks
from siaga.risk.framework import Framework
from siaga.risk.hierarchy import REGION_LEVELS, Hierarchy


@dataclass(frozen=True)
class Update:
    """What one new observation changed: the leaves it touched and whether it applied."""

    applied: bool
    leaves: tuple[int, int]
    rebuilt: bool


class RiskIndex:
    """Scores of one framework over one hierarchy, for every level at once."""

    def __init__(self, framework: Framework, hierarchy: Hierarchy, raw: RawValues) -> None:
        self.framework, self.hierarchy, self.raw = framework, hierarchy, raw
        self.unit_weights = {lvl: hierarchy.unit_weights(lvl) for lvl in REGION_LEVELS}
        self.unit_weights[UnitLevel.TPS] = hierarchy.weights
        self._compute()

    def _thresholds(self, level: UnitLevel) -> tuple[float, float]:
        bounds = self.framework.thresholds_for(level)
        return bounds.medium, bounds.high

    def _compute(self) -> None:
        """Score every unit from the raw values (the full recompute)."""
        self.cols = Columns.of(self.framework, self.raw.active)
        self.leaf = self._leaf_matrix(slice(None), np.arange(self.raw.active.size))
        weights = self.hierarchy.weights
        self.tps_score = (self.leaf @ self.cols.weight.astype(np.float32)).astype(np.float64)
        self.tps_score *= 100
        masks = occurrence_masks(self.leaf)
        tps = LevelScores(weights, weights * self.tps_score, masks,
                          np.any(masks, axis=1).astype(np.int64))
        tps.refresh(self._thresholds(UnitLevel.TPS))
        self.levels: dict[UnitLevel, LevelScores] = {UnitLevel.TPS: tps}
        self.child_starts: dict[UnitLevel, np.ndarray] = {}
        below, below_level = tps, UnitLevel.TPS
        for level in reversed(REGION_LEVELS):
            starts = self.hierarchy.children_starts(level, below_level)
            self.child_starts[level] = starts
            scores = LevelScores(
                np.add.reduceat(below.weight, starts), np.add.reduceat(below.sums, starts),
                np.bitwise_or.reduceat(below.masks, starts, axis=0),
                np.add.reduceat(below.rawan, starts))
            scores.refresh(self._thresholds(level))
            self.levels[level] = scores
            below, below_level = scores, level

    def _leaf_matrix(self, leaves: slice, columns: np.ndarray) -> np.ndarray:
        """Return normalised values of `columns` for `leaves`, the strongest level winning."""
        whole = leaves == slice(None) and columns.size == self.raw.active.size
        n = self.hierarchy.size if leaves == slice(None) else leaves.stop - leaves.start
        cols = Columns(self.cols.kind[columns], self.cols.cap[columns],
                       self.cols.per[columns], self.cols.weight[columns])
        out: np.ndarray | None = None
        for level, values in self.raw.values.items():
            unit_of_leaf = self.hierarchy.leaf_unit[level][leaves]
            if level is UnitLevel.TPS:
                block = values if whole else values[leaves][:, columns]
                part = normalise(block, cols, self.unit_weights[level][leaves])
            else:
                units = np.unique(unit_of_leaf)
                per_unit = normalise(values[units][:, columns], cols,
                                     self.unit_weights[level][units])
                part = per_unit[np.searchsorted(units, unit_of_leaf)]
            out = part if out is None else np.maximum(out, part, out=out)
        return out if out is not None else np.zeros((n, columns.size), dtype=np.float32)

    def observe(self, level: UnitLevel, unit: int, indicator: int, value: float,
                time: int) -> Update:
        """Apply one new observation and re-score the leaves and units it affects."""
        column = int(np.searchsorted(self.raw.active, indicator))
        if column >= self.raw.active.size or self.raw.active[column] != indicator:
            self._add_column(indicator)
            column = int(np.searchsorted(self.raw.active, indicator))
            self._set_raw(level, unit, column, value, time)
            self._compute()
            return Update(True, self.hierarchy.leaf_range(level, unit), rebuilt=True)
        if not self._set_raw(level, unit, column, value, time):
            return Update(False, (0, 0), rebuilt=False)
        start, end = self.hierarchy.leaf_range(level, unit)
        self._rescore(slice(start, end), column)
        return Update(True, (start, end), rebuilt=False)

    def _set_raw(self, level: UnitLevel, unit: int, column: int, value: float,
                 time: int) -> bool:
        """Store a raw value unless a later one is already held; return whether it was stored."""
        if level not in self.raw.values:
            n = self.hierarchy.units[level].size
            self.raw.values[level] = np.zeros((n, self.raw.active.size), np.float32)
            self.raw.times[level] = np.zeros((n, self.raw.active.size), np.int64)
        if self.raw.times[level][unit, column] > time:
            return False
        self.raw.values[level][unit, column] = value
        self.raw.times[level][unit, column] = time
        return True

    def _add_column(self, indicator: int) -> None:
        """Make room for an indicator observed for the first time in this index."""
        active = np.union1d(self.raw.active, [indicator])
        at = int(np.searchsorted(active, indicator))
        for level in list(self.raw.values):
            self.raw.values[level] = np.insert(self.raw.values[level], at, 0, axis=1)
            self.raw.times[level] = np.insert(self.raw.times[level], at, 0, axis=1)
        self.raw.active = active

    def _rescore(self, leaves: slice, column: int) -> None:
        """Re-score one column over a run of leaves and push the change up every level."""
        new = self._leaf_matrix(leaves, np.array([column]))[:, 0]
        old = self.leaf[leaves, column].copy()
        self.leaf[leaves, column] = new
        delta = 100.0 * self.cols.weight[column] * (new.astype(np.float64) - old)
        self.tps_score[leaves] += delta
        tps = self.levels[UnitLevel.TPS]
        was_rawan = tps.rawan[leaves].copy()
        tps.sums[leaves] += self.hierarchy.weights[leaves] * delta
        tps.masks[leaves] = occurrence_masks(self.leaf[leaves])
        tps.rawan[leaves] = np.any(tps.masks[leaves], axis=1)
        tps.refresh(self._thresholds(UnitLevel.TPS), leaves)
        d_sums = self.hierarchy.weights[leaves] * delta
        d_rawan = tps.rawan[leaves] - was_rawan
        below = leaves
        for level in reversed(REGION_LEVELS):
            scores = self.levels[level]
            units = self.hierarchy.leaf_unit[level][leaves]
            np.add.at(scores.sums, units, d_sums)
            np.add.at(scores.rawan, units, d_rawan)
            first, last = int(units[0]), int(units[-1]) + 1
            starts = self.child_starts[level]
            lo = int(starts[first])
            hi = int(starts[last]) if last < starts.size else None
            child = self.levels[self._child_of(level)]
            scores.masks[first:last] = np.bitwise_or.reduceat(
                child.masks[lo:hi], starts[first:last] - lo, axis=0)
            scores.refresh(self._thresholds(level), slice(first, last))
            below = slice(first, last)
        del below

    @staticmethod
    def _child_of(level: UnitLevel) -> UnitLevel:
        return LEVEL_ORDER[LEVEL_ORDER.index(level) + 1]

    def group_scores(self, level: UnitLevel, depth: int = 0) -> dict[str, np.ndarray]:
        """Return each group's 0-100 score (within its own weight) for every unit of `level`."""
        starts = self.hierarchy.starts[level]
        weighted = self.leaf * self.hierarchy.weights[:, None].astype(np.float32)
        means = np.add.reduceat(weighted, starts, axis=0) / self.unit_weights[level][:, None]
        out: dict[str, np.ndarray] = {}
        positions = {int(k): j for j, k in enumerate(self.raw.active)}
        for group in self.framework.groups_at(depth):
            members = [positions[i] for i, ind in enumerate(self.framework.indicators)
                       if group.id in ind.path and i in positions]
            part = (means[:, members] @ self.cols.weight[members] if members
                    else np.zeros(means.shape[0]))
            out[group.id] = 100.0 * np.asarray(part, dtype=np.float64) / group.weight
        return out

    def unit_profile(self, level: UnitLevel, unit: int) -> tuple[np.ndarray, np.ndarray]:
        """Return, per active indicator, its mean normalised value and TPS count in one unit."""
        start, end = self.hierarchy.leaf_range(level, unit)
        weights = self.hierarchy.weights[start:end]
        block = self.leaf[start:end]
        means = (weights @ block) / weights.sum()
        return means, np.count_nonzero(block, axis=0)
