"""Reports, cases and takedown: the use cases of the case desk, each in its own transaction.

The services open their transactions through the case context (`Casework`), which holds the
store; these methods hand them the application's context and return what they return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from siaga.application.concern import Concern
from siaga.domain.cases import (
    AsnElements,
    CaseStatus,
    CaseType,
    CaseView,
    NewReport,
    PromotedItem,
    ReceiptStatus,
    ReportStatus,
    ReportView,
)
from siaga.domain.roles import Viewer
from siaga.services import alert_cases
from siaga.services import cases as case_service
from siaga.services import reports as report_service
from siaga.services import takedown as takedown_service
from siaga.services.audit import AuditReport, verify_audit
from siaga.services.report_import import ImportSummary, import_reports_csv


class Cases(Concern):
    """Cases: open, move, comment, list, escalate; and the cases opened from alerts."""

    def open(self, case_type: CaseType, title: str, actor: str, *, region: str | None = None,
             urgent: bool = False, description: str | None = None,
             report_ids: Sequence[int] = (), viewer: Viewer | None = None) -> CaseView:
        """Return the new case, routed to its lead and supporting agencies by the rules."""
        return case_service.open_case(self.app.casework, case_type, title, actor, region=region,
                                      urgent=urgent, description=description,
                                      report_ids=report_ids, viewer=viewer)

    def show(self, case_id: int) -> CaseView:
        """Return a case with its deadlines, log and linked reports (NotFound if none)."""
        return case_service.show_case(self.app.casework, case_id)

    def move(self, case_id: int, target: CaseStatus, actor: str,
             note: str | None = None) -> CaseView:
        """Return the case after moving it along its workflow (TransitionError if illegal)."""
        return case_service.move_case(self.app.casework, case_id, target, actor, note=note)

    def act(self, case_id: int, kind: str, actor: str, body: str,
            assign_to: str | None = None) -> CaseView:
        """Return the case after logging a comment or an assignment on it."""
        return case_service.add_action(self.app.casework, case_id, kind, actor, body,
                                       assign_to=assign_to)

    def find(self, *, agency: str | None = None, overdue: bool = False,
             status: CaseStatus | None = None, include_closed: bool = False,
             region: str | None = None) -> list[CaseView]:
        """Return cases, soonest due first; `agency` matches lead or supporting agencies."""
        return case_service.list_cases(self.app.casework, agency=agency, overdue=overdue,
                                       status=status, include_closed=include_closed,
                                       region=region)

    def escalate_overdue(self, actor: str) -> list[CaseView]:
        """Return the overdue cases escalated now."""
        return case_service.escalate_overdue(self.app.casework, actor)

    def record_asn(self, case_id: int, elements: AsnElements, actor: str) -> CaseView:
        """Return the ASN-neutrality case after recording its elements."""
        return case_service.record_asn(self.app.casework, case_id, elements, actor)

    def parse_type(self, value: str) -> CaseType:
        """Return the case type named by `value` (CaseworkError listing the known ones)."""
        return case_service.parse_type(value)

    def parse_status(self, value: str) -> CaseStatus:
        """Return the case status named by `value` (CaseworkError listing the known ones)."""
        return case_service.parse_status(value)

    def of_alert(self, alert_id: int) -> int | None:
        """Return the id of the case opened from an alert, or None."""
        return alert_cases.case_id_of_alert(self.app.casework, alert_id)

    def open_from_alert(self, alert_id: int, actor: str, *, sample: str,
                        viewer: Viewer | None = None) -> alert_cases.AlertCase:
        """Return the alert's case and whether this call opened it."""
        return alert_cases.open_case_from_alert(self.app.casework, alert_id, actor,
                                                sample=sample, viewer=viewer)

    def verify_audit(self, expect_hash: str | None = None) -> AuditReport:
        """Return whether the audit chain is whole (and ends in `expect_hash` if given)."""
        return verify_audit(self.app.store, expect_hash)


