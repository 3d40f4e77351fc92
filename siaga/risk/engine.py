"""The scoring engine: normalise indicator values, combine levels, roll scores up the tree.

Every observation applies to all the TPS under its unit (a district-level incident exposes each of
the district's TPS); where several apply, the strongest counts. A TPS score is the weighted sum of
its normalised indicators (0-100); a unit's score is the voter-weighted mean of its TPS scores, so
a unit always equals the aggregation of its parts. All work is numpy over whole arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from siaga.domain.risk import LEVEL_ORDER, IndicatorKind, UnitLevel
from siaga.risk.framework import Framework
from siaga.risk.hierarchy import Hierarchy

CLASS_NAMES = ("low", "medium", "high")
_KIND_CODE = {IndicatorKind.BINARY: 0, IndicatorKind.COUNT: 1, IndicatorKind.RATE: 2}


@dataclass(frozen=True)
class ObservationArrays:
    """Observations located in a hierarchy: one entry per observation, as parallel arrays."""

    level: np.ndarray  # index into LEVEL_ORDER (int8)
    unit: np.ndarray  # unit index at that level (int64)
    indicator: np.ndarray  # index into framework.indicators (int64)
    value: np.ndarray  # raw value (float64)
    time: np.ndarray  # observed_at, epoch seconds (int64)

    @classmethod
    def empty(cls) -> ObservationArrays:
        """Return a set with no observations."""
        return cls(*(np.zeros(0, dtype=t) for t in (np.int8, np.int64, np.int64,
                                                      np.float64, np.int64)))


@dataclass
class RawValues:
    """The latest raw value of each (unit, indicator) per level, for the active indicators."""

    active: np.ndarray  # indicator indices that have any observation (sorted)
    values: dict[UnitLevel, np.ndarray] = field(default_factory=dict)  # float32, 0 = none
    times: dict[UnitLevel, np.ndarray] = field(default_factory=dict)  # int64, 0 = never


def resolve(hierarchy: Hierarchy, obs: ObservationArrays, as_of: int | None = None) -> RawValues:
    """Return the latest value per (level, unit, indicator) observed at or before `as_of`."""
    keep = obs.unit >= 0
    if as_of is not None:
        keep &= obs.time <= as_of
    level, unit, ind = obs.level[keep], obs.unit[keep], obs.indicator[keep]
    value, time = obs.value[keep], obs.time[keep]
    order = np.lexsort((time, ind, unit, level))  # stable: later input wins a tie in time
    level, unit, ind, value, time = (a[order] for a in (level, unit, ind, value, time))
    last = np.r_[(level[1:] != level[:-1]) | (unit[1:] != unit[:-1]) | (ind[1:] != ind[:-1]),
                 True] if level.size else np.zeros(0, dtype=bool)
    level, unit, ind, value, time = (a[last] for a in (level, unit, ind, value, time))
    active = np.unique(ind)
    raw = RawValues(active)
    column = np.searchsorted(active, ind)
    for code in np.unique(level):
        lvl = LEVEL_ORDER[int(code)]
        here = level == code
        n = hierarchy.units[lvl].size
        vals = np.zeros((n, active.size), dtype=np.float32)
        times = np.zeros((n, active.size), dtype=np.int64)
        vals[unit[here], column[here]] = value[here]
        times[unit[here], column[here]] = time[here]
        raw.values[lvl], raw.times[lvl] = vals, times
    return raw


@dataclass(frozen=True)
class Columns:
    """Normalisation parameters and weights of the active indicators, aligned with columns."""

    kind: np.ndarray  # 0 binary, 1 count, 2 rate
    cap: np.ndarray
    per: np.ndarray
    weight: np.ndarray  # effective weight in the whole score (0..1)

    @classmethod
    def of(cls, framework: Framework, active: np.ndarray) -> Columns:
        """Return the parameters of `framework`'s indicators listed in `active`."""
        chosen = [framework.indicators[int(i)] for i in active]
        return cls(np.array([_KIND_CODE[i.kind] for i in chosen], dtype=np.int8),
                   np.array([i.cap for i in chosen], dtype=np.float64),
                   np.array([i.per for i in chosen], dtype=np.float64),
                   np.array([i.weight for i in chosen], dtype=np.float64))


_HUGE = np.float32(1e30)  # scales any positive yes/no value past 1, where it is clipped


def normalise(values: np.ndarray, cols: Columns, unit_weights: np.ndarray) -> np.ndarray:
    """Return values (never negative; 0 = not observed) scaled to 0..1 by each column's kind."""
    if np.all(cols.kind == 0):
        return (values > 0).astype(np.float32)
    # One multiply and one clip for every kind at once: yes/no columns get a huge scale, counts
    # 1/cap, rates per/cap and then 1/voters of their row.
    scale = np.where(cols.kind == 0, _HUGE,
                     np.where(cols.kind == 1, 1.0 / cols.cap, cols.per / cols.cap))
    out = values * scale.astype(np.float32)[None, :]
    rate = np.flatnonzero(cols.kind == 2)
    if rate.size:
        out[:, rate] *= (1.0 / unit_weights).astype(np.float32)[:, None]
    np.minimum(out, 1, out=out)
    # A positive yes/no value below 1/_HUGE would stay under 1 after the scaling: any positive
    # value means "occurred", so those cells are raised to exactly 1.
    binary = cols.kind == 0
    if binary.any():
        np.maximum(out, (values > 0) & binary[None, :], out=out)
    return out


BITS = 64


def occurrence_masks(leaf: np.ndarray) -> np.ndarray:
    """Return, per row, which columns are above 0 as bits of uint64 words (rows x words)."""
    rows, columns = leaf.shape
    words = max(1, -(-columns // BITS))
    packed = np.packbits(leaf > 0, axis=1, bitorder="little")
    padded = np.zeros((rows, words * 8), dtype=np.uint8)
    padded[:, :packed.shape[1]] = packed
    # Little-endian bytes make bit k of the row the k-th column.
    return padded.view("<u8")


def mask_count(masks: np.ndarray) -> np.ndarray:
    """Return how many bits are set in each row of masks."""
    counts: np.ndarray = np.bitwise_count(masks).sum(axis=1, dtype=np.int32)
    return counts


@dataclass
class LevelScores:
    """Scores of every unit at one level, as arrays aligned with `Hierarchy.units[level]`."""

    weight: np.ndarray  # voters under each unit
    sums: np.ndarray  # voter-weighted sum of TPS scores
    masks: np.ndarray  # bit k set: active indicator k occurred at some TPS of the unit
    rawan: np.ndarray  # TPS with at least one indicator
    score: np.ndarray = field(init=False)
    klass: np.ndarray = field(init=False)
    occurred: np.ndarray = field(init=False)

    def refresh(self, thresholds: tuple[float, float], rows: slice | None = None) -> None:
        """Recompute score, class and indicator count from the sums (for `rows`, or all)."""
        if rows is None:
            self.score = self.sums / self.weight
            self.occurred = mask_count(self.masks)
            self.klass = _classes(self.score, thresholds)
            return
        self.score[rows] = self.sums[rows] / self.weight[rows]
        self.occurred[rows] = mask_count(self.masks[rows])
        self.klass[rows] = _classes(self.score[rows], thresholds)


def _classes(score: np.ndarray, thresholds: tuple[float, float]) -> np.ndarray:
    medium, high = thresholds
    # Scores are float32 sums: a small tolerance keeps one that lands on a threshold above it.
    eps = 5e-5
    return ((score >= medium - eps).astype(np.int8) + (score >= high - eps)).astype(np.int8)
