"""Revision counters: a number per kind of data, bumped by every write to it.

A cache keyed by the counter can never serve a result older than the data: the counter moves in
the same transaction as the write, so a reader that sees the new rows also sees the new number.
Readers must read the counter *before* the data they cache (a write landing in between then only
makes the cached entry look older than it is, never newer).
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from siaga.store.schema import data_revisions

RISK = "risk"
# Everything the vulnerability index reads: TPS and their DPT, regions, shapes, observations.
RISK_TABLES = frozenset({"polling_stations", "regions", "boundaries", "voter_counts",
                         "risk_observations"})


def bump(conn: Connection, name: str = RISK) -> None:
    """Add one to the counter `name` inside the caller's transaction (creating it at 1)."""
    moved = conn.execute(update(data_revisions).where(data_revisions.c.name == name)
                         .values(revision=data_revisions.c.revision + 1)).rowcount
    if not moved:
        conn.execute(data_revisions.insert().values(name=name, revision=1))


def current(conn: Connection, name: str = RISK) -> int:
    """Return the counter `name` (0 when nothing was ever written)."""
    found = conn.execute(select(data_revisions.c.revision)
                         .where(data_revisions.c.name == name)).scalar()
    return int(found or 0)
