"""Case use cases: open with routing and deadlines, move, assign, comment, escalate, list."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from siaga.cases.asn import check_asn
from siaga.cases.deadlines import Deadline, current_due, deadlines_of, local_time
from siaga.cases.privacy import may_link, report_access
from siaga.cases.risk_link import FRAMEWORK as RISK_FRAMEWORK
from siaga.cases.risk_link import confirmed_indicator
from siaga.cases.workflow import TransitionError, check_case_move, initial_status, is_terminal
from siaga.domain.cases import (
    AsnElements,
    CaseStatus,
    CaseTimeline,
    CaseType,
    CaseView,
    DeadlineView,
    StatusChange,
)
from siaga.domain.risk import ObservationSource
from siaga.domain.roles import AGENCIES, Role, Viewer
from siaga.risk.framework import get_framework
from siaga.services.casework import (
    Casework,
    CaseworkError,
    NotAllowed,
    NotFound,
    check_region,
    utc,
)
from siaga.services.risk import RiskError, record_observation
from siaga.store import audit
from siaga.store import case_links as links
from siaga.store import cases as db
from siaga.store.tx import StoredRow, Tx, reading, writing

TERMINAL = [CaseStatus.CLOSED.value, CaseStatus.DISMISSED.value]


def parse_type(value: str) -> CaseType:
    """Return the case type named `value`, or raise CaseworkError listing the types."""
    try:
        return CaseType(value)
    except ValueError:
        raise CaseworkError(f"jenis kasus tidak dikenal / unknown case type {value!r}; expected "
                            f"one of {', '.join(t.value for t in CaseType)}") from None


def parse_status(value: str) -> CaseStatus:
    """Return the case status named `value`, or raise CaseworkError listing the statuses."""
    try:
        return CaseStatus(value)
    except ValueError:
        raise CaseworkError(f"status tidak dikenal / unknown status {value!r}; expected one of "
                            f"{', '.join(s.value for s in CaseStatus)}") from None


def case_row(conn: Tx, case_id: int, *, lock: bool = False) -> StoredRow:
    """Return the stored case row, or raise NotFound."""
    row = db.case_by_id(conn, case_id, lock=lock)
    if row is None:
        raise NotFound(f"kasus {case_id} tidak ditemukan / case {case_id} not found")
    return row


def timeline(conn: Tx, row: Any) -> CaseTimeline:
    """Return the status history of a case from its action log."""
    changes = db.status_changes(conn, row.id)
    return CaseTimeline(CaseType(row.case_type), bool(row.urgent),
                        tuple(StatusChange(CaseStatus(c.to_status), utc_at(c.at))
                              for c in changes))


def utc_at(moment: datetime) -> datetime:
    """Return a stored datetime as aware UTC."""
    converted = utc(moment)
    assert converted is not None
    return converted


def _due_values(cw: Casework, line: CaseTimeline) -> dict[str, Any]:
    due = current_due(cw.rules.route(line.case_type), line)
    return {"due_at": due.due_at if due else None,
            "deadline_name": due.rule.name if due else None}


def describe(cw: Casework, row: Any, line: CaseTimeline | None = None) -> CaseView:
    """Return a case's view, with its deadlines (and local due time) when the line is given."""
    due_at = utc(row.due_at)
    deadlines = None if line is None else [
        _deadline_view(d, row.region_code)
        for d in deadlines_of(cw.rules.route(line.case_type), line)]
    return CaseView(
        id=row.id, type=row.case_type, title=row.title, status=row.status,
        urgent=bool(row.urgent), region=row.region_code, lead_agency=row.lead_agency,
        supporting_agencies=[a for a in row.supporting_agencies.split(",") if a],
        opened_at=utc(row.opened_at), opened_by=row.opened_by, assigned_to=row.assigned_to,
        due_at=due_at, deadline_name=row.deadline_name, escalated_at=utc(row.escalated_at),
        closed_at=utc(row.closed_at), description=row.description,
        details=json.loads(row.details) if row.details else {}, alert=row.alert_id,
        due_local=local_time(due_at, row.region_code) if due_at else None,
        deadlines=deadlines)


