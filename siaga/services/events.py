"""Campaign-event use cases: import, form entry, calendar listing, clash and risk warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from siaga.datafiles.problems import RowProblem
from siaga.domain.events import SEVERITY_ORDER, Severity
from siaga.domain.records import JsonRecord
from siaga.domain.risk import UnitLevel
from siaga.domain.timezones import zone_of
from siaga.events import event_file
from siaga.events.clashes import EventArrays, find_rival_clashes
from siaga.events.geo import chord_for_km, unit_vectors
from siaga.events.rules import ReadinessRules
from siaga.events.warnings import (
    EventWarning,
    area_warning,
    clash_warning,
    sort_warnings,
    tps_warning,
)
from siaga.risk.engine import CLASS_NAMES
from siaga.risk.framework import FrameworkError, get_framework
from siaga.services.outcome import FileImport
from siaga.services.risk import RiskError, load_index
from siaga.store import events as db
from siaga.store.events import utc
from siaga.store.raw_inputs import save_raw_input
from siaga.store.risk import tps_details
from siaga.store.tx import Tx

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IKP_FRAMEWORK = "ikp-pilkada-2024"
TPS_FRAMEWORK = "tps-rawan-pilkada-2024"


class EventsError(ValueError):
    """A request about events that cannot be met, with a message saying what to do."""


EventImportOutcome = FileImport  # the outcome every file import shares (services.outcome)


def _places(conn: Tx, rows: list[tuple[int, dict[str, str]]]) -> event_file.Places:
    codes, regencies = event_file.needed_regions(rows)
    return event_file.Places(db.region_points(conn, sorted(codes)),
                             db.regency_contests(conn, sorted(regencies)))


def import_events(conn: Tx, home: Path, path: Path) -> EventImportOutcome:
    """Store the CSV as received, then load its good rows; bad rows come back numbered."""
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise EventsError(f"{path.name} is {size / 1e6:.1f} MB; the limit is "
                          f"{MAX_UPLOAD_BYTES // 1_000_000} MB")
    content = path.read_bytes()
    stored = save_raw_input(conn, home, content, path.name, "campaign-events")
    outcome = EventImportOutcome(stored.sha256, stored.seen_before)
    if stored.seen_before:
        return outcome
    try:
        rows, unreadable = event_file.read_rows(content, path.name)
    except event_file.EventInputError as exc:
        raise EventsError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    built = event_file.build_events(
        rows, _places(conn, rows),
        lambda line, msg: outcome.problems.append(RowProblem(path.name, line, msg)))
    outcome.ids = db.insert_events(conn, [(e, line) for e, line in built], source="import",
                                   raw_input_id=stored.id)
    outcome.stored = len(outcome.ids)
    return outcome


def add_event(conn: Tx, fields: Mapping[str, str]) -> int:
    """Record one event entered in a form (same fields as a CSV row); return its id."""
    row = {k: (v or "").strip() for k, v in fields.items()}
    rows = [(0, row)]
    try:
        event = event_file.build_event(row, _places(conn, rows))
    except event_file.EventInputError as exc:
        raise EventsError(str(exc)) from exc
    return db.insert_events(conn, [(event, None)], source="form", raw_input_id=None)[0]


def _local(moment: datetime, region: str) -> str:
    return utc(moment).astimezone(zone_of(region)).isoformat(timespec="minutes")


@dataclass(frozen=True)
class EventView(JsonRecord):
    """A stored event as shown and answered, times in the region's zone (WIB/WITA/WIT)."""

    id: int
    camp: str | None
    contest_id: str | None
    pair_number: int | None
    organiser: str | None
    type: str
    title: str | None
    region: str
    region_name: str
    venue: str | None
    lat: float | None
    lng: float | None
    location_source: str | None
    start: str
    end: str
    zone: str
    expected_crowd: int | None
    permit_status: str
    contact: str | None
    source: str | None
    source_row: int | None