class Reports(Concern):
    """Reports: submit, check a receipt, the review queue, bulk moves, CSV import."""

    def submit(self, new: NewReport, *, anonymous: bool = False,
               source_hash: str | None = None,
               files: Sequence[tuple[str, bytes]] = ()) -> report_service.StoredReport:
        """Return the stored report and its receipt (a resend returns the first one)."""
        return report_service.submit_report(self.app.casework, new, anonymous=anonymous,
                                            source_hash=source_hash, files=files)

    def promote(self, item: PromotedItem, actor: str) -> report_service.StoredReport:
        """Return the report made from a signal or an alert."""
        return report_service.promote(self.app.casework, item, actor)

    def receipt(self, code: str) -> ReceiptStatus:
        """Return the status of the report with this receipt code, and nothing else."""
        return report_service.receipt_status(self.app.casework, code)

    def show(self, report_id: int, viewer: Viewer) -> ReportView:
        """Return one report as `viewer` may see it."""
        return report_service.show_report(self.app.casework, report_id, viewer)

    def queue(self, viewer: Viewer, statuses: Sequence[ReportStatus] | None = None,
              limit: int = 100, after_id: int = 0) -> list[ReportView]:
        """Return pending reports, oldest first, as `viewer` may see them."""
        if statuses is None:
            return report_service.review_queue(self.app.casework, viewer, limit=limit,
                                               after_id=after_id)
        return report_service.review_queue(self.app.casework, viewer, statuses, limit=limit,
                                           after_id=after_id)

    def move(self, ids: Sequence[int], target: ReportStatus, actor: str, *,
             reason: str | None = None) -> report_service.BulkResult:
        """Return which reports moved to `target` and which were refused, and why."""
        return report_service.move_reports(self.app.casework, ids, target, actor, reason=reason)

    def merge(self, keep: int, duplicates: Sequence[int],
              actor: str) -> report_service.BulkResult:
        """Return the outcome of marking `duplicates` as duplicates of `keep`."""
        return report_service.merge_duplicates(self.app.casework, keep, duplicates, actor)

    def assign(self, ids: Sequence[int], assignee: str,
               actor: str) -> report_service.BulkResult:
        """Return the outcome of assigning many reports to one reviewer."""
        return report_service.assign_reports(self.app.casework, ids, assignee, actor)

    def import_csv(self, path: Path, actor: str, *,
                   after_row: Callable[[int], None] | None = None,
                   progress: Callable[[int], None] | None = None) -> ImportSummary:
        """Return the summary of importing a CSV of reports (only rows not stored before)."""
        return import_reports_csv(self.app.casework, path, actor, after_row=after_row,
                                  progress=progress)


class Takedown(Concern):
    """Takedown requests: evidence, the complaint, the pack for the platform, the tracker."""

    def add_evidence(self, case_id: int, url: str, actor: str, *,
                     captured_at: datetime | None = None, captured_text: str | None = None,
                     platform: str | None = None,
                     screenshot: tuple[str, bytes] | None = None) -> int:
        """Return the id of the evidence recorded on a takedown case."""
        return takedown_service.add_evidence(
            self.app.casework, case_id, url, actor, captured_at=captured_at,
            captured_text=captured_text, platform=platform, screenshot=screenshot)

    def set_complaint(self, case_id: int, actor: str, *, category: str, articles: list[str],
                      candidate_pair: str | None) -> CaseView:
        """Return the case after recording its complaint."""
        return takedown_service.set_complaint(self.app.casework, case_id, actor,
                                              category=category, articles=articles,
                                              candidate_pair=candidate_pair)

    def build_pack(self, case_id: int, out: Path,
                   actor: str) -> takedown_service.PackResult:
        """Return what went into the complaint pack written to `out`."""
        return takedown_service.build_pack(self.app.casework, case_id, out, actor)

    def tracker(self, case_id: int) -> takedown_service.TakedownTracker:
        """Return the takedown's progress: evidence, complaint, pack, answers."""
        return takedown_service.tracker(self.app.casework, case_id)