def _deadline_view(d: Deadline, region: str | None) -> DeadlineView:
    return DeadlineView(
        name=d.rule.name, started_at=d.started_at, due_at=d.due_at,
        due_local=local_time(d.due_at, region), met_at=d.met_at, late=d.late(),
        hours=d.rule.hours_for(False), urgent_hours=d.rule.hours_for(True),
        legal_ref=d.rule.legal_ref, assumption=d.rule.assumption)


def open_case(cw: Casework, case_type: CaseType, title: str, actor: str, *,
              region: str | None = None, urgent: bool = False, description: str | None = None,
              report_ids: Sequence[int] = (), viewer: Viewer | None = None) -> CaseView:
    """Open a case routed by the rules; return it with its agencies and due time.

    `viewer` is the signed-in user opening it (None: the operator at the command line); each
    report they link is checked against what they may see (NotAllowed otherwise).
    """
    if not title.strip():
        raise CaseworkError("judul kasus kosong / the case title is empty")
    with writing(cw.store) as conn:
        return insert_case(conn, cw, case_type, title, actor, region=region, urgent=urgent,
                           description=description, report_ids=report_ids, viewer=viewer)


def insert_case(conn: Tx, cw: Casework, case_type: CaseType, title: str, actor: str, *,
                region: str | None = None, urgent: bool = False,
                description: str | None = None, report_ids: Sequence[int] = (),
                viewer: Viewer | None = None, alert_id: int | None = None) -> CaseView:
    """Open a case in the caller's write transaction; return it (see `open_case`)."""
    rule = cw.rules.route(case_type)
    check_own_agency(rule.lead, case_type, viewer)
    now = cw.now()
    status = initial_status(case_type)
    line = CaseTimeline(case_type, urgent, (StatusChange(status, now),))
    check_links(conn, report_ids, viewer)
    values: dict[str, Any] = {
        "case_type": case_type.value, "title": title.strip()[:300], "status": status.value,
        "description": description, "urgent": urgent, "region_code": check_region(conn, region),
        "lead_agency": rule.lead, "supporting_agencies": ",".join(rule.supporting),
        "opened_at": now, "opened_by": actor, "alert_id": alert_id, **_due_values(cw, line)}
    case_id = db.insert_case(conn, values)
    db.log_action(conn, case_id, now, actor, "opened", to_status=status.value,
                  body=f"lead {rule.lead}")
    links.insert_links(conn, case_id, report_ids)
    audit.append(conn, now, [audit.Change(actor, "case.open", "case", case_id, None,
                                          {**values, "reports": list(report_ids)})])
    return describe(cw, case_row(conn, case_id), line)


def check_own_agency(lead: str, case_type: CaseType, viewer: Viewer | None) -> None:
    """Refuse (NotAllowed) an agency officer opening a case another agency would lead.

    Such a case would land on the other agency's board, out of its opener's sight; routing
    work between agencies is the analyst's (Kesbangpol's) job.
    """
    if viewer is None or viewer.role is not Role.AGENCY_OFFICER or viewer.agency == lead:
        return
    raise NotAllowed(
        f"kasus {case_type.value} dipimpin {lead}; petugas {viewer.agency} hanya membuka kasus "
        f"instansinya sendiri, minta analis Kesbangpol membuka dan merutekannya / a "
        f"{case_type.value} case is led by {lead}; an officer of {viewer.agency} opens cases "
        "for their own agency only: ask the analyst to open and route it")


