"""The forum's landing page: per regency in scope, what needs attention this week."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from siaga.application import Siaga
from siaga.application.errors import ReadinessError
from siaga.domain.access import Permission, Principal
from siaga.domain.timezones import zone_of
from siaga.http.deps import App
from siaga.http.security import current_principal, secured
from siaga.web.rendering import loaded_regencies, render

router = APIRouter(include_in_schema=False)


def _case_counts(siaga: Siaga, code: str, agency: str | None) -> dict[str, Any]:
    """Return open and overdue cases of the regency by lead agency, and the totals."""
    now = siaga.now()
    found = siaga.cases.find(agency=agency, region=code)
    open_by: Counter[str] = Counter(c.lead_agency for c in found)
    late_by: Counter[str] = Counter(c.lead_agency for c in found
                                    if c.due_at is not None and c.due_at < now)
    return {"by_agency": sorted(open_by.items()), "overdue_by": dict(late_by),
            "open": len(found), "overdue": sum(late_by.values())}


def _clashes_ahead(siaga: Siaga, code: str, now: datetime) -> int:
    """Return the rival-clash warnings among the events of the next 7 days."""
    options = siaga.events.options(since=now, until=now + timedelta(days=7))
    found = siaga.events.clashes(code, options)
    return sum(1 for w in found.warnings if w["kind"] == "rival_clash")


def _readiness_gaps(siaga: Siaga, code: str) -> int | None:
    """Return how many districts are short of medical readiness.

    None when nothing is recorded (every district would be 'short' of everything) or the board
    fails.
    """
    try:
        rows = siaga.readiness.board(code)
    except ReadinessError:
        return None
    if not any(sum(r.available.values()) or r.psc119 for r in rows):
        return None
    return sum(1 for r in rows if not r.ready)


def regency_summary(siaga: Siaga, regency: dict[str, str], principal: Principal,
                    now: datetime) -> dict[str, Any]:
    """Return one regency's card: alerts, cases, clashes, readiness, the week's signals."""
    code = regency["code"]
    # The week starts at local midnight seven days ago, as the signals page's date filter does.
    zone = zone_of(code)
    start = datetime.combine((now.astimezone(zone) - timedelta(days=7)).date(), time.min,
                             tzinfo=zone)
    alerts = len(siaga.detect.alerts(code, "open", 500)) \
        if principal.may(Permission.VIEW_ALERTS) else None
    week = siaga.detect.count_signals(code, start, now + timedelta(seconds=1))
    before = siaga.detect.count_signals(code, start - timedelta(days=7), start)
    return {**regency, "alerts": alerts, "signals_week": week, "signals_before": before,
            "since": start.date().isoformat(),
            "cases": _case_counts(siaga, code, None if principal.sees_all_agencies
                                  else principal.agency),
            "clashes": _clashes_ahead(siaga, code, now),
            "readiness_gaps": _readiness_gaps(siaga, code)}


@router.get("/forum", **secured(Permission.VIEW_CASES))
def forum_page(request: Request, siaga: App,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show, per regency in scope, each figure of the week linking to its list."""
    now = siaga.now()
    cards = [regency_summary(siaga, r, principal, now) for r in loaded_regencies(request)]
    return render(request, "forum.html", principal, active="forum", cards=cards, now=now)
