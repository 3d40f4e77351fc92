"""Storage of the vulnerability index: raw input files, observations, and the unit tree's rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from siaga.domain.elections import PEMILU_2024
from siaga.domain.risk import Observation, UnitLevel
from siaga.store import revisions
from siaga.store.raw_inputs import verify_raw_inputs
from siaga.store.schema import (
    boundaries,
    polling_stations,
    regions,
    risk_observations,
    voter_counts,
)
from siaga.store.sql import inside, starts_with

BATCH = 500

# `siaga data verify` still imports the check from here; it lives in store.raw_inputs.
__all__ = ["verify_raw_inputs"]


def _same_instant(a: datetime, b: datetime) -> bool:
    # SQLite hands back naive UTC datetimes; compare both as UTC.
    def utc(d: datetime) -> datetime:
        return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)
    return utc(a) == utc(b)


def insert_observations(conn: Connection, observations: Sequence[Observation],
                        raw_input_id: int | None = None) -> list[tuple[int, str]]:
    """Insert observations, skipping ones already stored; return (position, reason) per skip."""
    skipped: list[tuple[int, str]] = []
    now = datetime.now(UTC)
    for start in range(0, len(observations), BATCH):
        batch = observations[start:start + BATCH]
        existing = _existing(conn, batch)
        rows = []
        for offset, obs in enumerate(batch):
            held = [v for (key, v) in existing if key[:3] == (obs.indicator, obs.unit_code,
                    obs.source.value) and _same_instant(key[3], obs.observed_at)]
            if held:
                same = held[0] == obs.value
                skipped.append((start + offset, "already recorded" if same else
                                f"already recorded with value {held[0]:g} at that time and "
                                "source; record a later observation to change it"))
                continue
            existing.append(((obs.indicator, obs.unit_code, obs.source.value,
                              obs.observed_at), obs.value))
            rows.append(_row(obs, now, raw_input_id))
        if rows:
            conn.execute(risk_observations.insert(), rows)
            revisions.bump(conn)
    return skipped


def _row(obs: Observation, now: datetime, raw_input_id: int | None) -> dict[str, Any]:
    return {"framework": obs.framework, "indicator": obs.indicator,
            "unit_level": obs.unit_level.value, "unit_code": obs.unit_code, "value": obs.value,
            # In UTC: SQLite keeps a datetime's wall time and drops its offset.
            "observed_at": obs.observed_at.astimezone(UTC), "recorded_at": now,
            "source": obs.source.value,
            "evidence": obs.evidence[:300], "raw_input_id": raw_input_id, "demo": obs.demo,
            "note": obs.note}


def _existing(conn: Connection, batch: Sequence[Observation]) -> list[tuple[tuple[Any, ...],
                                                                              float]]:
    t = risk_observations.c
    codes = sorted({o.unit_code for o in batch})
    framework = batch[0].framework
    rows = conn.execute(select(t.indicator, t.unit_code, t.source, t.observed_at, t.value)
                        .where(t.framework == framework, t.unit_code.in_(codes))).all()
    return [((r.indicator, r.unit_code, r.source, r.observed_at), r.value) for r in rows]


def known_unit_codes(conn: Connection, codes: Iterable[str]) -> set[str]:
    """Return those of `codes` that name a stored region or Pemilu 2024 TPS."""
    wanted = sorted(set(codes))
    found: set[str] = set()
    for start in range(0, len(wanted), BATCH):
        part = wanted[start:start + BATCH]
        found.update(conn.execute(select(regions.c.code).where(regions.c.code.in_(part)))
                     .scalars())
        found.update(conn.execute(select(polling_stations.c.code).where(
            polling_stations.c.election == PEMILU_2024, polling_stations.c.code.in_(part)))
            .scalars())
    return found



@dataclass(frozen=True)
class TpsRows:
    """The TPS of a scope as parallel lists, ready for `Hierarchy.build`."""

    codes: list[str]
    villages: list[str]
    voters: list[float]
    without_region: int


def tps_rows(conn: Connection, scope: str) -> TpsRows:
    """Return the Pemilu 2024 TPS inside `scope` ("" for the nation) with a DPT estimate each.

    KPU publishes no per-TPS DPT in the shared data: where a district's DPT is known, its TPS
    share it equally; elsewhere the DPT stays unknown (NaN).
    """
    t = polling_stations.c
    where = [t.election == PEMILU_2024]
    if scope:
        where.append(inside(t.region_code, scope))
    rows = conn.execute(select(t.code, t.region_code, t.voters).where(*where)).all()
    missing = int(conn.execute(select(func.count()).select_from(polling_stations).where(
        t.election == PEMILU_2024, t.region_code.is_(None), t.overseas.is_(False))).scalar_one())
    placed = [r for r in rows if r.region_code]
    district_dpt = _district_dpt(conn, scope)
    per_district: dict[str, int] = {}
    for r in placed:
        per_district[r.region_code[:8]] = per_district.get(r.region_code[:8], 0) + 1
    voters = [float(r.voters) if r.voters else
              district_dpt[r.region_code[:8]] / per_district[r.region_code[:8]]
              if r.region_code[:8] in district_dpt else float("nan") for r in placed]
    return TpsRows([r.code for r in placed], [r.region_code for r in placed], voters,
                   missing if not scope else 0)


def _district_dpt(conn: Connection, scope: str) -> dict[str, float]:
    v = voter_counts.c
    where = [func.length(v.region_code) == 8]
    if scope:
        where.append(inside(v.region_code, scope))
    return {r.region_code: float(r.voters) for r in conn.execute(
        select(v.region_code, func.max(v.voters).label("voters")).where(*where)
        .group_by(v.region_code))}


def observation_rows(conn: Connection, framework: str, scope: str) -> list[Any]:
    """Return the stored observations of a framework that touch `scope` (inside or above it)."""
    t = risk_observations.c
    where = [t.framework == framework]
    if scope:
        above = [scope[:n] for n in (2, 5, 8, 13) if n < len(scope)]
        tps_prefix = scope.replace(".", "")
        where.append(or_(inside(t.unit_code, scope), t.unit_code.in_(above),
                         and_(t.unit_level == UnitLevel.TPS.value,
                              starts_with(t.unit_code, tps_prefix))))
    return list(conn.execute(select(risk_observations).where(*where).order_by(t.id)).all())


def region_names(conn: Connection, scope: str) -> dict[str, str]:
    """Return code → name for the regions in `scope` and above it."""
    r = regions.c
    where = [] if not scope else [or_(inside(r.code, scope),
                                      r.code.in_([scope[:n] for n in (2, 5, 8)]))]
    return {row.code: row.name for row in conn.execute(select(r.code, r.name).where(*where))}


def tps_details(conn: Connection, codes: Sequence[str]) -> dict[str, Any]:
    """Return name, village and coordinates of the given TPS codes."""
    t = polling_stations.c
    out: dict[str, Any] = {}
    for start in range(0, len(codes), BATCH):
        part = list(codes[start:start + BATCH])
        for row in conn.execute(select(t.code, t.name, t.region_code, t.lat, t.lng,
                                       t.location_source).where(
                t.election == PEMILU_2024, t.code.in_(part))):
            out[row.code] = row
    return out


def geometries(conn: Connection, codes: Sequence[str]) -> dict[str, str]:
    """Return code → GeoJSON geometry text of the regions that have a boundary."""
    out: dict[str, str] = {}
    for start in range(0, len(codes), BATCH):
        part = list(codes[start:start + BATCH])
        out.update({r.code: r.geometry for r in conn.execute(
            select(boundaries.c.code, boundaries.c.geometry).where(boundaries.c.code.in_(part)))})
    return out


def demo_observation_count(conn: Connection, framework: str, scope: str) -> int:
    """Return how many demo observations of a framework touch `scope`."""
    return sum(1 for row in observation_rows(conn, framework, scope) if row.demo)


def latest_recorded(conn: Connection, framework: str) -> datetime | None:
    """Return when the newest observation of `framework` was recorded, or None."""
    found: datetime | None = conn.execute(select(func.max(risk_observations.c.recorded_at)).where(
        risk_observations.c.framework == framework)).scalar()
    return found