def event_view(row: Any, names: Mapping[str, tuple[str, float | None, float | None]]
               ) -> EventView:
    """Return a stored event as shown, times in the region's zone (WIB/WITA/WIT)."""
    zone = zone_of(row.region_code)
    office = " (gubernur)" if row.contest_id and ":governor:" in row.contest_id else ""
    return EventView(
        id=row.id, camp=f"paslon {row.pair_number}{office}"
        if row.pair_number is not None else row.organiser, contest_id=row.contest_id,
        pair_number=row.pair_number, organiser=row.organiser, type=row.type, title=row.title,
        region=row.region_code, region_name=names.get(row.region_code, ("",))[0],
        venue=row.venue, lat=row.lat, lng=row.lng, location_source=row.location_source,
        start=_local(row.starts_at, row.region_code), end=_local(row.ends_at, row.region_code),
        zone=str(zone.tzname(None)), expected_crowd=row.expected_crowd,
        permit_status=row.permit_status, contact=row.contact, source=row.source,
        source_row=row.source_row)


def list_events(conn: Tx, scope: str, since: datetime | None = None,
                until: datetime | None = None) -> list[EventView]:
    """Return the events of `scope` overlapping [since, until), earliest first."""
    rows = db.event_rows(conn, scope, since, until)
    names = db.region_points(conn, sorted({r.region_code for r in rows}))
    return [event_view(r, names) for r in rows]


