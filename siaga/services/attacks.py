"""Camp attribution over time: a contest's attack signals as a timeline by target pair.

Used by the API (`GET /api/v1/contests/{id}/attacks`), the dashboard and the briefing. Days are
local days of the contest's region.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from siaga.domain.timezones import zone_of
from siaga.store import attacks as attack_db
from siaga.store.tx import Tx

CONTEST_ID_PATTERN = r"^[a-z0-9]{1,24}:(governor|regent|mayor):[0-9]{2}(\.[0-9]{2})?$"
"""A contest id as the store keeps them ('pilkada2024:regent:17.06')."""


def contest_timeline(conn: Tx, contest_id: str, limit: int = 500) -> dict[str, Any] | None:
    """Return a contest's attacks: {contest, pairs, timeline, attacks}; None for an unknown
    contest.

    `timeline` has one entry per local day with attacks, oldest first: {day, total,
    between_camps, by_target: [{number, names, count}]} (number and names None for attacks
    whose target the texts do not tell); `attacks` lists the latest `limit` attack signals,
    oldest first, each with its pairs' ballot numbers and names, labels, severity and the
    start of its text.
    """
    contest = attack_db.contest(conn, contest_id)
    if contest is None:
        return None
    pairs: dict[int, str] = contest.pop("pairs")
    rows = attack_db.contest_attacks(conn, contest_id, limit)
    texts = attack_db.signal_texts(conn, [r.signal_id for r in rows])
    zone = zone_of(contest["region_code"])
    attacks = []
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
    return {
        "contest": contest,
        "pairs": [{"number": n, "names": names} for n, names in sorted(pairs.items())],
        "timeline": _timeline(attacks, pairs),
        "attacks": attacks,
    }


def _pair(number: int | None, pairs: dict[int, str]) -> dict[str, Any] | None:
    """Return {number, names} of a ballot number of the contest, or None."""
    if number is None:
        return None
    return {"number": number, "names": pairs.get(number, "")}


def _timeline(attacks: list[dict[str, Any]], pairs: dict[int, str]) -> list[dict[str, Any]]:
    """Return the attacks counted per day and target pair, oldest day first."""
    per_day: dict[str, Counter[int | None]] = {}
    mutual: Counter[str] = Counter()
    for attack in attacks:
        target = attack["target"]
        per_day.setdefault(attack["day"], Counter())[target and target["number"]] += 1
        mutual[attack["day"]] += attack["between_camps"]
    timeline = []
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
