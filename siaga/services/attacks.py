"""Camp attribution over time: a contest's attack signals as a timeline by target pair.

Used by the API (`GET /api/v1/contests/{id}/attacks`), the dashboard and the briefing. Days are
local days of the contest's region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TypedDict

from siaga.domain.records import JsonRecord
from siaga.domain.timezones import zone_of
from siaga.store import attacks as attack_db
from siaga.store.tx import Tx

CONTEST_ID_PATTERN = r"^[a-z0-9]{1,24}:(governor|regent|mayor):[0-9]{2}(\.[0-9]{2})?$"
"""A contest id as the store keeps them ('pilkada2024:regent:17.06')."""


class ContestRef(TypedDict):
    """A race as the timeline names it."""

    id: str
    name: str
    office: str
    region_code: str


class PairRef(TypedDict):
    """A candidate pair: its ballot number and names."""

    number: int
    names: str


class AttackRecord(TypedDict):
    """One attack signal of a contest, as the API answers it."""

    signal_id: int
    occurred_at: str
    day: str
    target: PairRef | None
    source: PairRef | None
    between_camps: bool
    labels: list[str]
    severity: float
    text: str


class TargetCount(TypedDict):
    """How many attacks of a day aimed at one pair (number and names None: not told)."""

    number: int | None
    names: str | None
    count: int


class TimelineDay(TypedDict):
    """One local day's attacks: in all, between camps, and by target pair."""

    day: str
    total: int
    between_camps: int
    by_target: list[TargetCount]


@dataclass(frozen=True)
class ContestAttacks(JsonRecord):
    """A contest's attack signals over time by target pair (camp attribution).

    `timeline` has one entry per local day with attacks, oldest first; `attacks` lists the
    latest attack signals, oldest first, each with its pairs' ballot numbers and names, labels,
    severity and the start of its text.
    """

    contest: ContestRef
    pairs: list[PairRef]
    timeline: list[TimelineDay]
    attacks: list[AttackRecord]


def contest_timeline(conn: Tx, contest_id: str, limit: int = 500) -> ContestAttacks | None:
    """Return a contest's attacks by day and target pair; None for an unknown contest."""
    contest = attack_db.contest(conn, contest_id)
    if contest is None:
        return None
    pairs = contest.pairs
    rows = attack_db.contest_attacks(conn, contest_id, limit)
    texts = attack_db.signal_texts(conn, [r.signal_id for r in rows])
    zone = zone_of(contest.region_code)
    attacks: list[AttackRecord] = []
    for row in rows:
        attacks.append({
            "signal_id": row.signal_id,
            "occurred_at": row.occurred_at.isoformat(),
            "day": row.occurred_at.astimezone(zone).date().isoformat(),
            "target": _pair(row.target_number, pairs),
            "source": _pair(row.source_number, pairs),
            "between_camps": row.between_camps,
            "labels": row.labels,
            "severity": row.severity,
            "text": texts.get(row.signal_id, ""),
        })
    return ContestAttacks(
        {"id": contest.id, "name": contest.name, "office": contest.office,
         "region_code": contest.region_code},
        [{"number": n, "names": names} for n, names in sorted(pairs.items())],
        _timeline(attacks, pairs), attacks)


def _pair(number: int | None, pairs: dict[int, str]) -> PairRef | None:
    """Return {number, names} of a ballot number of the contest, or None."""
    if number is None:
        return None
    return {"number": number, "names": pairs.get(number, "")}


def _timeline(attacks: list[AttackRecord], pairs: dict[int, str]) -> list[TimelineDay]:
    """Return the attacks counted per day and target pair, oldest day first."""
    per_day: dict[str, Counter[int | None]] = {}
    mutual: Counter[str] = Counter()
    for attack in attacks:
        target = attack["target"]
        per_day.setdefault(attack["day"], Counter())[target and target["number"]] += 1
        mutual[attack["day"]] += attack["between_camps"]
    timeline: list[TimelineDay] = []
    for day in sorted(per_day):
        counts = per_day[day]
        numbers = sorted(counts, key=lambda n: (n is None, n or 0))
        timeline.append({
            "day": day,
            "total": sum(counts.values()),
            "between_camps": mutual[day],
            "by_target": [{"number": n, "names": None if n is None else pairs.get(n, ""),
                           "count": counts[n]} for n in numbers],
        })
    return timeline
