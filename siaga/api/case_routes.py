"""Cases and the report queue for signed-in users: each agency officer sees its own agency's work.

Row-level rule (siaga.http.visibility): an agency officer sees and changes only the cases
their agency leads or supports; any other case answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from siaga.domain.access import Permission, Principal
from siaga.domain.cases import CaseStatus, CaseType, ReportStatus
from siaga.http.deps import App
from siaga.http.params import AfterId, IdValue, PageSize, RowId
from siaga.http.security import current_principal, secured
from siaga.http.visibility import REFUSALS, refused, viewer_of, visible_case


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


router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/cases", **secured(Permission.VIEW_CASES))
def list_cases(siaga: App, overdue: bool = False, status: CaseStatus | None = None,
               region: str | None = None, agency: str | None = None,
               principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    """Return open cases, soonest due first (an agency officer: their agency's only)."""
    chosen = agency if principal.sees_all_agencies else principal.agency
    try:
        found = siaga.cases.find(agency=chosen, overdue=overdue, status=status, region=region)
    except REFUSALS as exc:
        raise refused(exc) from exc
    return [c.to_dict() for c in found]


@router.post("/cases", status_code=201, **secured(Permission.CHANGE_CASES))
def open_case(body: CaseIn, siaga: App, principal: Principal = Depends(current_principal)
              ) -> dict[str, Any]:
    """Open a case; the rules name its lead and supporting agencies and its deadlines."""
    try:
        case = siaga.cases.open(body.type, body.title, principal.username or "",
                                region=body.region, urgent=body.urgent,
                                description=body.description, report_ids=body.reports,
                                viewer=viewer_of(principal))
    except REFUSALS as exc:
        raise refused(exc) from exc
    return case.to_dict()


@router.get("/cases/{case_id}", **secured(Permission.VIEW_CASES))
def show_case(case_id: RowId, siaga: App, principal: Principal = Depends(current_principal)
              ) -> dict[str, Any]:
    """Return a case with its deadlines, log, linked reports and the moves it allows."""
    return visible_case(siaga, case_id, principal)


@router.post("/cases/{case_id}/move", **secured(Permission.CHANGE_CASES))
def move_case(case_id: RowId, body: MoveIn, siaga: App,
              principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Move a case along its workflow; an illegal move is refused with the allowed ones."""
    visible_case(siaga, case_id, principal)
    try:
        case = siaga.cases.move(case_id, body.status, principal.username or "",
                                note=body.note)
    except REFUSALS as exc:
        raise refused(exc) from exc
    return case.to_dict()


@router.post("/cases/{case_id}/comments", status_code=201,
             **secured(Permission.CHANGE_CASES))
def comment(case_id: RowId, body: CommentIn, siaga: App,
            principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Add a comment to a case's log."""
    visible_case(siaga, case_id, principal)
    try:
        siaga.cases.act(case_id, "comment", principal.username or "", body.body)
    except REFUSALS as exc:
        raise refused(exc) from exc
    return {"case": case_id, "comment": body.body}


@router.get("/reports", **secured(Permission.VIEW_REPORTS))
def queue(siaga: App, after_id: AfterId = 0, limit: PageSize = 100,
          principal: Principal = Depends(current_principal)) -> list[dict[str, Any]]:
    """Return the review queue (new and verifying), the reporter shown only where allowed."""
    found = siaga.reports.queue(viewer_of(principal), limit=limit, after_id=after_id)
    return [r.to_dict() for r in found]


@router.get("/reports/{report_id}", **secured(Permission.VIEW_REPORTS))
def show_report(report_id: RowId, siaga: App, principal: Principal = Depends(current_principal)
                ) -> dict[str, Any]:
    """Return one report as the asking role may see it."""
    try:
        report = siaga.reports.show(report_id, viewer_of(principal))
    except REFUSALS as exc:
        raise refused(exc) from exc
    return report.to_dict()


@router.post("/reports/triage", **secured(Permission.TRIAGE_REPORTS))
def triage(body: TriageIn, siaga: App, principal: Principal = Depends(current_principal)
           ) -> dict[str, Any]:
    """Move many reports at once; each illegal move is listed, the rest go through."""
    try:
        result = siaga.reports.move(body.ids, body.status, principal.username or "",
                                    reason=body.reason)
    except REFUSALS as exc:
        raise refused(exc) from exc
    return {"changed": result.changed,
            "refused": [{"id": i, "reason": why} for i, why in result.refused]}
