"""Dashboard pages of the forum's work: events, participation, briefing, cases, public reports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from siaga.application.errors import (
    CaseworkError,
    ParticipationError,
    ReadinessError,
)
from siaga.domain.access import PUBLIC, Permission, Principal
from siaga.http.deps import App, dotted
from siaga.http.params import RowId
from siaga.http.security import current_principal, secured
from siaga.http.visibility import visible_case
from siaga.web.rendering import loaded_regencies, page_lang, render

router = APIRouter(include_in_schema=False)


def _chosen_scope(request: Request, scope: str | None) -> tuple[str, list[dict[str, str]]]:
    regencies = loaded_regencies(request)
    if scope:
        return dotted(scope), regencies
    return (regencies[0]["code"] if regencies else ""), regencies


@router.get("/kegiatan", **secured(Permission.VIEW_EVENTS))
def events_page(request: Request, siaga: App, scope: str | None = None,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show a regency's event calendar beside its clash and risk warnings."""
    from siaga.i18n.phrases import warning_sentence

    code, regencies = _chosen_scope(request, scope)
    found = siaga.events.clashes(code)
    days = siaga.events.calendar(code).to_dict()
    contests, pairs = siaga.regions.contest_labels(
        [e["contest_id"] for items in days.values() for e in items if e["contest_id"]])
    places = siaga.regions.names({w.get("area") or "" for w in found.warnings})
    lang = page_lang(request)
    for warning in found.warnings:
        warning["sentence"] = warning_sentence(warning, lang, pairs, places)
    for items in days.values():
        for event in items:
            event["pair_names"] = pairs.get((event["contest_id"] or "", event["pair_number"]))
    return render(request, "events.html", principal, active="events", scope=code,
                  regencies=regencies, clashes=found, days=days, contests=contests)


@router.get("/partisipasi", **secured(Permission.VIEW_PARTICIPATION))
def participation_page(request: Request, siaga: App, scope: str | None = None,
                       principal: Principal = Depends(current_principal)) -> Response:
    """Show turnout against target per district, worst first, with the chart."""
    from siaga.participation.chart import gap_chart_svg

    code, regencies = _chosen_scope(request, scope)
    names = {r["code"]: r["name"] for r in regencies}
    context: dict[str, Any] = {"rows": [], "meta": {}, "chart": "", "error": None,
                               "has_turnout": False}
    try:
        rows, meta = siaga.participation.gap(code)
        # No turnout anywhere: a chart of zero bars would read as 0% turnout, so say so instead.
        has_turnout = any(r["turnout"] is not None for r in rows)
        context.update(rows=rows, meta=meta, has_turnout=has_turnout,
                       chart=Markup(gap_chart_svg(rows, names.get(code, code)))
                       if has_turnout else "")
    except ParticipationError as exc:
        context["error"] = str(exc)
    return render(request, "participation.html", principal, active="participation",
                  scope=code, scope_name=names.get(code, code), regencies=regencies, **context)


@router.get("/kesiapan", **secured(Permission.VIEW_EVENTS))
def readiness_page(request: Request, siaga: App, scope: str | None = None,
                   principal: Principal = Depends(current_principal)) -> Response:
    """Show the medical readiness board per district, or what to import when there is nothing."""
    from siaga.i18n.phrases import shortage

    code, regencies = _chosen_scope(request, scope)
    lang = page_lang(request)
    rows: list[dict[str, Any]] = []
    error = None
    try:
        # The page adds each row's gaps in words, so it works on the rows' dicts.
        rows = [r.to_dict() for r in siaga.readiness.board(code)]
    except ReadinessError as exc:
        error = str(exc)
    for row in rows:
        row["gaps"] = shortage(row["short"], lang)
    has_data = any(sum(r["available"].values()) or r["psc119"] or r["officers"]["officers"]
                   for r in rows)
    return render(request, "readiness.html", principal, active="readiness", scope=code,
                  scope_name={r["code"]: r["name"] for r in regencies}.get(code, code),
                  regencies=regencies, rows=rows, error=error, has_data=has_data,
                  short=sum(1 for r in rows if not r["ready"]))


@router.get("/bahan-rakor", **secured(Permission.VIEW_BRIEFING))
def briefing_page(request: Request, principal: Principal = Depends(current_principal)
                  ) -> Response:
    """Show the form that downloads the meeting briefing."""
    return render(request, "briefing_form.html", principal, active="briefing",
                  regencies=loaded_regencies(request))


