"""The scores each briefing showed, kept so the next briefing can say what changed since."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, select

from siaga.store.schema import briefing_snapshots
from siaga.store.signals import bound_time


def last_scores(conn: Connection, scope: str, framework: str,
                before: datetime) -> tuple[datetime, dict[str, float]] | None:
    """Return (as-of, unit code → score) of the latest briefing strictly before `before`."""
    b = briefing_snapshots.c
    row = conn.execute(select(b.as_of, b.scores).where(
        b.scope == scope, b.framework == framework, b.as_of < bound_time(conn, before))
        .order_by(b.as_of.desc(), b.id.desc()).limit(1)).first()
    if row is None:
        return None
    return row.as_of, {str(k): float(v) for k, v in json.loads(row.scores).items()}


def save_scores(conn: Connection, scope: str, framework: str, as_of: datetime,
                scores: dict[str, float]) -> None:
    """Record what a briefing showed (once per scope, framework and as-of)."""
    b = briefing_snapshots.c
    moment = bound_time(conn, as_of)
    held = conn.execute(select(b.id).where(b.scope == scope, b.framework == framework,
                                           b.as_of == moment)).first()
    if held is None:
        conn.execute(briefing_snapshots.insert().values(
            scope=scope, framework=framework, as_of=moment,
            scores=json.dumps(scores, sort_keys=True)))