def check_links(conn: Tx, report_ids: Sequence[int], viewer: Viewer | None) -> None:
    """Refuse unknown reports (NotFound) and reports the viewer may not link (NotAllowed).

    The check is per report: an officer may link a report that names nobody, or one whose
    reporter they already see; any other report is for an analyst to link.
    """
    found = links.link_candidates(conn, report_ids)
    missing = [i for i in dict.fromkeys(report_ids) if i not in found]
    if missing:
        raise NotFound(f"laporan tidak ditemukan / reports not found: {missing}")
    if viewer is None:
        return
    leads = links.lead_agencies(conn, found)
    refused = [i for i, r in found.items() if not may_link(
        report_access(viewer, submitted_by=r.submitted_by, lead_agencies=leads.get(i, set())),
        has_identity=r.has_identity)]
    if refused:
        shown = ", ".join(map(str, refused[:20])) + (f" (+{len(refused) - 20})"
                                                      if len(refused) > 20 else "")
        raise NotAllowed(
            f"laporan {shown} tidak boleh Anda tautkan (memuat identitas pelapor); minta analis "
            f"menautkannya / you may not link reports {shown} (they carry the reporter's "
            "identity); ask an analyst to link them")


def move_case(cw: Casework, case_id: int, target: CaseStatus, actor: str,
              note: str | None = None) -> CaseView:
    """Move a case to `target` if the workflow allows it; log it, recompute its deadline."""
    now = cw.now()
    with writing(cw.store) as conn:
        row = case_row(conn, case_id, lock=True)
        case_type = CaseType(row.case_type)
        current = CaseStatus(row.status)
        check_case_move(case_type, current, target)
        if case_type is CaseType.ASN_NEUTRALITY and target is CaseStatus.VERIFYING:
            _require_asn_elements(row)
        db.log_action(conn, case_id, now, actor, "status", from_status=current.value,
                      to_status=target.value, body=note)
        line = timeline(conn, row)
        values = {"status": target.value, "escalated_at": None,
                  "closed_at": now if is_terminal(target) else None, **_due_values(cw, line)}
        if is_terminal(target):
            values.update(due_at=None, deadline_name=None)
        db.update_case(conn, case_id, **values)
        audit.append(conn, now, [audit.Change(actor, "case.status", "case", case_id,
                                              {"status": current.value, "due_at": row.due_at},
                                              {**values, "note": note})])
        _record_risk(cw, conn, row, target, actor, now)
        return describe(cw, case_row(conn, case_id), line)


def _record_risk(cw: Casework, conn: Tx, row: Any, target: CaseStatus, actor: str,
                 now: datetime) -> None:
    """Record a confirmed case as a risk observation where it happened, and log either way."""
    indicator = confirmed_indicator(CaseType(row.case_type), target)
    if indicator is None:
        return
    if not row.region_code:
        body = f"{indicator}: no region on the case, so no risk observation was recorded"
    else:
        try:
            framework = get_framework(RISK_FRAMEWORK, cw.home / "frameworks")
            outcome = record_observation(conn, framework, row.region_code, indicator, 1,
                                         source=ObservationSource.CASE,
                                         evidence=f"case:{row.id}", observed_at=now)
            body = f"{RISK_FRAMEWORK} {indicator} at {row.region_code}: {outcome}"
        except RiskError as exc:
            body = f"{indicator}: not recorded ({exc})"
    db.log_action(conn, row.id, now, actor, "risk_observation", body=body[:2000])


def _require_asn_elements(row: Any) -> None:
    details = json.loads(row.details) if row.details else {}
    if "asn" not in details:
        raise TransitionError(
            f"kasus {row.id}: unsur formal ASN belum lengkap / the ASN report's formal elements "
            "are not recorded yet; record them with `siaga case asn` before verifying")


def add_action(cw: Casework, case_id: int, kind: str, actor: str, body: str,
               assign_to: str | None = None) -> CaseView:
    """Log a comment or an assignment on a case; return the case."""
    now = cw.now()
    with writing(cw.store) as conn:
        row = case_row(conn, case_id, lock=True)
        db.log_action(conn, case_id, now, actor, kind, body=body)
        change = audit.Change(actor, f"case.{kind}", "case", case_id, None, {"body": body})
        if assign_to is not None:
            db.update_case(conn, case_id, assigned_to=assign_to)
            change = audit.Change(actor, "case.assign", "case", case_id,
                                  {"assigned_to": row.assigned_to}, {"assigned_to": assign_to})
        audit.append(conn, now, [change])
        return describe(cw, case_row(conn, case_id))