def board_lanes(found: list[dict[str, Any]], agency: str | None
                ) -> list[tuple[str, list[tuple[str, list[dict[str, Any]]]]]]:
    """Return lanes (lead agency, or the chosen agency) of columns (status) of cards.

    Statuses follow the workflow's order; inside a column overdue cards come first, then by
    due time.
    """
    from siaga.domain.cases import CaseStatus

    order = {s.value: n for n, s in enumerate(CaseStatus)}
    lanes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for case in found:
        lane = agency if agency is not None else case["lead_agency"]
        lanes.setdefault(lane, {}).setdefault(case["status"], []).append(case)
    far = datetime.max.replace(tzinfo=UTC)

    def urgent_first(card: dict[str, Any]) -> tuple[bool, datetime, int]:
        return not card["overdue"], card["due_at"] or far, card["id"]

    return [(lane, [(status, sorted(cards, key=urgent_first)) for status, cards in
                    sorted(columns.items(), key=lambda item: order.get(item[0], 99))])
            for lane, columns in sorted(lanes.items())]


@router.get("/kasus", **secured(Permission.VIEW_CASES))
def case_board(request: Request, siaga: App, agency: str | None = None, jenis: str | None = None,
               wilayah: str | None = None, lewat: str | None = None,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show the follow-up board: lanes per agency, columns per status, overdue first.

    Filters: agency (an officer: always their own), case type, region, overdue only.
    """
    from siaga.domain.cases import CaseType
    from siaga.domain.roles import AGENCIES

    chosen = (agency or None) if principal.sees_all_agencies else principal.agency
    if chosen is not None and chosen not in AGENCIES:
        raise HTTPException(422, f"instansi tidak dikenal / unknown agency {chosen!r}")
    if jenis and jenis not in {t.value for t in CaseType}:
        raise HTTPException(422, f"jenis kasus tidak dikenal / unknown case type {jenis!r}")
    now = siaga.now()
    try:
        views = siaga.cases.find(agency=chosen, region=dotted(wilayah) if wilayah else None,
                                 overdue=lewat == "1")
    except CaseworkError as exc:
        raise HTTPException(422, str(exc)) from exc
    # The page adds its own fields (overdue) to each case, so it works on their dicts.
    found = [c.to_dict() for c in views if not jenis or c.type == jenis]
    for case in found:
        case["overdue"] = case["due_at"] is not None and case["due_at"] < now
    names = siaga.regions.names(c["region"] for c in found if c["region"])
    return render(request, "cases.html", principal, active="cases", cases=found,
                  lanes=board_lanes(found, chosen), agencies=AGENCIES, agency=chosen,
                  jenis=jenis, wilayah=wilayah, lewat=lewat == "1", names=names,
                  regencies=loaded_regencies(request),
                  overdue=sum(c["overdue"] for c in found))


@router.get("/kasus/{case_id}", **secured(Permission.VIEW_CASES))
def case_page(case_id: RowId, request: Request, siaga: App,
              principal: Principal = Depends(current_principal)) -> Response:
    """Show one case: agencies, deadlines with their legal basis, the log, the next moves."""
    case = visible_case(siaga, case_id, principal)
    case["overdue"] = case["due_at"] is not None and case["due_at"] < siaga.now()
    names = siaga.regions.names([case["region"] or ""])
    return render(request, "case.html", principal, active="cases", case=case,
                  region_name=names.get(case["region"] or "", ""))


@router.get("/lapor", **secured(Permission.SUBMIT_REPORT))
def report_form(request: Request) -> Response:
    """Show the public report form (no account) and the receipt check."""
    return render(request, "report_form.html", PUBLIC, regencies=loaded_regencies(request))


@router.get("/lapor-sw.js", **secured(Permission.SUBMIT_REPORT))
def report_worker() -> Response:
    """Return the report form's service worker (served from the root so it may serve /lapor)."""
    from importlib import resources

    script = resources.files("siaga.web").joinpath("static", "lapor-sw.js").read_bytes()
    return Response(script, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/lapor/status", **secured(Permission.CHECK_RECEIPT))
def report_status(request: Request, siaga: App, kode: str = "") -> Response:
    """Show a report's status by its receipt code, and nothing else."""
    try:
        found = siaga.reports.receipt(kode.strip()[:40])
        error = None
    except CaseworkError as exc:
        found, error = None, str(exc)
    return render(request, "report_status.html", PUBLIC, found=found, error=error)


