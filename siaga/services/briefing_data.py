"""Gather a briefing's data from the store: the risk picture now, its change over the period,
the most vulnerable units and TPS with their reasons, recommended actions, data sources, and
the data of the other sections (which siaga.briefing.sections turns into text)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from siaga.briefing.model import Briefing, DataSource, Ranked, Recommendation
from siaga.briefing.sections import (
    Section,
    attacks_section,
    cases_section,
    detection_section,
    events_section,
    participation_section,
    races_of,
)
from siaga.domain.regions import level_of
from siaga.domain.risk import UnitLevel
from siaga.risk.framework import Framework
from siaga.risk.report import ScoreRow, drivers_of, score_rows
from siaga.services.attacks import contest_timeline
from siaga.services.casework import Casework
from siaga.services.maps import child_level, risk_map
from siaga.services.risk import Loaded, RiskError, load_index
from siaga.store import risk as risk_db
from siaga.store.alerts import list_alerts
from siaga.store.briefings import last_scores
from siaga.store.queries import recent_imports, region_count
from siaga.store.signals import as_utc, signal_counts
from siaga.store.tx import Tx

TOP = 10
# Which forum agency acts on each TPS-rawan / IKP group when it drives a score. The forum's own
# division of labour (MISSION.md): Bawaslu for campaign and neutrality violations, the police
# (with Kodim) for security, KPU for voter lists, logistics and re-votes, the regency for access,
# power and signal.
GROUP_AGENCY = {
    "voting_rights": "KPU", "security": "Polres", "campaign": "Bawaslu",
    "neutrality": "Bawaslu", "logistics": "KPU", "location": "Pemkab (BPBD, Dinas PU)",
    "power_internet": "Diskominfo", "revote": "KPU",
    "social_political": "Kesbangpol", "administration": "KPU", "contestation": "Bawaslu",
    "participation": "KPU",
}


def collect_briefing(conn: Tx, framework: Framework, scope: str, *, as_of: datetime,
                     period_days: int, lang: str) -> Briefing:
    """Return the briefing of `scope` as of a moment, with changes over the period before it."""
    since = as_of - timedelta(days=period_days)
    loaded = load_index(conn, framework, scope, as_of)
    before = load_index(conn, framework, scope, since).index
    names = risk_db.region_names(conn, scope)
    level = child_level(scope)
    if level is UnitLevel.TPS:
        raise RiskError("a briefing covers a district or larger; give its regency or district")
    rows = score_rows(loaded.index, level, scope, names, demo=loaded.demo, baseline=before)
    tps_rows = score_rows(loaded.index, UnitLevel.TPS, scope, names, demo=loaded.demo,
                          baseline=before)[:TOP]
    details = risk_db.tps_details(conn, [r["code"] for r in tps_rows])
    for row in tps_rows:
        found = details.get(row["code"])
        if found is not None:
            row["name"] = f"{found.name}, {names.get(found.region_code, found.region_code)}"
    previous = last_scores(conn, scope, framework.id, as_of)
    if previous is not None:  # changes since the last briefing, not since the period began
        for row in [*rows, *tps_rows]:
            before_score = previous[1].get(row["code"])
            row["change"] = None if before_score is None else round(row["score"] - before_score,
                                                                     2)
    top = [_ranked(loaded, level, r, lang) for r in rows[:TOP]]
    top_tps = [_ranked(loaded, UnitLevel.TPS, r, lang) for r in tps_rows]
    rising = [_ranked(loaded, level, r, lang) for r in
              sorted(rows, key=lambda r: -(r.get("change") or 0))[:5] if (r.get("change") or 0) > 0]
    drawn = risk_map(conn, framework, scope, as_of=as_of, width=700)
    counts = {k: sum(1 for r in rows if r["class"] == k) for k in ("high", "medium", "low")}
    briefing = Briefing(
        scope=scope, scope_name=names.get(scope, scope), scope_level=level_of(scope).value,
        unit_level=level.value, lang=lang, as_of=as_of, since=since, period_days=period_days,
        framework=framework.id,
        framework_title=framework.title.en if lang == "en" else framework.title.id,
        map_svg=drawn.svg, units_total=len(rows), class_counts=counts, top_units=top,
        top_tps=top_tps, rising=rising, demo=loaded.demo,
        unit_scores={r["code"]: round(float(r["score"]), 2) for r in [*rows, *tps_rows]},
        compared_to=None if previous is None else as_utc(previous[0]))
    briefing.recommendations = recommendations(loaded, level, top + top_tps, lang)
    briefing.sources = data_sources(conn, framework, scope, loaded, lang)
    return briefing


def _ranked(loaded: Loaded, level: UnitLevel, row: ScoreRow, lang: str) -> Ranked:
    unit = int(loaded.hierarchy.locate(level, np.array([row["code"]]))[0])
    drivers = drivers_of(loaded.index, level, unit)[:3]
    reasons = tuple(f"{d.name_en if lang == 'en' else d.name_id} (+{d.points:.1f})"
                    for d in drivers)
    return Ranked(row["code"], row["name"], row["score"], row["class"], row.get("change"),
                  reasons, row.get("tps_rawan") or 0)


def recommendations(loaded: Loaded, level: UnitLevel, ranked: list[Ranked],
                    lang: str) -> list[Recommendation]:
    """Return up to three actions per agency: the mitigation of each top unit's main driver."""
    chosen: dict[str, list[Recommendation]] = {}
    seen: set[tuple[str, str]] = set()
    for item in ranked:
        if item.klass == "low":
            continue
        unit_level = UnitLevel.TPS if item.code.count(".") == 0 else level
        unit = int(loaded.hierarchy.locate(unit_level, np.array([item.code]))[0])
        for driver in drivers_of(loaded.index, unit_level, unit)[:1]:
            agency = GROUP_AGENCY.get(driver.group_path[0], "Forkopimda")
            action = driver.mitigation_en if lang == "en" else driver.mitigation_id
            if not action or (agency, driver.indicator) in seen:
                continue
            seen.add((agency, driver.indicator))
            name = driver.name_en if lang == "en" else driver.name_id
            basis = f"{item.name} ({item.code}): {item.score:.1f}; {name} +{driver.points:.1f}"
            chosen.setdefault(agency, []).append(Recommendation(agency, action, basis))
    return [r for agency in sorted(chosen) for r in chosen[agency][:3]]