@dataclass(frozen=True)
class EventCalendar:
    """Events grouped by local start date (YYYY-MM-DD), days and events in order."""

    days: dict[str, list[EventView]]

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Return {day: [event as JSON-ready values]}."""
        return {day: [e.to_dict() for e in items] for day, items in self.days.items()}


def calendar(events: list[EventView]) -> EventCalendar:
    """Return events grouped by local start date (YYYY-MM-DD), in order."""
    days: dict[str, list[EventView]] = {}
    for event in events:
        days.setdefault(event.start[:10], []).append(event)
    return EventCalendar(days)


@dataclass(frozen=True)
class ClashOptions:
    """How close (km) and how near in time (hours of buffer) rival events may be, and more."""

    max_km: float = 2.0
    buffer_hours: float = 2.0
    tps_radius_km: float = 1.0
    since: datetime | None = None
    until: datetime | None = None
    min_severity: Severity = Severity.LOW


def arrays_of(rows: list[Any]) -> EventArrays:
    """Return stored event rows as the arrays the clash sweep reads."""
    contests = {c: n for n, c in enumerate(sorted({r.contest_id for r in rows if r.contest_id}))}
    return EventArrays(
        np.array([contests.get(r.contest_id, -1) for r in rows], dtype=np.int64),
        np.array([-1 if r.pair_number is None else r.pair_number for r in rows], dtype=np.int64),
        np.array([int(utc(r.starts_at).timestamp()) for r in rows], dtype=np.int64),
        np.array([int(utc(r.ends_at).timestamp()) for r in rows], dtype=np.int64),
        np.array([r.lat for r in rows], dtype=np.float64),
        np.array([r.lng for r in rows], dtype=np.float64))


def _rival_warnings(rows: list[Any], options: ClashOptions,
                    large_crowd: int) -> list[EventWarning]:
    found = find_rival_clashes(arrays_of(rows), options.max_km,
                               int(options.buffer_hours * 3600))
    return [clash_warning(rows[int(i)], rows[int(j)], float(d), bool(o), options.max_km,
                          large_crowd)
            for i, j, d, o in zip(found.first, found.second, found.distance_km,
                                  found.overlapping, strict=True)]


def risk_classes(conn: Tx, home: Path | None, scope: str,
                 codes: list[str]) -> tuple[dict[str, str], list[str]]:
    """Return region code → vulnerability class (IKP) for the codes, and notes on gaps."""
    try:
        framework = get_framework(IKP_FRAMEWORK, home / "frameworks" if home else None)
        index = load_index(conn, framework, scope).index
    except (RiskError, FrameworkError) as exc:
        return {}, [f"vulnerability classes unavailable: {exc}"]
    classes: dict[str, str] = {}
    for level in (UnitLevel.DISTRICT, UnitLevel.VILLAGE):
        wanted = np.array([c for c in codes if len(c) == (8 if level is UnitLevel.DISTRICT
                                                          else 13)])
        found = index.hierarchy.locate(level, wanted) if wanted.size else np.array([], int)
        klass = index.levels[level].klass
        classes.update({str(c): CLASS_NAMES[int(klass[f])]
                        for c, f in zip(wanted, found, strict=True) if f >= 0})
    return classes, []


def vulnerable_tps(conn: Tx, home: Path | None,
                   scope: str) -> tuple[list[tuple[str, float, float]], list[str]]:
    """Return (code, lat, lng) of TPS where any TPS-rawan indicator occurred, and notes."""
    try:
        framework = get_framework(TPS_FRAMEWORK, home / "frameworks" if home else None)
        index = load_index(conn, framework, scope).index
    except (RiskError, FrameworkError) as exc:
        return [], [f"TPS rawan unavailable: {exc}"]
    rawan = np.flatnonzero(index.levels[UnitLevel.TPS].rawan > 0)
    codes = [str(c) for c in index.hierarchy.leaf_codes[rawan]]
    details = tps_details(conn, codes)
    return [(c, d.lat, d.lng) for c, d in details.items() if d.lat is not None], []


def _tps_warnings(rows: list[Any], tps: list[tuple[str, float, float]], radius_km: float,
                  large_crowd: int) -> list[EventWarning]:
    if not rows or not tps:
        return []
    from scipy.spatial import cKDTree

    from siaga.events.geo import haversine_km

    tree = cKDTree(unit_vectors(np.array([t[1] for t in tps]), np.array([t[2] for t in tps])))
    lat = np.array([r.lat for r in rows])
    lng = np.array([r.lng for r in rows])
    hits = tree.query_ball_point(unit_vectors(lat, lng), chord_for_km(radius_km))
    warnings = []
    for row, near in zip(rows, hits, strict=True):
        if near:
            idx = np.array(near)
            km = haversine_km(np.full(idx.size, row.lat), np.full(idx.size, row.lng),
                              np.array([tps[k][1] for k in near]),
                              np.array([tps[k][2] for k in near]))
            warnings.append(tps_warning(row, [(tps[k][0], float(d))
                                              for k, d in zip(near, km, strict=True)],
                                        radius_km, large_crowd))
    return warnings


@dataclass(frozen=True)
class ClashReport(JsonRecord):
    """The warnings for a scope's events, most severe first, and what was checked.

    Each warning is its rule's dict with the events it names (`event_details`).
    """

    scope: str
    events: int
    checked_at: str
    max_km: float
    buffer_hours: float
    tps_radius_km: float
    notes: list[str]
    warnings: list[dict[str, Any]]


def clashes(conn: Tx, scope: str, rules: ReadinessRules, options: ClashOptions,
            home: Path | None = None) -> ClashReport:
    """Return the warnings for the events of `scope`, most severe first, with what was checked."""
    rows = db.event_rows(conn, scope, options.since, options.until)
    large = rules.large_crowd
    warnings = _rival_warnings(rows, options, large)
    notes: list[str] = []
    if rows:
        classes, more = risk_classes(conn, home, scope, sorted(
            {c for r in rows for c in (r.region_code, r.region_code[:8])}))
        notes += more
        for row in rows:
            area = row.region_code if row.region_code in classes else row.region_code[:8]
            made = area_warning(row, classes.get(area, "low"), area, large)
            if made is not None:
                warnings.append(made)
        tps, more = vulnerable_tps(conn, home, scope)
        notes += more
        warnings += _tps_warnings(rows, tps, options.tps_radius_km, large)
    floor = SEVERITY_ORDER.index(options.min_severity)
    kept = [w for w in sort_warnings(warnings) if SEVERITY_ORDER.index(w.severity) >= floor]
    names = db.region_points(conn, sorted({r.region_code for r in rows}))
    by_id = {r.id: event_view(r, names).to_dict() for r in rows}
    return ClashReport(
        scope=scope or "national", events=len(rows),
        checked_at=datetime.now(UTC).isoformat(timespec="seconds"), max_km=options.max_km,
        buffer_hours=options.buffer_hours, tps_radius_km=options.tps_radius_km, notes=notes,
        warnings=[{**w.as_dict(), "event_details": [by_id[i] for i in w.events]}
                  for w in kept])


def window(since: str | None, until: str | None, scope: str) -> tuple[datetime | None,
                                                                      datetime | None]:
    """Return the instants a user's --from/--to mean (a bare date: that day's start, local)."""
    def parse(text: str | None, end: bool) -> datetime | None:
        if not text:
            return None
        try:
            moment = event_file.parse_moment(text, scope or "31", "date")
        except event_file.EventInputError as exc:
            raise EventsError(str(exc)) from exc
        return moment + timedelta(days=1) if end and len(text) == 10 else moment
    return parse(since, False), parse(until, True)
