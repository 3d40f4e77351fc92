"""The cases and their action log: reads and writes behind the case use cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from siaga.store.schema import case_actions, case_reports, cases, regions
from siaga.store.sql import inside
from siaga.store.tx import StoredRow, new_id


def case_by_id(conn: Connection, case_id: int, *, lock: bool = False) -> StoredRow | None:
    """Return the stored case row (locked for update when `lock`), or None."""
    query = select(cases).where(cases.c.id == case_id)
    return conn.execute(query.with_for_update() if lock else query).first()


def status_changes(conn: Connection, case_id: int) -> list[Any]:
    """Return the (to_status, at) rows of a case's opening and status moves, oldest first."""
    return list(conn.execute(select(case_actions.c.to_status, case_actions.c.at).where(
        case_actions.c.case_id == case_id, case_actions.c.kind.in_(["opened", "status"]))
        .order_by(case_actions.c.id)).all())


def insert_case(conn: Connection, values: dict[str, Any]) -> int:
    """Insert a case row from its column values; return its id."""
    return new_id(conn.execute(cases.insert().values(**values)))


def update_case(conn: Connection, case_id: int, **values: Any) -> None:
    """Set columns of one case."""
    conn.execute(cases.update().where(cases.c.id == case_id).values(**values))


def log_action(conn: Connection, case_id: int, at: datetime, actor: str, kind: str, *,
               body: str | None = None, from_status: str | None = None,
               to_status: str | None = None) -> None:
    """Append one entry to a case's action log."""
    conn.execute(case_actions.insert().values(case_id=case_id, at=at, actor=actor, kind=kind,
                                              from_status=from_status, to_status=to_status,
                                              body=body))


def actions_of(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """Return a case's action log as dicts (at, actor, kind, from/to status, body), in order."""
    return [dict(a) for a in conn.execute(
        select(case_actions.c.at, case_actions.c.actor, case_actions.c.kind,
               case_actions.c.from_status, case_actions.c.to_status, case_actions.c.body)
        .where(case_actions.c.case_id == case_id).order_by(case_actions.c.id)).mappings()]


def linked_report_ids(conn: Connection, case_id: int) -> list[int]:
    """Return the ids of the reports linked to a case, ascending."""
    return list(conn.execute(select(case_reports.c.report_id).where(
        case_reports.c.case_id == case_id).order_by(case_reports.c.report_id)).scalars())


def find_cases(conn: Connection, *, region: str | None, agency: str | None,
               statuses: Sequence[str] | None, exclude_statuses: Sequence[str],
               due_before: datetime | None, limit: int) -> list[Any]:
    """Return case rows, soonest due first (no due time last), then by id.

    `region` keeps that region and those inside it; `agency` matches the lead or a supporting
    agency; `statuses` (when given) keeps those, else `exclude_statuses` drops those;
    `due_before` keeps cases due before that moment.
    """
    query = select(cases)
    if region is not None:
        query = query.where(inside(cases.c.region_code, region))
    if agency is not None:
        query = query.where((cases.c.lead_agency == agency) | (
            ("," + cases.c.supporting_agencies + ",").contains(f",{agency},")))
    if statuses is not None:
        query = query.where(cases.c.status.in_(list(statuses)))
    elif exclude_statuses:
        query = query.where(cases.c.status.not_in(list(exclude_statuses)))
    if due_before is not None:
        query = query.where(cases.c.due_at.is_not(None), cases.c.due_at < due_before)
    query = query.order_by(cases.c.due_at.is_(None), cases.c.due_at, cases.c.id).limit(limit)
    return list(conn.execute(query))


def overdue_unescalated(conn: Connection, now: datetime, closed: Sequence[str]) -> list[Any]:
    """Return the case rows past due at `now`, not in `closed` statuses, not yet escalated."""
    return list(conn.execute(select(cases).where(
        cases.c.status.not_in(list(closed)), cases.c.due_at.is_not(None),
        cases.c.due_at < now, cases.c.escalated_at.is_(None)).order_by(cases.c.id)).all())


def region_exists(conn: Connection, code: str) -> bool:
    """Return whether the dotted region code is in the loaded region list."""
    return conn.execute(select(regions.c.code).where(regions.c.code == code)).first() is not None


def demo_case_exists(conn: Connection, title_prefix: str) -> bool:
    """Return whether a case whose title starts with `title_prefix` is stored."""
    return conn.execute(select(cases.c.id).where(
        cases.c.title.like(f"{title_prefix}%"))).first() is not None
