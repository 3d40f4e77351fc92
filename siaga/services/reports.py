"""Report use cases: intake from every channel, receipts, the review queue and bulk triage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict, cast

from siaga.cases.attachments import CheckedFile, check_file, store_file
from siaga.cases.intake import check_text, new_receipt, normalise_receipt
from siaga.cases.privacy import redact, report_access
from siaga.cases.workflow import TransitionError, check_report_move
from siaga.domain.cases import (
    Channel,
    NewReport,
    PromotedItem,
    ReceiptStatus,
    ReportStatus,
    ReportView,
)
from siaga.domain.roles import Viewer
from siaga.services.casework import (
    Casework,
    CaseworkError,
    NotFound,
    TooManyReports,
    check_region,
    utc,
)
from siaga.store import audit
from siaga.store import reports as db
from siaga.store.case_links import lead_agencies
from siaga.store.tx import DuplicateRow, Tx, reading, writing

CHUNK = 500


@dataclass(frozen=True)
class StoredReport:
    """A report once stored: its id and the receipt code given to the reporter."""

    id: int
    receipt: str
    status: ReportStatus


def _record(row: Any) -> dict[str, Any]:
    """Return a report row's fields by their view names, identity included (to redact)."""
    return {"id": row.id, "receipt": row.receipt, "status": row.status,
            "channel": row.channel, "text": row.text, "region": row.region_code, "url": row.url,
            "category": row.category, "occurred_at": utc(row.occurred_at),
            "received_at": utc(row.received_at), "anonymous": row.anonymous,
            "reporter_name": row.reporter_name, "reporter_contact": row.reporter_contact,
            "origin_kind": row.origin_kind, "origin_ref": row.origin_ref,
            "submitted_by": row.submitted_by, "assigned_to": row.assigned_to,
            "duplicate_of": row.duplicate_of, "reject_reason": row.reject_reason}


class ReportAudit(TypedDict, total=False):
    """A new report's values as the audit log records them (a JSON record): the stored
    columns but the reporter's identity, which is only said to be given or not."""

    receipt: str
    status: str
    channel: str
    text: str
    region_code: str | None
    url: str | None
    category: str | None
    occurred_at: datetime | None
    received_at: datetime
    anonymous: bool
    source_hash: str | None
    origin_kind: str | None
    origin_ref: str | None
    import_key: str | None
    submitted_by: str | None
    client_id: str | None
    reporter: str


def audit_view(values: dict[str, Any]) -> ReportAudit:
    """Return report values fit for the audit log: the reporter's identity is never copied."""
    shown = {k: v for k, v in values.items() if k not in ("reporter_name", "reporter_contact")}
    shown["reporter"] = "given" if values.get("reporter_name") else "none"
    return cast(ReportAudit, shown)  # the columns insert_report stores, named as ReportAudit


def check_files(cw: Casework, files: Sequence[tuple[str, bytes]]) -> list[CheckedFile]:
    """Return the checked attachments, or raise AttachmentError before anything is stored."""
    return [check_file(content, name, cw.limits.attachments) for name, content in files]


def insert_report(conn: Tx, cw: Casework, new: NewReport, *, anonymous: bool = False,
                  source_hash: str | None = None, import_key: str | None = None,
                  files: Sequence[CheckedFile] = (),
                  pending: list[audit.Change] | None = None) -> StoredReport:
    """Store one report (and its attachments) in the caller's transaction, with its audit entry.

    With `pending`, the audit entry is added to that list for the caller to append with the
    rest of its batch (same transaction), instead of being appended at once.
    """
    now = cw.now()
    region = check_region(conn, new.region)
    receipt = new_receipt()
    while db.receipt_taken(conn, receipt):
        receipt = new_receipt()
    reporter = None if anonymous else new.reporter
    values: dict[str, Any] = {
        "receipt": receipt, "status": ReportStatus.NEW.value, "channel": new.channel.value,
        "text": check_text(new.text), "region_code": region, "url": new.url,
        "category": new.category, "occurred_at": new.occurred_at, "received_at": now,
        "reporter_name": reporter.name if reporter else None,
        "reporter_contact": reporter.contact if reporter else None,
        "anonymous": reporter is None, "source_hash": source_hash,
        "origin_kind": new.origin.kind if new.origin else None,
        "origin_ref": new.origin.ref if new.origin else None, "import_key": import_key,
        "submitted_by": new.submitted_by, "client_id": new.client_id}
    report_id = db.insert_report(conn, values)
    for checked in files:
        attach(conn, cw, checked, now, report_id=report_id)
    change = audit.Change(new.submitted_by or "public", "report.create", "report", report_id,
                          None, audit_view(values))
    if pending is None:
        audit.append(conn, now, [change])
    else:
        pending.append(change)
    return StoredReport(report_id, receipt, ReportStatus.NEW)


