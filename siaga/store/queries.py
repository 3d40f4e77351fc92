"""Read-side queries the CLI and the API share: region summaries, gazetteer rows, status counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from sqlalchemy import Connection, and_, func, or_, select

from siaga.domain.elections import PEMILU_2024
from siaga.domain.regions import ancestors_of
from siaga.domain.scope import Scope
from siaga.store.schema import (
    boundaries,
    candidate_pairs,
    contests,
    dataset_imports,
    legacy_region_codes,
    metadata,
    polling_stations,
    regions,
    voter_counts,
)
from siaga.store.sql import below, inside


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def loaded_scope(conn: Connection, dataset: str) -> Scope | None:
    """Return the union of scopes a dataset was imported for, or None if never imported."""
    scopes = [
        Scope.parse(s)
        for s in conn.execute(
            select(dataset_imports.c.scope).where(dataset_imports.c.dataset == dataset).distinct()
        ).scalars()
    ]
    if not scopes:
        return None
    if any(s.national for s in scopes):
        return Scope()
    return Scope.parse(",".join(c for s in scopes for c in s.codes))


def _pairs(conn: Connection, code: str) -> list[dict[str, Any]]:
    held_in = or_(
        contests.c.region_code.in_([code, *ancestors_of(code)]),
        below(contests.c.region_code, code),
    )
    query = (
        select(
            contests.c.id,
            contests.c.office,
            contests.c.name,
            contests.c.region_code,
            candidate_pairs.c.number,
            candidate_pairs.c.names,
        )
        .join(candidate_pairs, candidate_pairs.c.contest_id == contests.c.id)
        .where(held_in)
        .order_by(contests.c.region_code, candidate_pairs.c.number)
    )
    return [
        {
            "contest": r.id,
            "office": r.office,
            "contest_name": r.name,
            "number": r.number,
            "names": r.names,
        }
        for r in conn.execute(query)
    ]


def _polling_station_count(conn: Connection, code: str, notes: list[str]) -> int | None:
    scope = loaded_scope(conn, "polling-stations")
    if scope is None or not scope.contains(code):
        notes.append(
            "polling_stations is null: the TPS list is not loaded for this region "
            f"(run `siaga init --scope {code}`)"
        )
        return None
    return _count(
        conn,
        polling_stations,
        polling_stations.c.election == PEMILU_2024,
        inside(polling_stations.c.region_code, code),
    )


class RegionSummary(TypedDict):
    """What Siaga knows of one region (the JSON of `siaga regions show` and of the API)."""

    code: str
    name: str
    level: str
    kind: str | None
    parent: str | None
    ancestors: list[dict[str, str | None]]
    districts: int
    villages: int
    polling_stations: int | None
    candidate_pairs: list[dict[str, Any]]
    population: int | None
    area_km2: float | None
    centroid: dict[str, Any] | None
    has_boundary: bool
    voters_pilkada2024: int | None
    previous_codes: list[dict[str, str]]
    notes: list[str]


def region_summary(conn: Connection, code: str) -> RegionSummary | None:
    """Return what Siaga knows of one region (see `siaga regions show`), or None if unknown."""
    row = conn.execute(select(regions).where(regions.c.code == code)).mappings().first()
    if row is None:
        return None
    notes: list[str] = []
    names = dict(
        conn.execute(
            select(regions.c.code, regions.c.name).where(regions.c.code.in_(ancestors_of(code)))
        ).all()
    )
    old_names = conn.execute(
        select(
            legacy_region_codes.c.vintage, legacy_region_codes.c.code, legacy_region_codes.c.name
        ).where(legacy_region_codes.c.current_code == code)
    ).all()
    voters = conn.execute(
        select(func.sum(voter_counts.c.voters)).where(inside(voter_counts.c.region_code, code))
    ).scalar()
    return {
        "code": row["code"],
        "name": row["name"],
        "level": row["level"],
        "kind": row["kind"],
        "parent": row["parent_code"],
        "ancestors": [{"code": c, "name": names.get(c)} for c in ancestors_of(code)],
        "districts": _count(
            conn, regions, regions.c.level == "district", below(regions.c.code, code)
        ),
        "villages": _count(
            conn, regions, regions.c.level == "village", below(regions.c.code, code)
        ),
        "polling_stations": _polling_station_count(conn, code, notes),
        "candidate_pairs": _pairs(conn, code),
        "population": row["population"],
        "area_km2": row["area_km2"],
        "centroid": None
        if row["lat"] is None
        else {"lat": row["lat"], "lng": row["lng"], "source": row["centroid_source"]},
        "has_boundary": _count(conn, boundaries, boundaries.c.code == code) > 0,
        "voters_pilkada2024": voters,
        "previous_codes": [{"vintage": v, "code": c, "name": n} for v, c, n in old_names],
        "notes": notes,
    }


def gazetteer_rows(conn: Connection) -> list[tuple[str, str, str, str | None, str | None]]:
    """Return (code, name, level, parent_code, 2023 name when it differs) for every region."""
    old = legacy_region_codes
    query = select(
        regions.c.code, regions.c.name, regions.c.level, regions.c.parent_code, old.c.name
    ).outerjoin(old, and_(old.c.current_code == regions.c.code, old.c.name != regions.c.name))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(query)]


def table_counts(conn: Connection) -> dict[str, int]:
    """Return the number of rows in each table."""
    return {name: _count(conn, table) for name, table in metadata.tables.items()}


def recent_imports(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    """Return the newest entries of the import ledger."""
    query = select(dataset_imports).order_by(dataset_imports.c.id.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def contest_labels(conn: Connection, contest_ids: Iterable[str]
                   ) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    """Return contest id → name, and (contest id, ballot number) → the pair's names."""
    wanted = sorted(set(contest_ids))
    if not wanted:
        return {}, {}
    names = dict(conn.execute(select(contests.c.id, contests.c.name).where(
        contests.c.id.in_(wanted))).all())
    pairs = {(r.contest_id, int(r.number)): r.names for r in conn.execute(
        select(candidate_pairs.c.contest_id, candidate_pairs.c.number, candidate_pairs.c.names)
        .where(candidate_pairs.c.contest_id.in_(wanted)))}
    return names, pairs


def name_of(conn: Connection, code: str) -> str | None:
    """Return the name of one region, or None when the code is unknown."""
    found = conn.execute(select(regions.c.name).where(regions.c.code == code)).scalar()
    return None if found is None else str(found)


def region_count(conn: Connection) -> int:
    """Return how many regions are stored."""
    return _count(conn, regions)
