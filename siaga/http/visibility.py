"""Row-level visibility: what a signed-in principal may see of cases and reports, and how the
case layer's refusals become HTTP answers.

An agency officer sees and changes only the cases their agency leads or supports; any other
case answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from siaga.application import Siaga
from siaga.application.errors import CaseworkError, NotAllowed, NotFound
from siaga.cases.asn import AsnError
from siaga.cases.intake import IntakeError
from siaga.cases.workflow import TransitionError, case_moves
from siaga.domain.access import Principal
from siaga.domain.cases import CaseStatus, CaseType, CaseView
from siaga.domain.roles import Viewer

# Every refusal of the case layer is a ValueError subclass with a bilingual message.
REFUSALS = (CaseworkError, TransitionError, AsnError, IntakeError)


def viewer_of(principal: Principal) -> Viewer:
    """Return the privacy rules' view of a signed-in principal."""
    return Viewer(principal.username or "public", principal.role, principal.agency)


def involves(case: CaseView, agency: str | None) -> bool:
    """Return True when `agency` leads or supports the case."""
    return case.lead_agency == agency or agency in case.supporting_agencies


def visible_case(siaga: Siaga, case_id: int, principal: Principal) -> dict[str, Any]:
    """Return a case (as its JSON dict) with the moves it allows, or 404 when the principal
    may not see it."""
    try:
        case = siaga.cases.show(case_id)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    if not principal.sees_all_agencies and not involves(case, principal.agency):
        raise HTTPException(404, f"kasus {case_id} tidak ditemukan / case {case_id} not found")
    moves = sorted(case_moves(CaseType(case.type))[CaseStatus(case.status)])
    return {**case.to_dict(), "next_statuses": moves}


def refused(exc: ValueError) -> HTTPException:
    """Return the HTTP answer to a refusal: 404 not found, 403 not allowed, else 422."""
    code = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, NotAllowed) else 422
    return HTTPException(code, str(exc))
