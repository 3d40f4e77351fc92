"""Cases and the report queue for signed-in users: each agency officer sees its own agency's work.

Row-level rule: an agency officer sees and changes only the cases their agency leads or
supports; any other case answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from siaga.api.params import AfterId, IdValue, PageSize, RowId
from siaga.api.security import current_principal, secured
from siaga.cases.asn import AsnError
from siaga.cases.intake import IntakeError
from siaga.cases.workflow import TransitionError, case_moves
from siaga.domain.access import Permission, Principal
from siaga.domain.cases import CaseStatus, CaseType, ReportStatus
from siaga.domain.roles import Viewer
from siaga.services import cases as service
from siaga.services import reports as report_service
from siaga.services.casework import Casework, CaseworkError, NotAllowed, NotFound


class CaseIn(BaseModel):
    """A case to open: routed to its agencies by the rules."""

    type: CaseType
    title: str = Field(min_length=1, max_length=300)
    region: str | None = Field(default=None, max_length=13)
    urgent: bool = False
    description: str | None = Field(default=None, max_length=10_000)
    reports: list[IdValue] = Field(default_factory=list, max_length=500)


class MoveIn(BaseModel):
    """A move of a case along its workflow."""

    status: CaseStatus
    note: str | None = Field(default=None, max_length=2_000)


class CommentIn(BaseModel):
    """A comment on a case's log."""

    body: str = Field(min_length=1, max_length=5_000)


class TriageIn(BaseModel):
    """A bulk move of reports (e.g. reject with a reason)."""

    ids: list[IdValue] = Field(min_length=1, max_length=5_000)
    status: ReportStatus
    reason: str | None = Field(default=None, max_length=2_000)


def viewer_of(principal: Principal) -> Viewer:
    """Return the privacy rules' view of a signed-in principal."""
    return Viewer(principal.username or "public", principal.role, principal.agency)


def _involves(case: dict[str, Any], agency: str | None) -> bool:
    return case["lead_agency"] == agency or agency in case["supporting_agencies"]


def visible_case(cw: Casework, case_id: RowId, principal: Principal) -> dict[str, Any]:
    """Return a case with the moves it allows, or 404 when the principal may not see it."""
    try:
        case = service.show_case(cw, case_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if not principal.sees_all_agencies and not _involves(case, principal.agency):
        raise HTTPException(404, f"kasus {case_id} tidak ditemukan / case {case_id} not found")
    case["next_statuses"] = sorted(case_moves(CaseType(case["type"]))[CaseStatus(case["status"])])
    return case


# Every refusal of the case layer is a ValueError subclass with a bilingual message.
REFUSALS = (CaseworkError, TransitionError, AsnError, IntakeError)


def refused(exc: ValueError) -> HTTPException:
    code = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, NotAllowed) else 422
    return HTTPException(code, str(exc))


def case_router(cw: Casework) -> APIRouter:
    """Return the case and report-queue routes bound to a case context."""
    router = APIRouter(prefix="/api/v1", tags=["cases"])

    @router.get("/cases", **secured(Permission.VIEW_CASES))
    def list_cases(overdue: bool = False, status: CaseStatus | None = None,
                   region: str | None = None, agency: str | None = None,
                   principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
        """Return open cases, soonest due first (an agency officer: their agency's only)."""
        chosen = agency if principal.sees_all_agencies else principal.agency
        try:
            return service.list_cases(cw, agency=chosen, overdue=overdue, status=status,
                                      region=region)
        except REFUSALS as exc:
            raise refused(exc) from exc

    @router.post("/cases", status_code=201, **secured(Permission.CHANGE_CASES))
    def open_case(body: CaseIn, principal: Principal = Depends(current_principal)
                  ) -> dict[str, Any]:
        """Open a case; the rules name its lead and supporting agencies and its deadlines."""
        try:
            return service.open_case(cw, body.type, body.title, principal.username or "",
                                     region=body.region, urgent=body.urgent,
                                     description=body.description, report_ids=body.reports,
                                     viewer=viewer_of(principal))
        except REFUSALS as exc:
            raise refused(exc) from exc

    @router.get("/cases/{case_id}", **secured(Permission.VIEW_CASES))
    def show_case(case_id: RowId, principal: Principal = Depends(current_principal)
                  ) -> dict[str, Any]:
        """Return a case with its deadlines, log, linked reports and the moves it allows."""
        return visible_case(cw, case_id, principal)

    @router.post("/cases/{case_id}/move", **secured(Permission.CHANGE_CASES))
    def move_case(case_id: RowId, body: MoveIn,
                  principal: Principal = Depends(current_principal)) -> dict[str, Any]:
        """Move a case along its workflow; an illegal move is refused with the allowed ones."""
        visible_case(cw, case_id, principal)
        try:
            return service.move_case(cw, case_id, body.status, principal.username or "",
                                     note=body.note)
        except REFUSALS as exc:
            raise refused(exc) from exc

    @router.post("/cases/{case_id}/comments", status_code=201,
                 **secured(Permission.CHANGE_CASES))
    def comment(case_id: RowId, body: CommentIn,
                principal: Principal = Depends(current_principal)) -> dict[str, Any]:
        """Add a comment to a case's log."""
        visible_case(cw, case_id, principal)
        try:
            service.add_action(cw, case_id, "comment", principal.username or "", body.body)
        except REFUSALS as exc:
            raise refused(exc) from exc
        return {"case": case_id, "comment": body.body}

    @router.get("/reports", **secured(Permission.VIEW_REPORTS))
    def queue(after_id: AfterId = 0, limit: PageSize = 100,
              principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
        """Return the review queue (new and verifying), the reporter shown only where allowed."""
        return report_service.review_queue(cw, viewer_of(principal), limit=limit,
                                           after_id=after_id)

    @router.get("/reports/{report_id}", **secured(Permission.VIEW_REPORTS))
    def show_report(report_id: RowId, principal: Principal = Depends(current_principal)
                    ) -> dict[str, Any]:
        """Return one report as the asking role may see it."""
        try:
            return report_service.show_report(cw, report_id, viewer_of(principal))
        except REFUSALS as exc:
            raise refused(exc) from exc

    @router.post("/reports/triage", **secured(Permission.TRIAGE_REPORTS))
    def triage(body: TriageIn, principal: Principal = Depends(current_principal)
               ) -> dict[str, Any]:
        """Move many reports at once; each illegal move is listed, the rest go through."""
        try:
            result = report_service.move_reports(cw, body.ids, body.status,
                                                 principal.username or "", reason=body.reason)
        except REFUSALS as exc:
            raise refused(exc) from exc
        return {"changed": result.changed,
                "refused": [{"id": i, "reason": why} for i, why in result.refused]}

    return router

