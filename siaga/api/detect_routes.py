"""Signals and alerts for signed-in staff: the alerts feed, one alert, the signals explorer,
a contest's attacks by target pair."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi import Path as FastPath

from siaga.api.case_routes import REFUSALS, refused, viewer_of
from siaga.api.params import RowId
from siaga.api.regions_routes import dotted
from siaga.api.security import current_principal, secured, store_of
from siaga.domain.access import Permission, Principal
from siaga.services.alert_cases import alert_by_id, case_id_of_alert, open_case_from_alert
from siaga.services.attacks import CONTEST_ID_PATTERN, contest_timeline
from siaga.services.casework import NotFound
from siaga.store import alerts as alert_db
from siaga.store.explorer import SignalFilter, find_signals

router = APIRouter(prefix="/api/v1", tags=["detection"])
Category = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z_]+$")]


def alert_dict(alert: Any) -> dict[str, Any]:
    """Return an alert as JSON-ready values."""
    return {"id": alert.id, "region": alert.region_code, "category": alert.category,
            "window_start": alert.window_start.isoformat(), "window_days": alert.window_days,
            "observed": alert.observed, "expected": alert.expected, "p_value": alert.p_value,
            "method": alert.method, "status": alert.status.value,
            "opened_at": alert.opened_at.isoformat(), "updated_at": alert.updated_at.isoformat(),
            "max_severity": alert.max_severity, "signals": alert.signal_ids}


@router.get("/alerts", **secured(Permission.VIEW_ALERTS))
def alerts(request: Request, scope: Annotated[str | None, Query(max_length=60)] = None,
           status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
           limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Return alerts, newest window first (the dashboard's feed polls this)."""
    if scope:
        scope = ",".join(dotted(c) for c in scope.split(",") if c.strip())
    with store_of(request).engine.connect() as conn:
        return [alert_dict(a) for a in alert_db.list_alerts(conn, scope, status, limit)]


@router.get("/alerts/{alert_id}", **secured(Permission.VIEW_ALERTS))
def alert(alert_id: RowId, request: Request) -> dict[str, Any]:
    """Return one alert with its signals and what the pipeline made of them."""
    cw = request.app.state.casework
    try:
        found = alert_dict(alert_by_id(cw, alert_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    found["case"] = case_id_of_alert(cw, alert_id)
    with store_of(request).engine.connect() as conn:
        found["signal_details"] = find_signals(conn, SignalFilter(ids=tuple(found["signals"]),
                                                                  limit=500))
    return found


@router.post("/alerts/{alert_id}/case", status_code=201, **secured(Permission.CHANGE_CASES),
             responses={200: {"description": "The alert already has this case."},
                        409: {"description": "The alert's case is another agency's."}})
def case_from_alert(alert_id: RowId, request: Request, response: Response,
                    principal: Principal = Depends(current_principal)) -> dict[str, Any]:
    """Return the alert's case, opening it (a report and a routed case) on the first call.

    A second call answers the same case with 200; an officer whose agency would not lead the
    case is told to ask the analyst (403), and one who may not see the existing case gets 409.
    """
    cw = request.app.state.casework
    try:
        shown = alert(alert_id, request)
        details = sorted(shown["signal_details"], key=lambda s: -s["severity"])
        sample = details[0]["text"][:500] if details else ""
        made = open_case_from_alert(cw, alert_id, principal.username or "", sample=sample,
                                    viewer=viewer_of(principal))
    except REFUSALS as exc:
        raise refused(exc) from exc
    case = made.case
    if not principal.sees_all_agencies and principal.agency != case["lead_agency"] \
            and principal.agency not in case["supporting_agencies"]:
        raise HTTPException(409, f"peringatan {alert_id} sudah punya kasus #{case['id']} yang "
                            f"dipimpin {case['lead_agency']} / alert {alert_id} already has "
                            f"case #{case['id']}, led by {case['lead_agency']}")
    if not made.created:
        response.status_code = 200
    return case


@router.get("/signals", **secured(Permission.VIEW_SIGNALS))
def signals(request: Request, scope: Annotated[str | None, Query(max_length=13)] = None,
            category: Category = None,
            source: Annotated[str | None, Query(max_length=40)] = None,
            cluster: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
            since: datetime | None = None, until: datetime | None = None,
            limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    """Return signals with their categories, places and cluster, newest first, filtered."""
    wanted = SignalFilter(dotted(scope) if scope else None, category, source, cluster, since,
                          until, limit=limit)
    with store_of(request).engine.connect() as conn:
        return find_signals(conn, wanted)


ContestId = Annotated[str, FastPath(max_length=48, pattern=CONTEST_ID_PATTERN,
                                    description="contest id, e.g. pilkada2024:regent:17.06")]


@router.get("/contests/{contest_id}/attacks", **secured(Permission.VIEW_SIGNALS))
def contest_attacks(contest_id: ContestId, request: Request,
                    limit: Annotated[int, Query(ge=1, le=500)] = 500) -> dict[str, Any]:
    """Return a contest's attack signals over time, by target pair (camp attribution)."""
    with store_of(request).engine.connect() as conn:
        found = contest_timeline(conn, contest_id, limit)
    if found is None:
        raise HTTPException(404, f"no contest {contest_id}")
    return found
