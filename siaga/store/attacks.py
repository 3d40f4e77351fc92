"""Storage of camp attribution: one row per attack signal, and a contest's attacks over time."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from siaga.store.bulk import copy_rows
from siaga.store.schema import candidate_pairs, contests, signal_attacks, signals
from siaga.store.signals import CHUNK, bound_time, read_time, time_writer

ATTACK_COLUMNS = (
    "signal_id", "contest_id", "target_number", "source_number", "between_camps", "labels",
    "occurred_at", "severity", "detail",
)


@dataclass(frozen=True, slots=True)
class AttackRow:
    """An attack signal as stored: its race (if known), the pairs' ballot numbers (None when
    the text does not tell), the signal's attack labels, time and severity, and the contract's
    `attack` object (`detail`)."""

    signal_id: int
    contest_id: str | None
    target_number: int | None
    source_number: int | None
    between_camps: bool
    labels: list[str]
    occurred_at: datetime
    severity: float
    detail: dict[str, Any]


def save_attacks(conn: Connection, rows: Sequence[AttackRow]) -> None:
    """Insert attack rows for signals that have none yet."""
    when = time_writer(conn)
    copy_rows(conn, signal_attacks, ATTACK_COLUMNS, [
        (r.signal_id, r.contest_id, r.target_number, r.source_number, r.between_camps,
         json.dumps(r.labels), when(r.occurred_at), r.severity,
         json.dumps(r.detail, ensure_ascii=False))
        for r in rows
    ])


def attacks_of(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Return the stored `attack` object by signal id (signals without one are absent)."""
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        part = list(ids[start:start + CHUNK])
        query = select(signal_attacks.c.signal_id, signal_attacks.c.detail).where(
            signal_attacks.c.signal_id.in_(part))
        for sid, detail in conn.execute(query):
            found[sid] = json.loads(detail)
    return found


@dataclass(frozen=True, slots=True)
class Contest:
    """A race as stored: its id, name, office, region and candidate pairs by ballot number."""

    id: str
    name: str
    office: str
    region_code: str
    pairs: dict[int, str]


def contest(conn: Connection, contest_id: str) -> Contest | None:
    """Return a contest with its pairs ({number: names}), or None."""
    row = conn.execute(select(contests).where(contests.c.id == contest_id)).first()
    if row is None:
        return None
    pairs = conn.execute(select(candidate_pairs.c.number, candidate_pairs.c.names)
                         .where(candidate_pairs.c.contest_id == contest_id)
                         .order_by(candidate_pairs.c.number))
    return Contest(row.id, row.name, row.office, row.region_code, dict(pairs.all()))


def contest_attacks(conn: Connection, contest_id: str, limit: int = 500) -> list[AttackRow]:
    """Return a contest's attack signals, oldest first (the latest `limit`)."""
    query = (select(signal_attacks).where(signal_attacks.c.contest_id == contest_id)
             .order_by(signal_attacks.c.occurred_at.desc(), signal_attacks.c.signal_id.desc())
             .limit(limit))
    rows = [
        AttackRow(r.signal_id, r.contest_id, r.target_number, r.source_number,
                  bool(r.between_camps), json.loads(r.labels), read_time(r.occurred_at),
                  r.severity, json.loads(r.detail))
        for r in conn.execute(query)
    ]
    return rows[::-1]


def signal_texts(conn: Connection, ids: Sequence[int], length: int = 280) -> dict[int, str]:
    """Return the first `length` characters of each signal's text, by id."""
    found: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        part = list(ids[start:start + CHUNK])
        for sid, text in conn.execute(select(signals.c.id, signals.c.text)
                                      .where(signals.c.id.in_(part))):
            found[sid] = text[:length]
    return found


def attacked_contests(conn: Connection, since: datetime, limit: int = 10) -> list[str]:
    """Return the ids of the contests with attack signals since `since`, most attacked first."""
    count = func.count().label("n")
    query = (select(signal_attacks.c.contest_id, count)
             .where(signal_attacks.c.contest_id.is_not(None),
                    signal_attacks.c.occurred_at >= bound_time(conn, since))
             .group_by(signal_attacks.c.contest_id)
             .order_by(count.desc(), signal_attacks.c.contest_id).limit(limit))
    return [cid for cid, _n in conn.execute(query)]
