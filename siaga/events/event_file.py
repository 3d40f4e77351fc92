"""Read campaign events from CSV rows into Event records, naming the row of every problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from siaga.datafiles.csv_rows import HeaderError, read_csv_rows
from siaga.datafiles.problems import RowProblem
from siaga.domain.events import (
    EVENT_TYPE_ALIASES,
    PERMIT_ALIASES,
    Camp,
    Event,
    EventType,
    LocationSource,
    PermitStatus,
)
from siaga.domain.regions import RegionCodeError, level_of, normalize_code
from siaga.domain.timezones import in_range, zone_of

# A governor's pair is written "gub:2" (or "gubernur:2"); a bare number is the regent/mayor's.
GOVERNOR_PAIR = re.compile(r"^(?:gub|gubernur|governor):\s*(\d+)$", re.IGNORECASE)
REQUIRED = ("candidate", "type", "region", "start", "end")
OPTIONAL = ("venue", "lat", "lng", "expected_crowd", "permit_status", "contact", "title")
MAX_DURATION = timedelta(days=3)
# Indonesia's extent, with a margin: coordinates outside are typing errors (e.g. swapped).
LAT_RANGE, LNG_RANGE = (-11.5, 6.5), (94.5, 141.5)


class EventInputError(ValueError):
    """A field of an event that cannot be used; the message says what was expected."""


@dataclass(frozen=True)
class Places:
    """Look-ups an event needs: region name and centroid, and the contest of each regency."""

    points: Mapping[str, tuple[str, float | None, float | None]]
    contests: Mapping[str, tuple[str, set[int]]]


def read_rows(content: bytes, name: str) -> tuple[list[tuple[int, dict[str, str]]],
                                                   list[RowProblem]]:
    """Return (line, row) pairs of a CSV with the required header, and the problems of records
    that could not be read; raise EventInputError for a header that lacks a required column."""
    try:
        return read_csv_rows(content, name, REQUIRED, OPTIONAL)
    except HeaderError as exc:
        raise EventInputError(str(exc)) from exc


def parse_moment(text: str, region: str, field: str) -> datetime:
    """Return an aware datetime; a time without offset is read in the region's zone."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise EventInputError(f"{field} {text!r} is not an ISO 8601 time; write e.g. "
                              "2024-11-10T09:00+07:00") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone_of(region))
    try:
        return in_range(moment, field)
    except ValueError as exc:
        raise EventInputError(str(exc)) from None


def _event_type(text: str) -> EventType:
    key = text.strip().lower().replace("-", " ")
    if key.replace(" ", "_") in EventType.__members__.values():
        return EventType(key.replace(" ", "_"))
    if key in EVENT_TYPE_ALIASES:
        return EVENT_TYPE_ALIASES[key]
    raise EventInputError(f"type {text!r} is unknown; expected one of "
                          f"{', '.join(t.value for t in EventType)} or an Indonesian name "
                          "(rapat umum, pertemuan terbatas, blusukan, debat, …)")


def _permit(text: str) -> PermitStatus:
    key = text.strip().lower().replace("-", " ")
    if key.replace(" ", "_") in PermitStatus.__members__.values():
        return PermitStatus(key.replace(" ", "_"))
    if key in PERMIT_ALIASES:
        return PERMIT_ALIASES[key]
    raise EventInputError(f"permit_status {text!r} is unknown; expected one of "
                          f"{', '.join(p.value for p in PermitStatus)}")


def _camp(text: str, region: str, places: Places) -> Camp:
    if not text:
        raise EventInputError("candidate is empty: give a ballot number or an organiser's name")
    governor = GOVERNOR_PAIR.match(text)
    if not text.isdigit() and governor is None:
        return Camp(None, None, text[:200])
    area = region[:2] if governor else region[:5]
    contest = places.contests.get(area)
    if contest is None:
        office = "governor" if governor else "regent/mayor"
        raise EventInputError(f"candidate {text}: no {office} contest of {area} is in the "
                              "workspace (run `siaga init` for that scope)")
    number = int(governor.group(1)) if governor else int(text)
    if number not in contest[1]:
        raise EventInputError(f"candidate {text}: {contest[0]} has ballot numbers "
                              f"{', '.join(str(n) for n in sorted(contest[1]))}")
    return Camp(contest[0], number, None)


