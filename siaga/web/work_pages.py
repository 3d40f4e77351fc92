"""Dashboard pages of the forum's work: events, participation, briefing, cases, public reports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from siaga.api.params import RowId
from siaga.api.regions_routes import dotted
from siaga.api.security import current_principal, secured, store_of
from siaga.domain.access import PUBLIC, Permission, Principal
from siaga.web.pages import loaded_regencies, render

router = APIRouter(include_in_schema=False)


def _chosen_scope(request: Request, scope: str | None) -> tuple[str, list[dict[str, str]]]:
    regencies = loaded_regencies(request)
    if scope:
        return dotted(scope), regencies
    return (regencies[0]["code"] if regencies else ""), regencies


@router.get("/kegiatan", **secured(Permission.VIEW_EVENTS))
def events_page(request: Request, scope: str | None = None,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show a regency's event calendar beside its clash and risk warnings."""
    from siaga.events.rules import load_rules
    from siaga.services import events as service

    code, regencies = _chosen_scope(request, scope)
    settings = request.app.state.settings
    options = service.ClashOptions(settings.events_clash_km, settings.events_buffer_hours,
                                   settings.events_tps_radius_km)
    with store_of(request).engine.connect() as conn:
        found = service.clashes(conn, code, load_rules(settings.home), options, settings.home)
        days = service.calendar(service.list_events(conn, code))
    return render(request, "events.html", principal, active="events", scope=code,
                  regencies=regencies, clashes=found, days=days)


@router.get("/partisipasi", **secured(Permission.VIEW_PARTICIPATION))
def participation_page(request: Request, scope: str | None = None,
                       principal: Principal = Depends(current_principal)) -> Response:
    """Show turnout against target per district, worst first, with the chart."""
    from siaga.participation.chart import gap_chart_svg
    from siaga.services.participation import ParticipationError, gap_table

    code, regencies = _chosen_scope(request, scope)
    names = {r["code"]: r["name"] for r in regencies}
    context: dict[str, Any] = {"rows": [], "meta": {}, "chart": "", "error": None}
    try:
        with store_of(request).engine.connect() as conn:
            rows, meta = gap_table(conn, code)
        context.update(rows=rows, meta=meta, chart=Markup(gap_chart_svg(rows, names.get(
            code, code))))
    except ParticipationError as exc:
        context["error"] = str(exc)
    return render(request, "participation.html", principal, active="participation",
                  scope=code, scope_name=names.get(code, code), regencies=regencies, **context)


@router.get("/bahan-rakor", **secured(Permission.VIEW_BRIEFING))
def briefing_page(request: Request, principal: Principal = Depends(current_principal)
                  ) -> Response:
    """Show the form that downloads the meeting briefing."""
    return render(request, "briefing_form.html", principal, active="briefing",
                  regencies=loaded_regencies(request))


@router.get("/kasus", **secured(Permission.VIEW_CASES))
def case_board(request: Request, agency: str | None = None,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show open cases by status (an officer: their agency's), overdue ones highlighted."""
    from siaga.domain.roles import AGENCIES
    from siaga.services.cases import list_cases

    cw = request.app.state.casework
    chosen = (agency or None) if principal.sees_all_agencies else principal.agency
    if chosen is not None and chosen not in AGENCIES:
        raise HTTPException(422, f"instansi tidak dikenal / unknown agency {chosen!r}")
    now = cw.now()
    found = list_cases(cw, agency=chosen)
    for case in found:
        case["overdue"] = case["due_at"] is not None and case["due_at"] < now
    columns: dict[str, list[dict[str, Any]]] = {}
    for case in found:
        columns.setdefault(case["status"], []).append(case)
    return render(request, "cases.html", principal, active="cases", cases=found,
                  columns=list(columns.items()), agencies=AGENCIES, agency=chosen,
                  overdue=sum(c["overdue"] for c in found))


@router.get("/kasus/{case_id}", **secured(Permission.VIEW_CASES))
def case_page(case_id: RowId, request: Request,
              principal: Principal = Depends(current_principal)) -> Response:
    """Show one case: agencies, deadlines with their legal basis, the log, the next moves."""
    from siaga.api.case_routes import visible_case
    from siaga.cases.deadlines import local_time
    from siaga.services.casework import utc

    cw = request.app.state.casework
    case = visible_case(cw, case_id, principal)
    case["overdue"] = case["due_at"] is not None and case["due_at"] < cw.now()
    for action in case["actions"]:
        action["at_local"] = local_time(utc(action["at"]) or action["at"], case["region"])
    return render(request, "case.html", principal, active="cases", case=case)


@router.get("/lapor", **secured(Permission.SUBMIT_REPORT))
def report_form(request: Request) -> Response:
    """Show the public report form (no account) and the receipt check."""
    return render(request, "report_form.html", PUBLIC, regencies=loaded_regencies(request))


@router.get("/lapor/status", **secured(Permission.CHECK_RECEIPT))
def report_status(request: Request, kode: str = "") -> Response:
    """Show a report's status by its receipt code, and nothing else."""
    from siaga.services.casework import CaseworkError
    from siaga.services.reports import receipt_status

    try:
        found = receipt_status(request.app.state.casework, kode.strip()[:40])
        error = None
    except CaseworkError as exc:
        found, error = None, str(exc)
    return render(request, "report_status.html", PUBLIC, found=found, error=error)


