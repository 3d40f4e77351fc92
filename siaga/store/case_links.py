"""Storage look-ups behind linking reports to cases: who filed them, which cases hold them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from siaga.store.schema import case_reports, cases, reports


@dataclass(frozen=True)
class LinkCandidate:
    """What deciding whether a report may be linked needs: its filer and if it names someone."""

    id: int
    submitted_by: str | None
    has_identity: bool


def link_candidates(conn: Connection, report_ids: Iterable[int]) -> dict[int, LinkCandidate]:
    """Return the stored reports among `report_ids`, by id (missing ids are left out)."""
    wanted = list(dict.fromkeys(report_ids))
    found: dict[int, LinkCandidate] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(reports.c.id, reports.c.submitted_by,
                                   reports.c.reporter_name, reports.c.reporter_contact)
                            .where(reports.c.id.in_(wanted[start:start + 500])))
        for row in rows:
            named = row.reporter_name is not None or row.reporter_contact is not None
            found[row.id] = LinkCandidate(row.id, row.submitted_by, named)
    return found


def lead_agencies(conn: Connection, report_ids: Iterable[int]) -> dict[int, set[str]]:
    """Return, per report id, the lead agencies of the cases the report is linked to."""
    wanted = list(dict.fromkeys(report_ids))
    found: dict[int, set[str]] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(select(case_reports.c.report_id, cases.c.lead_agency)
                            .join(cases, cases.c.id == case_reports.c.case_id)
                            .where(case_reports.c.report_id.in_(wanted[start:start + 500])))
        for row in rows:
            found.setdefault(row.report_id, set()).add(row.lead_agency)
    return found


def insert_links(conn: Connection, case_id: int, report_ids: Iterable[int]) -> None:
    """Link reports to a case (each once)."""
    rows = [{"case_id": case_id, "report_id": i} for i in dict.fromkeys(report_ids)]
    if rows:
        conn.execute(case_reports.insert(), rows)


def case_of_alert(conn: Connection, alert_id: int) -> int | None:
    """Return the id of the case opened from an alert, or None.

    Cases opened before the alert was recorded on the case are found through the report the
    alert was promoted to (origin 'alert', the alert id); the earliest such case wins.
    """
    found = conn.execute(select(cases.c.id).where(cases.c.alert_id == alert_id)).scalar()
    if found is not None:
        return int(found)
    legacy = conn.execute(
        select(func.min(case_reports.c.case_id))
        .join(reports, reports.c.id == case_reports.c.report_id)
        .where(reports.c.origin_kind == "alert", reports.c.origin_ref == str(alert_id))).scalar()
    return None if legacy is None else int(legacy)