def attach(conn: Tx, cw: Casework, checked: CheckedFile, now: datetime,
            report_id: int | None = None, case_id: int | None = None) -> int:
    store_file(cw.home, checked)
    return db.insert_attachment(conn, dict(
        report_id=report_id, case_id=case_id, sha256=checked.sha256,
        media_type=checked.media_type, size=len(checked.content), filename=checked.filename[:255],
        stored_path=str(checked.relative_path), added_at=now))


def submit_report(cw: Casework, new: NewReport, *, anonymous: bool = False,
                  source_hash: str | None = None,
                  files: Sequence[tuple[str, bytes]] = ()) -> StoredReport:
    """Store a report from any channel; the public's are held to the per-sender hourly limit."""
    checked = check_files(cw, files)
    try:
        with writing(cw.store) as conn:
            held = _sent_before(conn, new.client_id)
            if held is not None:  # a resend of a report already stored: the same receipt
                return held
            if source_hash is not None:
                _check_limit(conn, cw, source_hash)
            return insert_report(conn, cw, new, anonymous=anonymous, source_hash=source_hash,
                                 files=checked)
    except DuplicateRow:
        # Two copies raced; the unique client id let one in. Answer with that one.
        with reading(cw.store) as conn:
            held = _sent_before(conn, new.client_id)
        if held is None:
            raise
        return held


def _sent_before(conn: Tx, client_id: str | None) -> StoredReport | None:
    """Return the report stored under the sender's client id, or None."""
    found = db.report_by_client_id(conn, client_id) if client_id else None
    return None if found is None else StoredReport(found.id, found.receipt,
                                                   ReportStatus(found.status))


def _check_limit(conn: Tx, cw: Casework, source_hash: str) -> None:
    since = cw.now() - timedelta(hours=1)
    count = db.count_from_source(conn, source_hash, since)
    if count >= cw.limits.per_source_per_hour:
        raise TooManyReports(
            f"terlalu banyak laporan / too many reports: {count} from this sender in the last "
            f"hour (limit {cw.limits.per_source_per_hour}); try again later")


def promote(cw: Casework, item: PromotedItem, actor: str) -> StoredReport:
    """Store a report from a signal or alert-cluster item an analyst promotes (idempotent)."""
    with writing(cw.store) as conn:
        return promote_in(conn, cw, item, actor)


def promote_in(conn: Tx, cw: Casework, item: PromotedItem, actor: str) -> StoredReport:
    """Promote an item in the caller's write transaction; return the (new or held) report."""
    held = db.report_by_origin(conn, item.origin.kind, item.origin.ref)
    if held is not None:
        return StoredReport(held.id, held.receipt, ReportStatus(held.status))
    new = NewReport(text=item.text, channel=Channel.ANALYST, region=item.region,
                    url=item.url, occurred_at=item.published_at, origin=item.origin,
                    submitted_by=actor)
    return insert_report(conn, cw, new)


def receipt_status(cw: Casework, receipt: str) -> ReceiptStatus:
    """Return what the public may know of a report: its status and when it was received."""
    with reading(cw.store) as conn:
        row = db.report_by_receipt(conn, normalise_receipt(receipt))
    if row is None:
        raise NotFound(f"kode tanda terima {receipt!r} tidak ditemukan / receipt not found")
    return ReceiptStatus(row.receipt, row.status, utc(row.received_at))


def show_report(cw: Casework, report_id: int, viewer: Viewer) -> ReportView:
    """Return a report as `viewer` may see it (identity withheld unless the role needs it)."""
    with reading(cw.store) as conn:
        row = db.report_by_id(conn, report_id)
        if row is None:
            raise NotFound(f"laporan {report_id} tidak ditemukan / report {report_id} not found")
        leads = lead_agencies(conn, [report_id]).get(report_id, set())
        files = db.attachments_of(conn, report_id)
    shown = redact(_record(row), report_access(viewer, submitted_by=row.submitted_by,
                                               lead_agencies=leads))
    if shown is None:
        raise NotFound(f"laporan {report_id} tidak ditemukan / report {report_id} not found")
    return ReportView(**shown, attachments=files)


