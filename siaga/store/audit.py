"""The append-only audit log on disk: append inside the caller's transaction, read for checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from siaga.cases.auditchain import AuditEntry, canonical, entry_hash
from siaga.store.schema import audit_head, audit_log


@dataclass(frozen=True)
class Change:
    """A change to record: who did what to which record, with the record before and after."""

    actor: str
    action: str
    entity: str
    entity_id: str | int
    before: Any = None
    after: Any = None


def iso_utc(moment: datetime) -> str:
    """Return `moment` as ISO 8601 in UTC with microseconds (the form that is hashed)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def append(conn: Connection, at: datetime, changes: list[Change]) -> int:
    """Append the changes to the chain in the caller's transaction; return the new head seq.

    The head row is locked (FOR UPDATE on PostgreSQL; SQLite has one writer anyway) so two
    writers cannot both extend the same entry, and `prev_hash` is unique as a second guard.
    """
    if not changes:
        head = conn.execute(select(audit_head.c.seq).where(audit_head.c.id == 1)).scalar_one()
        return int(head)
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash)
                       .where(audit_head.c.id == 1).with_for_update()).one()
    seq, prev = int(row.seq), str(row.hash)
    rows = []
    for change in changes:
        seq += 1
        entry = AuditEntry(seq=seq, at=iso_utc(at), actor=change.actor, action=change.action,
                           entity=change.entity, entity_id=str(change.entity_id),
                           before=canonical(change.before), after=canonical(change.after),
                           prev_hash=prev)
        prev = entry_hash(entry)
        rows.append({**entry.__dict__, "hash": prev})
    conn.execute(audit_log.insert(), rows)
    conn.execute(audit_head.update().where(audit_head.c.id == 1).values(seq=seq, hash=prev))
    return seq


def entries(conn: Connection, batch: int = 5000) -> Iterator[AuditEntry]:
    """Yield every stored entry in sequence order, reading in batches."""
    last = 0
    while True:
        rows = conn.execute(select(audit_log).where(audit_log.c.seq > last)
                            .order_by(audit_log.c.seq).limit(batch)).mappings().all()
        if not rows:
            return
        for row in rows:
            yield AuditEntry(**dict(row))
        last = int(rows[-1]["seq"])


def head(conn: Connection) -> tuple[int, str] | None:
    """Return the recorded (seq, hash) of the newest entry, or None when the record is gone."""
    row = conn.execute(select(audit_head.c.seq, audit_head.c.hash)
                       .where(audit_head.c.id == 1)).first()
    return (int(row.seq), str(row.hash)) if row is not None else None


def history_of(conn: Connection, entity: str, entity_id: str | int) -> list[AuditEntry]:
    """Return the entries about one record, oldest first."""
    rows = conn.execute(select(audit_log).where(audit_log.c.entity == entity,
                                                audit_log.c.entity_id == str(entity_id))
                        .order_by(audit_log.c.seq)).mappings().all()
    return [AuditEntry(**dict(row)) for row in rows]
