"""Rival events close in place and time, found by a time sweep and a vectorised distance test.

Only events of the same contest can be rivals, so events are sorted by (contest, start): the
key is contest * 2^40 + start, which keeps each contest's events in one run. Event j (after i in
that order) can only overlap event i, buffer included, while key_j < key_i + (end_i - start_i) +
buffer, so one ``searchsorted`` gives each event's run of time neighbours within its contest.
Those pairs are generated as arrays, kept when the pairs differ, and measured with numpy's
haversine. Work grows with the number of same-contest, time-overlapping pairs, not with n².
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from siaga.events.geo import haversine_km

MAX_PAIRS_PER_CHUNK = 2_000_000  # bounds memory when many events share a time window


@dataclass(frozen=True)
class EventArrays:
    """Events as parallel arrays: camp keys (-1 for none), epoch seconds, degrees, crowd."""

    contest: np.ndarray  # int64 index of the contest, -1 for an organiser's event
    pair: np.ndarray  # int64 ballot number, -1 for an organiser's event
    starts: np.ndarray  # int64 epoch seconds
    ends: np.ndarray
    lat: np.ndarray  # float64
    lng: np.ndarray

    @property
    def size(self) -> int:
        """Return the number of events."""
        return int(self.starts.size)


@dataclass(frozen=True)
class ClashPairs:
    """Pairs of rival events (indices into EventArrays), their distance and true overlap."""

    first: np.ndarray
    second: np.ndarray
    distance_km: np.ndarray
    overlapping: np.ndarray  # bool: the windows overlap without the buffer


CONTEST_STRIDE = 2**40  # seconds; far beyond any event's end, so contests never mix


def _time_neighbours(contest: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                     buffer_s: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield chunks of (i, j): events of one contest whose windows, widened by buffer, overlap.

    Events without a contest (organisers) are left out: they have no rivals.
    """
    keyed = np.flatnonzero(contest >= 0)
    key = contest[keyed] * CONTEST_STRIDE + starts[keyed]
    by_key = np.argsort(key, kind="stable")
    order, s = keyed[by_key], key[by_key]
    e = s + (ends[order] - starts[order])
    n = s.size
    stop = np.searchsorted(s, e + buffer_s, side="left")
    counts = np.maximum(stop - np.arange(1, n + 1), 0)
    cumulative = np.cumsum(counts)
    first = 0
    while first < n:
        base = cumulative[first - 1] if first else 0
        last = int(np.searchsorted(cumulative, base + MAX_PAIRS_PER_CHUNK, side="right"))
        last = max(last, first + 1)
        chunk = counts[first:last]
        total = int(chunk.sum())
        if total:
            i = np.repeat(np.arange(first, last), chunk)
            offsets = np.arange(total) - np.repeat(np.cumsum(chunk) - chunk, chunk)
            yield order[i], order[i + 1 + offsets]
        first = last


def find_rival_clashes(events: EventArrays, max_km: float, buffer_s: int) -> ClashPairs:
    """Return every pair of rival events within `max_km` whose windows ± buffer overlap.

    Rivals are different pairs (ballot numbers) of the same contest.
    """
    parts: list[tuple[np.ndarray, ...]] = []
    for i, j in _time_neighbours(events.contest, events.starts, events.ends, buffer_s):
        rival = events.pair[i] != events.pair[j]
        i, j = i[rival], j[rival]
        distance = haversine_km(events.lat[i], events.lng[i], events.lat[j], events.lng[j])
        near = distance <= max_km
        i, j, distance = i[near], j[near], distance[near]
        overlapping = (events.starts[i] < events.ends[j]) & (events.starts[j] < events.ends[i])
        parts.append((np.minimum(i, j), np.maximum(i, j), distance, overlapping))
    if not parts:
        empty = np.array([], dtype=np.int64)
        return ClashPairs(empty, empty, np.array([]), np.array([], dtype=bool))
    first, second, distance, overlapping = (np.concatenate(p) for p in zip(*parts, strict=True))
    return ClashPairs(first, second, distance, overlapping)


def naive_rival_clashes(events: EventArrays, max_km: float,
                        buffer_s: int) -> list[tuple[int, int]]:
    """Return the same pairs as `find_rival_clashes` by testing every pair (the baseline)."""
    import math

    found = []
    for i in range(events.size):
        for j in range(i + 1, events.size):
            if events.contest[i] < 0 or events.contest[i] != events.contest[j] \
                    or events.pair[i] == events.pair[j]:
                continue
            if not (events.starts[i] < events.ends[j] + buffer_s
                    and events.starts[j] < events.ends[i] + buffer_s):
                continue
            p1, p2 = math.radians(events.lat[i]), math.radians(events.lat[j])
            a = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2)
                 * math.sin(math.radians(events.lng[j] - events.lng[i]) / 2) ** 2)
            if 2 * 6371.0088 * math.asin(math.sqrt(a)) <= max_km:
                found.append((i, j))
    return found
