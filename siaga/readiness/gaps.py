"""The readiness gap table: per district, what the polling day and campaign events need
against the resources available, and the officers' health screening."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from siaga.domain.events import ResourceKind
from siaga.domain.records import JsonRecord
from siaga.domain.timezones import zone_of
from siaga.events.rules import ReadinessRules, Requirement


def peak_needs(events: Iterable[tuple[str, datetime, int | None]], classes: Mapping[str, str],
               rules: ReadinessRules) -> dict[str, dict[str, Any]]:
    """Return district → the busiest local day's summed event requirements.

    `events` are (region code, start in UTC, expected crowd); `classes` the risk class of each
    district ('low' when missing).
    """
    per_day: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for region, starts_at, crowd in events:
        day = starts_at.astimezone(zone_of(region)).date().isoformat()
        per_day[(region[:8], day)].append(
            rules.requirement(crowd, classes.get(region[:8], "low")))
    peak: dict[str, dict[str, Any]] = {}
    for (district, day), needs in per_day.items():
        total = {"day": day, "events": len(needs),
                 "escort_personnel": sum(n.escort_personnel for n in needs),
                 "medical_teams": sum(n.medical_teams for n in needs),
                 "ambulances": sum(n.ambulances for n in needs),
                 "medical_posts": sum(1 for n in needs if n.medical_post)}
        held = peak.get(district)
        if held is None or (total["medical_teams"], total["escort_personnel"]) > (
                held["medical_teams"], held["escort_personnel"]):
            peak[district] = total
    return peak


def health_summary(rows: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """Return district → officers, screened, ill, died, units with incidents, from health
    report rows ordered oldest first (the latest report of each unit counts)."""
    latest: dict[str, Any] = {}
    for row in rows:
        latest[row.unit_code] = row
    summary: dict[str, dict[str, Any]] = {}
    for row in latest.values():
        counts = summary.setdefault(row.region_code[:8], {
            "officers": 0, "screened": 0, "ill": 0, "died": 0, "incident_units": []})
        for key in ("officers", "screened", "ill", "died"):
            counts[key] += int(getattr(row, key))
        if row.ill or row.died:
            counts["incident_units"].append(row.unit_code)
    return summary


@dataclass(frozen=True)
class ReadinessRow(JsonRecord):
    """One district on the readiness board: needs, what is available, shortfalls, PSC 119,
    officer health and whether it is ready."""

    code: str
    name: str
    tps: int
    event_peak: dict[str, Any] | None
    polling_day_need: dict[str, int]
    need: dict[str, int]
    available: dict[str, int]
    short: dict[str, int]
    psc119: bool
    officers: dict[str, Any]
    screening_coverage: float | None
    ready: bool
    problems: list[str]


def board_row(code: str, name: str, have: Counter[str], peak: dict[str, Any] | None,
               tps: int, health: dict[str, Any] | None,
               rules: ReadinessRules) -> ReadinessRow:
    """Return a district's readiness row: what polling day and the busiest event day need,
    what is available, the shortfalls, PSC 119 coverage, officer screening and whether it is
    ready (no problem found)."""
    polling = {"medical_teams": math.ceil(tps / rules.tps_per_medical_team),
               "ambulances": rules.ambulances_per_district if tps else 0,
               "medical_posts": rules.medical_posts_per_district if tps else 0}
    need = {k: max(polling[k], (peak or {}).get(k, 0)) for k in polling}
    available = {"medical_teams": have[ResourceKind.MEDICAL_TEAM.value],
                 "ambulances": have[ResourceKind.AMBULANCE.value],
                 "medical_posts": have[ResourceKind.MEDICAL_POST.value]}
    short = {k: need[k] - available[k] for k in need if available[k] < need[k]}
    psc = have[ResourceKind.PSC119.value] > 0
    coverage = (health["screened"] / health["officers"]) if health and health["officers"] \
        else None
    problems = [f"kurang {v} {k} / short of {v} {k}" for k, v in short.items()]
    if not psc:
        problems.append("PSC 119 tidak menjangkau / no PSC 119 coverage")
    if coverage is not None and coverage < rules.officer_screening_target:
        problems.append(f"skrining petugas {coverage:.0%} / officer screening {coverage:.0%}")
    return ReadinessRow(
        code=code, name=name, tps=tps, event_peak=peak, polling_day_need=polling, need=need,
        available=available, short=short, psc119=psc,
        officers=health or {"officers": 0, "screened": 0, "ill": 0, "died": 0,
                            "incident_units": []},
        screening_coverage=None if coverage is None else round(coverage, 4),
        ready=not problems, problems=problems)
