"""Security and medical readiness: resources and officer health imports, the district board."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from siaga.datafiles.csv_rows import HeaderError, read_csv_rows
from siaga.datafiles.problems import RowProblem
from siaga.domain.events import RESOURCE_ALIASES, ResourceKind
from siaga.domain.regions import RegionCodeError, normalize_code
from siaga.domain.timezones import in_range, zone_of
from siaga.events.rules import ReadinessRules, Requirement
from siaga.store import events as db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.tx import Tx

RESOURCE_COLUMNS = ("region", "kind", "name", "quantity")
HEALTH_COLUMNS = ("unit", "officers", "screened")
HEALTH_OPTIONAL = ("ill", "died", "reported_at")


class ReadinessError(ValueError):
    """A readiness request or file that cannot be used, with what to do about it."""


@dataclass
class FileOutcome:
    """What an import did: the raw file's address, rows stored, rows refused (numbered)."""

    sha256: str
    seen_before: bool
    stored: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _kind(text: str) -> ResourceKind:
    key = text.strip().lower().replace("-", " ")
    if key.replace(" ", "_") in ResourceKind.__members__.values():
        return ResourceKind(key.replace(" ", "_"))
    if key in RESOURCE_ALIASES:
        return RESOURCE_ALIASES[key]
    raise ValueError(f"kind {text!r} is unknown; expected one of "
                     f"{', '.join(k.value for k in ResourceKind)}")


def _count(row: dict[str, str], key: str) -> int:
    text = row.get(key, "") or "0"
    if not text.isdigit():
        raise ValueError(f"{key} {text!r} is not a whole number ≥ 0")
    return int(text)


def _district(text: str, known: set[str]) -> str:
    try:
        code = normalize_code(text)
    except RegionCodeError as exc:
        raise ValueError(f"region: {exc}") from None
    if len(code) < 8:
        raise ValueError(f"region {code} is above district level; give the district code")
    if code[:8] not in known:
        raise ValueError(f"region {code} is not in the workspace")
    return code[:8]


def _stored(conn: Tx, home: Path, path: Path, kind: str) -> tuple[bytes, FileOutcome,
                                                                          int]:
    content = path.read_bytes()
    raw = save_raw_input(conn, home, content, path.name, kind)
    return content, FileOutcome(raw.sha256, raw.seen_before), raw.id


def import_resources(conn: Tx, home: Path, path: Path) -> FileOutcome:
    """Load district resources (region,kind,name,quantity[,source]); refused rows are numbered."""
    content, outcome, raw_id = _stored(conn, home, path, "readiness-resources")
    if outcome.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, RESOURCE_COLUMNS, ("source",))
    except HeaderError as exc:
        raise ReadinessError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    known = set(db.child_regions(conn, "", "district"))
    good = []
    now = datetime.now(UTC)
    for line, row in rows:
        try:
            good.append({"region_code": _district(row["region"], known),
                         "kind": _kind(row["kind"]).value, "name": row["name"][:200] or "-",
                         "quantity": _count(row, "quantity"),
                         "source": (row.get("source") or f"file:{outcome.sha256}#row={line}")
                         [:300], "raw_input_id": raw_id, "recorded_at": now})
        except ValueError as exc:
            outcome.problems.append(RowProblem(path.name, line, str(exc)))
    outcome.stored = db.replace_resources(conn, good)
    return outcome


def _health_row(row: dict[str, str], tps: dict[str, str], known: set[str],
                when: datetime) -> dict[str, Any]:
    unit = row["unit"].replace(".", "")
    region = tps.get(unit) if len(unit) == 13 else None
    if region is None:
        region = _district(row["unit"], known) if len(unit) != 13 else None
    if region is None:
        raise ValueError(f"unit {row['unit']!r} is not a TPS of the workspace "
                         "(13-digit KPU code) nor a district code")
    officers, screened = _count(row, "officers"), _count(row, "screened")
    if screened > officers:
        raise ValueError(f"screened {screened} is more than officers {officers}")
    reported = when
    if row.get("reported_at"):
        try:
            reported = datetime.fromisoformat(row["reported_at"])
        except ValueError:
            raise ValueError(f"reported_at {row['reported_at']!r} is not an ISO date") from None
        if reported.tzinfo is None:
            reported = reported.replace(tzinfo=zone_of(region))
        in_range(reported, "reported_at")
    return {"unit_code": unit if len(unit) == 13 else region, "region_code": region,
            "officers": officers, "screened": screened, "ill": _count(row, "ill"),
            "died": _count(row, "died"), "reported_at": reported}


