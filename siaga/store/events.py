"""Storage of campaign events, readiness resources, officer health and participation figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select

from siaga.domain.elections import PEMILU_2024
from siaga.domain.events import Event
from siaga.store import revisions, sql
from siaga.store.schema import (
    campaign_events,
    candidate_pairs,
    contest_results,
    contests,
    officer_health,
    participation_figures,
    polling_stations,
    readiness_resources,
    regions,
    voter_counts,
)

BATCH = 500


def inside(column: Any, scope: str) -> Any:
    """Return a condition: the dotted code column lies in `scope` ("" = everywhere)."""
    if not scope:
        return and_(True)
    return sql.inside(column, scope)


def utc(moment: datetime) -> datetime:
    """Return an aware UTC datetime (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def region_points(conn: Connection, codes: Sequence[str]) -> dict[str, tuple[str, float | None,
                                                                             float | None]]:
    """Return code → (name, lat, lng) of the given regions that exist."""
    r = regions.c
    found: dict[str, tuple[str, float | None, float | None]] = {}
    wanted = sorted(set(codes))
    for start in range(0, len(wanted), BATCH):
        for row in conn.execute(select(r.code, r.name, r.lat, r.lng).where(
                r.code.in_(wanted[start:start + BATCH]))):
            found[row.code] = (row.name, row.lat, row.lng)
    return found


def regency_contests(conn: Connection, regency_codes: Sequence[str]) -> dict[str, tuple[str,
                                                                                   set[int]]]:
    """Return region code → (contest id, ballot numbers) of its own contest.

    Regency codes map to their regent or mayor contest, province codes to the governor's.
    """
    c, p = contests.c, candidate_pairs.c
    rows = conn.execute(select(c.id, c.region_code, p.number).join(
        candidate_pairs, p.contest_id == c.id).where(
        c.region_code.in_(sorted(set(regency_codes))))).all()
    found: dict[str, tuple[str, set[int]]] = {}
    for row in rows:
        found.setdefault(row.region_code, (row.id, set()))[1].add(row.number)
    return found


def _event_row(event: Event, line: int | None, source: str, raw_input_id: int | None,
               now: datetime) -> dict[str, Any]:
    return {"contest_id": event.camp.contest_id, "pair_number": event.camp.pair_number,
            "organiser": event.camp.organiser, "type": event.type.value, "title": event.title,
            "region_code": event.region_code, "venue": event.venue, "lat": event.lat,
            "lng": event.lng, "location_source": event.location_source.value,
            "starts_at": utc(event.starts_at), "ends_at": utc(event.ends_at),
            "expected_crowd": event.expected_crowd, "permit_status": event.permit_status.value,
            "contact": event.contact, "source": source, "raw_input_id": raw_input_id,
            "source_row": line, "recorded_at": now}


def insert_events(conn: Connection, events: Sequence[tuple[Event, int | None]], *, source: str,
                  raw_input_id: int | None) -> list[int]:
    """Insert events (with their source line); return their new ids in the same order.

    A file's events go in as one batch, and their ids are read back by the raw input they
    came from (a file is imported once); a form's single event uses its returned key.
    """
    now = datetime.now(UTC)
    rows = [_event_row(e, line, source, raw_input_id, now) for e, line in events]
    if not rows:
        return []
    if raw_input_id is None:
        ids = []
        for row in rows:
            key = conn.execute(campaign_events.insert().values(**row)).inserted_primary_key
            assert key is not None
            ids.append(int(key[0]))
        return ids
    conn.execute(campaign_events.insert(), rows)
    t = campaign_events.c
    return list(conn.execute(select(t.id).where(t.raw_input_id == raw_input_id)
                             .order_by(t.id)).scalars())


def event_rows(conn: Connection, scope: str, since: datetime | None = None,
               until: datetime | None = None) -> list[Any]:
    """Return stored events in `scope` overlapping [since, until), ordered by start."""
    t = campaign_events.c
    where = [inside(t.region_code, scope)]
    if since is not None:
        where.append(t.ends_at > utc(since))
    if until is not None:
        where.append(t.starts_at < utc(until))
    return list(conn.execute(select(campaign_events).where(*where)
                             .order_by(t.starts_at, t.id)).all())


def replace_resources(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Store resources, replacing ones with the same district, kind and name; return count."""
    t = readiness_resources.c
    for row in rows:
        conn.execute(delete(readiness_resources).where(
            t.region_code == row["region_code"], t.kind == row["kind"], t.name == row["name"]))
        conn.execute(readiness_resources.insert().values(**row))
    return len(rows)


def resource_rows(conn: Connection, scope: str) -> list[Any]:
    """Return the readiness resources stored in `scope`."""
    return list(conn.execute(select(readiness_resources).where(
        inside(readiness_resources.c.region_code, scope))).all())


def insert_health(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Store officer-health reports (each kept; later reports do not erase earlier ones)."""
    if rows:
        conn.execute(officer_health.insert(), list(rows))
    return len(rows)


def health_rows(conn: Connection, scope: str) -> list[Any]:
    """Return officer-health reports in `scope`, oldest first."""
    t = officer_health.c
    return list(conn.execute(select(officer_health).where(inside(t.region_code, scope))
                             .order_by(t.reported_at, t.id)).all())


def upsert_figures(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Store participation figures, replacing the same kind, election and region; return count."""
    t = participation_figures.c
    for row in rows:
        conn.execute(delete(participation_figures).where(
            t.kind == row["kind"], t.election == row["election"],
            t.region_code == row["region_code"]))
        conn.execute(participation_figures.insert().values(**row))
    return len(rows)


def figure_rows(conn: Connection, scope: str, kind: str | None = None,
                election: str | None = None) -> list[Any]:
    """Return participation figures in `scope` or above it (a regency target covers districts)."""
    t = participation_figures.c
    above = [scope[:n] for n in (2, 5, 8) if n < len(scope)] if scope else []
    where = [or_(inside(t.region_code, scope), t.region_code.in_(above))]
    if kind:
        where.append(t.kind == kind)
    if election:
        where.append(t.election == election)
    return list(conn.execute(select(participation_figures).where(*where)
                             .order_by(t.region_code)).all())


def dpt_by_region(conn: Connection, scope: str, election: str) -> dict[str, int]:
    """Return region code → DPT stored in voter_counts for an election inside `scope`."""
    v = voter_counts.c
    return {r.region_code: int(r.voters) for r in conn.execute(
        select(v.region_code, v.voters).where(v.election == election,
                                              inside(v.region_code, scope)))}


def child_regions(conn: Connection, scope: str, level: str) -> dict[str, str]:
    """Return code → name of the regions of `level` inside `scope`."""
    r = regions.c
    return {row.code: row.name for row in conn.execute(
        select(r.code, r.name).where(r.level == level, inside(r.code, scope)))}


def set_region_dpt(conn: Connection, election: str, rows: Sequence[tuple[str, int, str]]) -> int:
    """Store DPT per region (code, voters, source), replacing the same election and region."""
    v = voter_counts.c
    for code, voters, source in rows:
        conn.execute(delete(voter_counts).where(v.election == election, v.region_code == code))
        conn.execute(voter_counts.insert().values(election=election, region_code=code,
                                                  voters=voters, source=source[:200]))
    if rows:
        revisions.bump(conn)
    return len(rows)


def set_tps_dpt(conn: Connection, rows: Sequence[tuple[str, int]]) -> int:
    """Set the DPT of Pemilu 2024 TPS rows (KPU code, voters); return how many were set."""
    from sqlalchemy import update

    from siaga.domain.elections import PEMILU_2024

    t = polling_stations.c
    for code, voters in rows:
        conn.execute(update(polling_stations).where(t.election == PEMILU_2024, t.code == code)
                     .values(voters=voters))
    if rows:
        revisions.bump(conn)
    return len(rows)


def tps_dpt_by_region(conn: Connection, scope: str, level_chars: int) -> dict[str, int]:
    """Return region code (cut to `level_chars`) → summed imported TPS DPT inside `scope`."""
    from sqlalchemy import func

    from siaga.domain.elections import PEMILU_2024

    t = polling_stations.c
    unit = func.substr(t.region_code, 1, level_chars)
    return {r[0]: int(r[1]) for r in conn.execute(
        select(unit, func.sum(t.voters)).where(t.election == PEMILU_2024, t.voters.is_not(None),
                                               inside(t.region_code, scope)).group_by(unit))
        if r[0]}


def tps_dpt_codes(conn: Connection, codes: Sequence[str]) -> list[str]:
    """Return those of the KPU codes that name a stored Pemilu 2024 TPS."""
    from siaga.domain.elections import PEMILU_2024

    t = polling_stations.c
    found: list[str] = []
    for start in range(0, len(codes), BATCH):
        found += conn.execute(select(t.code).where(t.election == PEMILU_2024, t.code.in_(
            list(codes[start:start + BATCH])))).scalars().all()
    return found


def demo_event_exists(conn: Connection, title_prefix: str) -> bool:
    """Return whether a campaign event whose title starts with `title_prefix` is stored."""
    return conn.execute(select(campaign_events.c.id).where(
        campaign_events.c.title.like(f"{title_prefix}%"))).first() is not None


def tps_regions(conn: Connection, codes: list[str]) -> dict[str, str]:
    """Return polling-station code → region code for the Pemilu 2024 stations among `codes`."""
    t = polling_stations.c
    found: dict[str, str] = {}
    for start in range(0, len(codes), 500):
        found.update({r.code: r.region_code for r in conn.execute(select(
            t.code, t.region_code).where(t.election == PEMILU_2024,
                                         t.code.in_(codes[start:start + 500])))
                      if r.region_code})
    return found


def tps_counts(conn: Connection, scope: str) -> Counter[str]:
    """Return district code → number of Pemilu 2024 polling stations inside `scope`."""
    t = polling_stations.c
    rows = conn.execute(select(func.substr(t.region_code, 1, 8).label("district"),
                               func.count()).where(t.election == PEMILU_2024,
                                                   inside(t.region_code, scope))
                        .group_by("district")).all()
    return Counter({r[0]: int(r[1]) for r in rows if r[0]})


def votes_by_region(conn: Connection, scope: str, election: str,
                    offices: Sequence[str]) -> dict[str, int]:
    """Return region code → votes counted in the `election`'s contests for `offices`."""
    r, c = contest_results.c, contests.c
    return {row[0]: row[1] for row in conn.execute(select(r.region_code, func.sum(r.votes)).join(
        contests, c.id == r.contest_id).where(
        c.election == election, c.office.in_(list(offices)),
        inside(r.region_code, scope)).group_by(r.region_code))}
