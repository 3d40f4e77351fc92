"""Dashboard pages of early detection: the alerts feed, one alert, the signals explorer, the
attacks between camps per contest."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select

from siaga.api.params import RowId
from siaga.api.regions_routes import dotted
from siaga.api.security import current_principal, secured, store_of
from siaga.domain.access import Permission, Principal
from siaga.store.schema import regions
from siaga.web.pages import forum_zone, loaded_regencies, page_lang, render

router = APIRouter(include_in_schema=False)


def _lexicon(request: Request) -> Any:
    # Loaded once per app: the lexicons compile thousands of word forms.
    state = request.app.state
    if getattr(state, "lexicon", None) is None:
        from siaga.detect.categories.lexicon import load_lexicon

        state.lexicon = load_lexicon()
    return state.lexicon


def _marked(request: Request, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from siaga.detect.highlight import mark, matched_words

    lexicon = _lexicon(request)
    for item in found:
        item["marked"] = mark(item["text"], matched_words(item["text"], lexicon))
    return found


def _region_names(request: Request, codes: list[str]) -> dict[str, str]:
    with store_of(request).engine.connect() as conn:
        return dict(conn.execute(select(regions.c.code, regions.c.name).where(
            regions.c.code.in_(codes))).all())


@router.get("/peringatan", **secured(Permission.VIEW_ALERTS))
def alerts_page(request: Request, bagian: str | None = None, wilayah: str | None = None,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show open alerts in plain words, newest first; `bagian=baris`: only the rows (the poll)."""
    from siaga.api.detect_routes import alert_dict
    from siaga.i18n.phrases import alert_sentence
    from siaga.store.alerts import list_alerts

    lang = page_lang(request)
    with store_of(request).engine.connect() as conn:
        found = [alert_dict(a) for a in list_alerts(
            conn, dotted(wilayah) if wilayah else None, status="open", limit=100)]
    for item in found:
        item["sentence"] = alert_sentence(item, lang)
    names = _region_names(request, sorted({a["region"] for a in found}))
    name = "alert_rows.html" if bagian == "baris" else "alerts.html"
    feed = "/peringatan?bagian=baris" + (f"&wilayah={dotted(wilayah)}" if wilayah else "")
    return render(request, name, principal, active="alerts", alerts=found, names=names,
                  zone=forum_zone(request), feed=feed)


@router.get("/peringatan/{alert_id}", **secured(Permission.VIEW_ALERTS))
def alert_page(alert_id: RowId, request: Request,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show one alert with its signals, the words that made them, and a way to open a case."""
    from siaga.api.detect_routes import alert
    from siaga.i18n.phrases import alert_sentence

    found = alert(alert_id, request)
    found["sentence"] = alert_sentence(found, page_lang(request))
    names = _region_names(request, [found["region"]])
    return render(request, "alert.html", principal, active="alerts", alert=found,
                  region_name=names.get(found["region"], found["region"]),
                  signals=_marked(request, found["signal_details"]))


@router.get("/sinyal", **secured(Permission.VIEW_SIGNALS))
def signals_page(request: Request, scope: str | None = None, category: str | None = None,
                 source: str | None = None, cluster: str | None = None,
                 since: str | None = None, until: str | None = None,
                 principal: Principal = Depends(current_principal)) -> Response:
    """Show signals filtered by region, category, source, cluster and time, terms marked."""
    from datetime import date

    from siaga.domain.timezones import zone_of
    from siaga.services.alert_cases import CATEGORY_LABELS
    from siaga.store.explorer import SignalFilter, find_signals, signal_sources

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
    with store_of(request).engine.connect() as conn:
        found = find_signals(conn, wanted)
        sources = signal_sources(conn)
    return render(request, "signals.html", principal, active="signals", f=wanted,
                  since=since, until=until, signals=_marked(request, found), sources=sources,
                  regencies=loaded_regencies(request))



@router.get("/serangan", **secured(Permission.VIEW_SIGNALS))
def attacks_index(request: Request, principal: Principal = Depends(current_principal)
                  ) -> Response:
    """Show the contests with attack signals in the last 30 days, most attacked first."""
    from siaga.store.attacks import attacked_contests, contest

    since = datetime.now().astimezone() - timedelta(days=30)
    with store_of(request).engine.connect() as conn:
        found = [c for c in (contest(conn, cid) for cid in attacked_contests(conn, since, 50))
                 if c is not None]
    return render(request, "attacks.html", principal, active="attacks", contests=found,
                  timeline=None)


@router.get("/serangan/{contest_id}", **secured(Permission.VIEW_SIGNALS))
def attacks_page(contest_id: str, request: Request,
                 principal: Principal = Depends(current_principal)) -> Response:
    """Show one contest's attacks: a day-by-pair table and the attack signals themselves."""
    from siaga.services.alert_cases import CATEGORY_LABELS
    from siaga.services.attacks import CONTEST_ID_PATTERN, contest_timeline

    if not re.fullmatch(CONTEST_ID_PATTERN, contest_id):
        raise HTTPException(404, "pemilihan tidak dikenal / unknown contest")
    with store_of(request).engine.connect() as conn:
        found = contest_timeline(conn, contest_id)
    if found is None:
        raise HTTPException(404, "pemilihan tidak dikenal / unknown contest")
    return render(request, "attacks.html", principal, active="attacks", contests=[],
                  timeline=found, labels=CATEGORY_LABELS)