def import_health(conn: Tx, home: Path, path: Path) -> FileOutcome:
    """Load polling-officer health (unit,officers,screened[,ill,died,reported_at]) per TPS."""
    content, outcome, raw_id = _stored(conn, home, path, "officer-health")
    if outcome.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, HEALTH_COLUMNS, HEALTH_OPTIONAL)
    except HeaderError as exc:
        raise ReadinessError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    tps = db.tps_regions(conn, [r["unit"].replace(".", "") for _, r in rows])
    known = set(db.child_regions(conn, "", "district"))
    good = []
    now = datetime.now(UTC)
    for line, row in rows:
        try:
            made = _health_row(row, tps, known, now)
        except ValueError as exc:
            outcome.problems.append(RowProblem(path.name, line, str(exc)))
            continue
        good.append({**made, "source": f"file:{outcome.sha256}#row={line}",
                     "raw_input_id": raw_id})
    outcome.stored = db.insert_health(conn, good)
    return outcome


def _event_needs(conn: Tx, scope: str, rules: ReadinessRules,
                 since: datetime | None, until: datetime | None,
                 home: Path | None) -> dict[str, dict[str, Any]]:
    """Return district → the busiest local day's summed event requirements."""
    from siaga.services.events import risk_classes

    rows = db.event_rows(conn, scope, since, until)
    classes, _ = risk_classes(conn, home, scope, sorted({r.region_code[:8] for r in rows})) \
        if rows else ({}, [])
    per_day: dict[tuple[str, str], list[Requirement]] = defaultdict(list)
    for r in rows:
        day = db.utc(r.starts_at).astimezone(zone_of(r.region_code)).date().isoformat()
        per_day[(r.region_code[:8], day)].append(
            rules.requirement(r.expected_crowd, classes.get(r.region_code[:8], "low")))
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


def _health_summary(conn: Tx, scope: str) -> dict[str, dict[str, Any]]:
    """Return district → officers, screened, ill, died, units with incidents (latest reports)."""
    latest: dict[str, Any] = {}
    for row in db.health_rows(conn, scope):
        latest[row.unit_code] = row  # ordered oldest first: the last one wins
    summary: dict[str, dict[str, Any]] = {}
    for row in latest.values():
        counts = summary.setdefault(row.region_code[:8], {
            "officers": 0, "screened": 0, "ill": 0, "died": 0, "incident_units": []})
        for key in ("officers", "screened", "ill", "died"):
            counts[key] += int(getattr(row, key))
        if row.ill or row.died:
            counts["incident_units"].append(row.unit_code)
    return summary


def board(conn: Tx, scope: str, rules: ReadinessRules, *,
          since: datetime | None = None, until: datetime | None = None,
          home: Path | None = None) -> list[dict[str, Any]]:
    """Return one readiness row per district of `scope`: needs, resources, gaps, officer health."""
    districts = db.child_regions(conn, scope, "district") if len(scope) < 8 else {
        c: n for c, n in db.child_regions(conn, scope[:5], "district").items() if c == scope}
    if not districts:
        raise ReadinessError(f"no districts in {scope or 'the workspace'}: run `siaga init`")
    have: dict[str, Counter[str]] = defaultdict(Counter)
    for res in db.resource_rows(conn, scope):
        have[res.region_code][res.kind] += res.quantity
    events = _event_needs(conn, scope, rules, since, until, home)
    tps = db.tps_counts(conn, scope)
    health = _health_summary(conn, scope)
    return [_board_row(code, name, have[code], events.get(code), tps[code], health.get(code),
                       rules) for code, name in sorted(districts.items())]


def _board_row(code: str, name: str, have: Counter[str], peak: dict[str, Any] | None,
               tps: int, health: dict[str, Any] | None,
               rules: ReadinessRules) -> dict[str, Any]:
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
    return {"code": code, "name": name, "tps": tps, "event_peak": peak,
            "polling_day_need": polling, "need": need, "available": available,
            "short": short, "psc119": psc,
            "officers": health or {"officers": 0, "screened": 0, "ill": 0, "died": 0,
                                   "incident_units": []},
            "screening_coverage": None if coverage is None else round(coverage, 4),
            "ready": not problems, "problems": problems}