def review_queue(cw: Casework, viewer: Viewer, statuses: Sequence[ReportStatus] = (
        ReportStatus.NEW, ReportStatus.VERIFYING), limit: int = 100,
                 after_id: int = 0) -> list[ReportView]:
    """Return pending reports, oldest first, as `viewer` may see them (keyset-paged by id)."""
    with reading(cw.store) as conn:
        rows = db.pending_reports(conn, [s.value for s in statuses], after_id, limit)
        leads = lead_agencies(conn, [r.id for r in rows])
    shown = [redact(_record(r), report_access(viewer, submitted_by=r.submitted_by,
                                              lead_agencies=leads.get(r.id, set())))
             for r in rows]
    return [ReportView(**s) for s in shown if s is not None]


@dataclass(frozen=True)
class BulkResult:
    """What a bulk action did: ids changed and ids refused with the reason."""

    changed: list[int]
    refused: list[tuple[int, str]]


def move_reports(cw: Casework, ids: Sequence[int], target: ReportStatus, actor: str, *,
                 reason: str | None = None, duplicate_of: int | None = None) -> BulkResult:
    """Move many reports to `target` in one transaction; illegal moves are refused per id."""
    if target is ReportStatus.REJECTED and not (reason and reason.strip()):
        raise CaseworkError("penolakan perlu alasan / rejecting needs a reason (--reason)")
    changed: list[int] = []
    refused: list[tuple[int, str]] = []
    now = cw.now()
    with writing(cw.store) as conn:
        for start in range(0, len(ids), CHUNK):
            part = list(dict.fromkeys(ids[start:start + CHUNK]))
            current = db.column_of(conn, "status", part)
            legal, changes = [], []
            for report_id in part:
                if report_id not in current:
                    refused.append((report_id, "not found"))
                    continue
                try:
                    check_report_move(ReportStatus(current[report_id]), target)
                except TransitionError as exc:
                    refused.append((report_id, str(exc)))
                    continue
                legal.append(report_id)
                changes.append(audit.Change(actor, "report.status", "report", report_id,
                                            {"status": current[report_id]},
                                            {"status": target.value, "reason": reason,
                                             "duplicate_of": duplicate_of}))
            if legal:
                values: dict[str, Any] = {"status": target.value}
                if reason is not None:
                    values["reject_reason"] = reason
                if duplicate_of is not None:
                    values["duplicate_of"] = duplicate_of
                db.update_reports(conn, legal, **values)
                audit.append(conn, now, changes)
                changed += legal
    return BulkResult(changed, refused)


def merge_duplicates(cw: Casework, keep: int, duplicates: Sequence[int],
                     actor: str) -> BulkResult:
    """Mark `duplicates` as duplicates of `keep`, which must exist and not be one itself."""
    with reading(cw.store) as conn:
        kept = db.status_of(conn, keep)
    if kept is None:
        raise NotFound(f"laporan {keep} tidak ditemukan / report {keep} not found")
    if kept == ReportStatus.DUPLICATE.value:
        raise CaseworkError(f"laporan {keep} sendiri duplikat / report {keep} is itself a "
                            "duplicate; merge into the report it duplicates")
    others = [i for i in duplicates if i != keep]
    return move_reports(cw, others, ReportStatus.DUPLICATE, actor, duplicate_of=keep)


def assign_reports(cw: Casework, ids: Sequence[int], assignee: str, actor: str) -> BulkResult:
    """Assign many reports to one reviewer in one transaction."""
    now = cw.now()
    with writing(cw.store) as conn:
        changed: list[int] = []
        for start in range(0, len(ids), CHUNK):
            part = list(dict.fromkeys(ids[start:start + CHUNK]))
            current = db.column_of(conn, "assigned_to", part)
            found = [i for i in part if i in current]
            db.update_reports(conn, found, assigned_to=assignee)
            audit.append(conn, now, [audit.Change(actor, "report.assign", "report", i,
                                                  {"assigned_to": current[i]},
                                                  {"assigned_to": assignee}) for i in found])
            changed += found
    missing = [(i, "not found") for i in ids if i not in set(changed)]
    return BulkResult(changed, missing)