def set_details(cw: Casework, case_id: int, key: str, value: dict[str, Any],
                actor: str) -> CaseView:
    """Store a block of case details (ASN elements, takedown fields) and audit the change."""
    now = cw.now()
    with writing(cw.store) as conn:
        row = case_row(conn, case_id, lock=True)
        details = json.loads(row.details) if row.details else {}
        before = details.get(key)
        details[key] = value
        db.update_case(conn, case_id,
                       details=json.dumps(details, ensure_ascii=False, default=str))
        db.log_action(conn, case_id, now, actor, "details", body=key)
        audit.append(conn, now, [audit.Change(actor, f"case.{key}", "case", case_id,
                                              before, value)])
        return describe(cw, case_row(conn, case_id))


def show_case(cw: Casework, case_id: int) -> CaseView:
    """Return a case with its deadlines, its action log and its linked report ids."""
    with reading(cw.store) as conn:
        row = case_row(conn, case_id)
        return replace(describe(cw, row, timeline(conn, row)),
                       actions=db.actions_of(conn, case_id),
                       reports=db.linked_report_ids(conn, case_id))


def list_cases(cw: Casework, *, agency: str | None = None, overdue: bool = False,
               status: CaseStatus | None = None, include_closed: bool = False,
               region: str | None = None, limit: int = 500) -> list[CaseView]:
    """Return cases, soonest due first; `agency` matches lead or supporting agencies.

    `region` keeps cases in that region or any region inside it (15.02 takes 15.02.01...).
    """
    with reading(cw.store) as conn:
        code = (check_region(conn, region) or "") if region is not None else None
        if agency is not None and agency not in AGENCIES:
            raise CaseworkError(f"instansi tidak dikenal / unknown agency {agency!r}; "
                                f"expected one of {', '.join(AGENCIES)}")
        rows = db.find_cases(conn, region=code, agency=agency,
                             statuses=None if status is None else [status.value],
                             exclude_statuses=[] if include_closed else TERMINAL,
                             due_before=cw.now() if overdue else None, limit=limit)
        return [describe(cw, row) for row in rows]


def escalate_overdue(cw: Casework, actor: str) -> list[CaseView]:
    """Escalate every overdue, not yet escalated case to the forum chair; return those cases."""
    now = cw.now()
    chair = cw.rules.escalate_to
    escalated = []
    with writing(cw.store) as conn:
        rows = db.overdue_unescalated(conn, now, TERMINAL)
        for row in rows:
            body = (f"eskalasi ke {chair} (ketua forum) / escalated to the forum chair: "
                    f"{row.deadline_name} due {local_time(utc_at(row.due_at), row.region_code)}")
            db.log_action(conn, row.id, now, actor, "escalate", body=body)
            db.update_case(conn, row.id, escalated_at=now)
            escalated.append(row.id)
        audit.append(conn, now, [audit.Change(actor, "case.escalate", "case", i, None,
                                              {"escalated_to": chair}) for i in escalated])
        return [describe(cw, case_row(conn, i)) for i in escalated]


def record_asn(cw: Casework, case_id: int, elements: AsnElements, actor: str) -> CaseView:
    """Record the formal elements of an ASN-neutrality case; return the case."""
    record = check_asn(elements)
    with reading(cw.store) as conn:
        if case_row(conn, case_id).case_type != CaseType.ASN_NEUTRALITY.value:
            raise CaseworkError(f"kasus {case_id} bukan netralitas ASN / case {case_id} is not "
                                "an asn_neutrality case")
    return set_details(cw, case_id, "asn", record, actor)
