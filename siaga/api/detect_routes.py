"""Signals and alerts for signed-in staff: the alerts feed, one alert, the signals explorer,
a contest's attacks by target pair."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi import Path as FastPath

from siaga.application import Siaga
from siaga.application.detection import SignalFilter, alert_view
from siaga.application.errors import CONTEST_ID_PATTERN, NotFound
from siaga.domain.access import Permission, Principal
from siaga.http.deps import App, dotted
from siaga.http.params import RowId
from siaga.http.security import current_principal, secured
from siaga.http.visibility import REFUSALS, refused, viewer_of

router = APIRouter(prefix="/api/v1", tags=["detection"])
Category = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")]


def alert_details(siaga: Siaga, alert_id: int) -> dict[str, Any]:
    """Return one alert with its case and its signals' details; 404 when there is none."""
    try:
        return siaga.detect.alert_details(alert_id).to_dict()
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/alerts", **secured(Permission.VIEW_ALERTS))
def alerts(siaga: App, scope: Annotated[str | None, Query(max_length=60)] = None,
           status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Return alerts, newest window first (the dashboard's feed polls this)."""
    if scope:
        scope = ",".join(dotted(c) for c in scope.split(",") if c.strip())
    return [alert_view(a).to_dict() for a in siaga.detect.alerts(scope, status, limit)]


@router.get("/alerts/{alert_id}", **secured(Permission.VIEW_ALERTS))
def alert(alert_id: RowId, siaga: App) -> dict[str, Any]:
    """Return one alert with its signals and what the pipeline made of them."""
    return alert_details(siaga, alert_id)


@router.post("/alerts/{alert_id}/case", status_code=201, **secured(Permission.CHANGE_CASES),
             responses={200: {"description": "The alert already has this case."},
                        409: {"description": "The alert's case is another agency's."}})
def case_from_alert(alert_id: RowId, siaga: App, response: Response,
                    principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Return the alert's case, opening it (a report and a routed case) on the first call.

    A second call answers the same case with 200; an officer whose agency would not lead the
    case is told to ask the analyst (403), and one who may not see the existing case gets 409.
    """
    try:
        shown = alert_details(siaga, alert_id)
        details = sorted(shown["signal_details"], key=lambda s: -s["severity"])
        sample = details[0]["text"][:500] if details else ""
        made = siaga.cases.open_from_alert(alert_id, principal.username or "", sample=sample,
                                           viewer=viewer_of(principal))
    except REFUSALS as exc:
        raise refused(exc) from exc
    case = made.case
    if not principal.sees_all_agencies and principal.agency != case.lead_agency \
            and principal.agency not in case.supporting_agencies:
        raise HTTPException(409, f"peringatan {alert_id} sudah punya kasus #{case.id} yang "
                            f"dipimpin {case.lead_agency} / alert {alert_id} already has "
                            f"case #{case.id}, led by {case.lead_agency}")
    if not made.created:
        response.status_code = 200
    return case.to_dict()


@router.get("/signals", **secured(Permission.VIEW_SIGNALS))
def signals(siaga: App, scope: Annotated[str | None, Query(max_length=13)] = None,
            category: Category = None,
            source: Annotated[str | None, Query(max_length=40)] = None,
            cluster: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Return signals with their categories, places and cluster, newest first, filtered."""
    wanted = SignalFilter(dotted(scope) if scope else None, category, source, cluster, since,
                          until, limit=limit)
    return [s.to_dict() for s in siaga.detect.signals(wanted)]


ContestId = Annotated[str, FastPath(max_length=48, pattern=CONTEST_ID_PATTERN,
                                    description="contest id, e.g. pilkada2024:regent:17.06")]


@router.get("/contests/{contest_id}/attacks", **secured(Permission.VIEW_SIGNALS))
def contest_attacks(contest_id: ContestId, siaga: App,
                    limit: Annotated[int, Query(ge=1, le=500)] = 500) -> dict[str, Any]:
    """Return a contest's attack signals over time, by target pair (camp attribution)."""
    found = siaga.detect.contest_attacks(contest_id, limit)
    if found is None:
        raise HTTPException(404, f"no contest {contest_id}")
    return found.to_dict()
