"""Build the name gazetteer from the store's region tables."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection

from siaga.domain.regions import Level
from siaga.regions.search import Gazetteer, GazetteerEntry
from siaga.store.queries import gazetteer_rows


def load_gazetteer(conn: Connection) -> Gazetteer | None:
    """Return a gazetteer of every stored region (2023 names as aliases), or None if empty."""
    aliases: dict[str, list[str]] = defaultdict(list)
    base: dict[str, tuple[str, str, str | None]] = {}
    for code, name, level, parent, old_name in gazetteer_rows(conn):
        base[code] = (name, level, parent)
        if old_name:
            aliases[code].append(old_name)
    if not base:
        return None
    return Gazetteer(
        GazetteerEntry(code, name, Level(level), parent, tuple(aliases[code]))
        for code, (name, level, parent) in base.items()
    )
