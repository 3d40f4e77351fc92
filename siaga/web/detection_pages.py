"""Dashboard pages of early detection: the alerts feed, one alert, the signals explorer, the
attacks between camps per contest."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from siaga.application.detection import SignalFilter, alert_view
from siaga.application.errors import CATEGORY_LABELS, CONTEST_ID_PATTERN, NotFound
from siaga.domain.access import Permission, Principal
from siaga.http.deps import App, dotted
from siaga.http.params import RowId
from siaga.http.security import current_principal, secured
from siaga.web.rendering import forum_zone, loaded_regencies, page_lang, render

router = APIRouter(include_in_schema=False)


def _marked(request: Request, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from siaga.detect.highlight import mark, matched_words

    lexicon = request.app.state.siaga.lexicon
    for item in found:
        item["marked"] = mark(item["text"], matched_words(item["text"], lexicon))
    return found


@router.get("/peringatan", **secured(Permission.VIEW_ALERTS))
def alerts_page(request: Request, siaga: App, bagian: str | None = None, wilayah: str | None = None,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show open alerts in plain words, newest first; `bagian=baris`: only the rows (the poll)."""
    from siaga.i18n.phrases import alert_sentence

    lang = page_lang(request)
    found = [alert_view(a).to_dict() for a in siaga.detect.alerts(
        dotted(wilayah) if wilayah else None, status="open", limit=100)]
    for item in found:
        item["sentence"] = alert_sentence(item, lang)
    names = siaga.regions.names({a["region"] for a in found})
    name = "alert_rows.html" if bagian == "baris" else "alerts.html"
    feed = "/peringatan?bagian=baris" + (f"&wilayah={dotted(wilayah)}" if wilayah else "")
    return render(request, name, principal, active="alerts", alerts=found, names=names,
                  zone=forum_zone(request), feed=feed)


@router.get("/peringatan/{alert_id}", **secured(Permission.VIEW_ALERTS))
def alert_page(alert_id: RowId, request: Request, siaga: App,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show one alert with its signals, the words that made them, and a way to open a case."""
    from siaga.i18n.phrases import alert_sentence

    try:
        found = siaga.detect.alert_details(alert_id).to_dict()
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    found["sentence"] = alert_sentence(found, page_lang(request))
    names = siaga.regions.names([found["region"]])
    return render(request, "alert.html", principal, active="alerts", alert=found,
                  region_name=names.get(found["region"], found["region"]),
                  signals=_marked(request, found["signal_details"]))


@router.get("/sinyal", **secured(Permission.VIEW_SIGNALS))
def signals_page(request: Request, siaga: App, scope: str | None = None,
                 category: str | None = None, source: str | None = None, cluster: str | None = None,
                 since: str | None = None, until: str | None = None,
                 principal: Principal = Depends(current_principal)) -> Response:
    """Show signals filtered by region, category, source, cluster and time, terms marked."""
    from datetime import date

    from siaga.domain.timezones import zone_of

    def day(text: str | None, extra: int = 0) -> datetime | None:
        if not text:
            return None
        try:
            start = date.fromisoformat(text) + timedelta(days=extra)
        except ValueError:
            raise HTTPException(422, f"tanggal tidak sah / not a date: {text!r}") from None
        return datetime.combine(start, datetime.min.time(), tzinfo=zone_of(scope or "15"))

    if cluster and not cluster.isdigit():
        raise HTTPException(422, f"klaster harus angka / cluster must be a number: {cluster!r}")
    wanted = SignalFilter(dotted(scope) if scope else None,
                          category if category in CATEGORY_LABELS else None, source or None,
                          int(cluster) if cluster else None, day(since), day(until, 1))
    found = [s.to_dict() for s in siaga.detect.signals(wanted)]
    sources = siaga.detect.signal_sources()
    return render(request, "signals.html", principal, active="signals", f=wanted,
                  since=since, until=until, signals=_marked(request, found), sources=sources,
                  regencies=loaded_regencies(request))


@router.get("/serangan", **secured(Permission.VIEW_SIGNALS))
def attacks_index(request: Request, siaga: App, principal: Principal = Depends(current_principal)
                  ) -> Response:
    """Show the contests with attack signals in the last 30 days, most attacked first."""
    since = datetime.now().astimezone() - timedelta(days=30)
    found = siaga.detect.attacked_contests(since, 50)
    return render(request, "attacks.html", principal, active="attacks", contests=found,
                  timeline=None)


@router.get("/serangan/{contest_id}", **secured(Permission.VIEW_SIGNALS))
def attacks_page(contest_id: str, request: Request, siaga: App,
                 principal: Principal = Depends(current_principal)) -> Response:
    """Show one contest's attacks: a day-by-pair table and the attack signals themselves."""
    if not re.fullmatch(CONTEST_ID_PATTERN, contest_id):
        raise HTTPException(404, "pemilihan tidak dikenal / unknown contest")
    found = siaga.detect.contest_attacks(contest_id)
    if found is None:
        raise HTTPException(404, "pemilihan tidak dikenal / unknown contest")
    return render(request, "attacks.html", principal, active="attacks", contests=[],
                  timeline=found, labels=CATEGORY_LABELS)