def _place(row: Mapping[str, str], region: str,
           places: Places) -> tuple[float, float, LocationSource]:
    lat_text, lng_text = row.get("lat", ""), row.get("lng", "")
    if lat_text or lng_text:
        try:
            lat, lng = float(lat_text), float(lng_text)
        except ValueError:
            raise EventInputError(f"lat/lng {lat_text!r}, {lng_text!r} are not both "
                                  "decimal degrees") from None
        if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
            raise EventInputError(f"lat/lng {lat}, {lng} lie outside Indonesia (lat "
                                  f"{LAT_RANGE}, lng {LNG_RANGE}); are they swapped?")
        return lat, lng, LocationSource.GIVEN
    _, lat_c, lng_c = places.points[region]
    if lat_c is None or lng_c is None:
        raise EventInputError(f"region {region} has no centroid in the workspace: give lat/lng")
    source = (LocationSource.VILLAGE_CENTROID if level_of(region).value == "village"
              else LocationSource.DISTRICT_CENTROID)
    return lat_c, lng_c, source


def _crowd(text: str) -> int | None:
    if not text:
        return None
    cleaned = text.replace(".", "").replace(",", "").replace(" ", "")
    if not cleaned.isdigit():
        raise EventInputError(f"expected_crowd {text!r} is not a whole number of people")
    return int(cleaned)


def _region(text: str, places: Places) -> str:
    try:
        region = normalize_code(text)
    except RegionCodeError as exc:
        raise EventInputError(f"region: {exc}") from None
    if level_of(region).value not in ("district", "village"):
        raise EventInputError(f"region {region} is a {level_of(region).value}; give the "
                              "district (15.02.01) or village (15.02.01.2001) of the venue")
    if region not in places.points:
        raise EventInputError(f"region {region} is not in the workspace (unknown code or "
                              "outside the scope loaded by `siaga init`)")
    return region


def build_event(row: Mapping[str, str], places: Places) -> Event:
    """Return the Event a row describes, or raise EventInputError naming the bad field."""
    region = _region(row.get("region", ""), places)
    camp = _camp(row.get("candidate", ""), region, places)
    starts = parse_moment(row.get("start", ""), region, "start")
    ends = parse_moment(row.get("end", ""), region, "end")
    if ends <= starts:
        raise EventInputError(f"end {row.get('end')} is not after start {row.get('start')}")
    if ends - starts > MAX_DURATION:
        raise EventInputError(f"the event lasts {ends - starts}; split events longer than "
                              f"{MAX_DURATION.days} days into one row per day")
    lat, lng, source = _place(row, region, places)
    return Event(camp, _event_type(row.get("type", "")), region, row.get("venue") or None,
                 lat, lng, source, starts, ends, _crowd(row.get("expected_crowd", "")),
                 _permit(row.get("permit_status", "")), row.get("contact") or None,
                 row.get("title") or None)


def needed_regions(rows: list[tuple[int, dict[str, str]]]) -> tuple[set[str], set[str]]:
    """Return the region codes the rows name and their regencies (for one batched look-up)."""
    codes: set[str] = set()
    for _, row in rows:
        try:
            codes.add(normalize_code(row.get("region", "")))
        except RegionCodeError:
            continue
    return codes, {c[:5] for c in codes if len(c) >= 5} | {c[:2] for c in codes}


def build_events(rows: list[tuple[int, dict[str, str]]], places: Places,
                 report: Callable[[int, str], None]) -> list[tuple[Event, int]]:
    """Return (event, line) for every good row; call `report(line, message)` for the others."""
    built: list[tuple[Event, int]] = []
    for line, row in rows:
        if not any(row.values()):
            continue
        try:
            built.append((build_event(row, places), line))
        except EventInputError as exc:
            report(line, str(exc))
    return built