def data_sources(conn: Tx, framework: Framework, scope: str,
                 loaded: Loaded, lang: str = "id") -> list[DataSource]:
    """Return the data behind the briefing with their dates; demo data is named as such."""
    found: list[DataSource] = []
    latest: dict[str, str] = {}
    for row in recent_imports(conn, limit=200):
        latest.setdefault(row["dataset"], f"{row['finished_at']:%Y-%m-%d %H:%M}")
    for dataset, as_of in sorted(latest.items()):
        found.append(DataSource(dataset, as_of, "SIAGA_DATA_DIR"))
    newest = risk_db.latest_recorded(conn, framework.id)
    count = len(loaded.observations)
    note = (f"{count} observations in the area" if lang == "en"
            else f"{count} pengamatan di wilayah ini")
    if loaded.demo:
        note += ("; includes invented DEMO observations (siaga risk demo)" if lang == "en"
                 else "; termasuk pengamatan DEMO karangan (siaga risk demo)")
    found.append(DataSource(f"risk observations ({framework.id})",
                            f"{newest:%Y-%m-%d %H:%M}" if newest else "-", note))
    found.append(DataSource(f"framework {framework.id} v{framework.version}", "-",
                            framework.source))
    stored = region_count(conn)
    found.append(DataSource("regions (Kemendagri code list)", "2025", f"{stored} regions stored"))
    return found


def gather_sections(conn: Tx, cw: Casework | None, home: Path, scope: str,
                    since: datetime, as_of: datetime, lang: str = "id") -> dict[str, Section]:
    """Return the sections beyond the risk picture that the store has data for."""
    from siaga.events.rules import load_rules
    from siaga.services import events, participation, readiness
    from siaga.services.cases import list_cases
    from siaga.services.takedown import tracker

    found: dict[str, Section] = {"detection": gather_detection(conn, scope, since, as_of),
                                 "attacks": gather_attacks(conn, scope, since, as_of)}
    if cw is not None:
        cases = [c.to_dict() for c in list_cases(cw, region=scope)]
        every = list_cases(cw, region=scope, include_closed=True)
        trackers = [{**tracker(cw, c.id).to_dict(), "title": c.title} for c in every
                    if c.type == "content_takedown"]
        found["cases"] = cases_section(cases, [t for t in trackers if t["submitted_at"]],
                                       as_of)
    rules = load_rules(home)
    ahead = events.ClashOptions(since=as_of, until=as_of + timedelta(days=7))
    try:
        board = [r.to_dict() for r in readiness.board(conn, scope, rules, since=as_of,
                                                      until=ahead.until, home=home)]
    except readiness.ReadinessError:
        board = []
    warned = events.clashes(conn, scope, rules, ahead, home).to_dict()
    found["events"] = events_section(warned, board, lang)
    try:
        rows, meta = participation.gap_table(conn, scope)
        found["participation"] = participation_section(rows, meta)
    except participation.ParticipationError:
        pass
    return found


def gather_detection(conn: Tx, scope: str, since: datetime, as_of: datetime) -> Section:
    """Return the detection section: open alerts in the scope's regency and the period's
    signals per category and per day."""
    regency = ".".join(scope.split(".")[:2])
    counts = signal_counts(conn, regency, since.date(), as_of.date())
    return detection_section(counts.by_category, counts.by_day, counts.total,
                             list_alerts(conn, regency, "open", 50), since, as_of)


def gather_attacks(conn: Tx, scope: str, since: datetime, as_of: datetime) -> Section:
    """Return the attacks section over the races the scope takes part in."""
    found = [contest_timeline(conn, race) for race in races_of(scope)]
    return attacks_section([f.to_dict() for f in found if f is not None], since, as_of)
