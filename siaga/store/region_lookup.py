"""Region look-ups the interfaces need: names of codes, the children of a region, the
regencies a workspace has loaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from sqlalchemy import Connection, select

from siaga.store.queries import loaded_scope
from siaga.store.schema import regions


def region_names(conn: Connection, codes: Iterable[str]) -> dict[str, str]:
    """Return code → name of the known regions among `codes` (blank codes are skipped)."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    return dict(conn.execute(select(regions.c.code, regions.c.name).where(
        regions.c.code.in_(wanted))).all())


class RegionChild(TypedDict):
    """A region directly inside another (a JSON record of the API)."""

    code: str
    name: str
    level: str


def children(conn: Connection, parent: str) -> list[RegionChild]:
    """Return the regions directly inside `parent`: code, name, level, by code."""
    query = select(regions.c.code, regions.c.name, regions.c.level).where(
        regions.c.parent_code == parent).order_by(regions.c.code)
    return [{"code": r.code, "name": r.name, "level": r.level} for r in conn.execute(query)]


def loaded_regencies(conn: Connection) -> list[dict[str, str]]:
    """Return the regencies whose TPS are loaded: code, name and province name."""
    scope = loaded_scope(conn, "polling-stations")
    codes = [] if scope is None else [c for c in scope.codes if c.count(".") == 1]
    found = region_names(conn, codes + [c[:2] for c in codes])
    return [{"code": c, "name": found.get(c, c), "province": found.get(c[:2], c[:2])}
            for c in codes]
