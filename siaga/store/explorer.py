"""Read queries of the signals explorer and the alerts feed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from siaga.domain.records import JsonRecord
from siaga.store.schema import detections, signal_facts, signals
from siaga.store.signals import bound_time
from siaga.store.sql import inside


@dataclass(frozen=True)
class SignalFilter:
    """What the explorer is asked for; every field narrows the list."""

    scope: str | None = None
    category: str | None = None
    source: str | None = None
    cluster: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[int, ...] = ()
    limit: int = 100


@dataclass(frozen=True)
class SignalRow(JsonRecord):
    """A signal with what the pipeline made of it, as the explorer and the API show it."""

    id: int
    text: str
    title: str | None
    url: str | None
    author: str | None
    platform: str | None
    source_kind: str
    occurred_at: datetime
    labels: list[str] | None
    categories: dict[str, float] | None
    regions: list[dict[str, Any]] | None
    agencies: list[str] | None
    candidates: list[dict[str, Any]] | None
    severity: float
    cluster_id: int | None


def _decoded(row: Any) -> SignalRow:
    item = dict(row._mapping)
    for key in ("categories", "labels", "regions", "agencies", "candidates"):
        if item.get(key) is not None:
            item[key] = json.loads(item[key])
    return SignalRow(**item)


def find_signals(conn: Connection, wanted: SignalFilter) -> list[SignalRow]:
    """Return signals with their detections, newest first, narrowed by the filter."""
    s, d = signals.c, detections.c
    query = (select(s.id, s.text, s.title, s.url, s.author, s.platform, s.source_kind,
                    s.occurred_at, d.labels, d.categories, d.regions, d.agencies, d.candidates,
                    d.severity, d.cluster_id)
             .join(detections, d.signal_id == s.id)
             .order_by(s.occurred_at.desc(), s.id.desc()).limit(wanted.limit))
    if wanted.ids:
        query = query.where(s.id.in_(list(wanted.ids)))
    if wanted.scope or wanted.category:
        facts = select(signal_facts.c.signal_id)
        if wanted.scope:
            # Facts are kept per regency; a district scope narrows to its regency's signals.
            regency = ".".join(wanted.scope.split(".")[:2])
            facts = facts.where(inside(signal_facts.c.region_code, regency))
        if wanted.category:
            facts = facts.where(signal_facts.c.category == wanted.category)
        query = query.where(s.id.in_(facts))
    if wanted.source:
        query = query.where((s.platform == wanted.source) | (s.source_kind == wanted.source))
    if wanted.cluster is not None:
        query = query.where(d.cluster_id == wanted.cluster)
    if wanted.since is not None:
        query = query.where(s.occurred_at >= bound_time(conn, wanted.since))
    if wanted.until is not None:
        query = query.where(s.occurred_at < bound_time(conn, wanted.until))
    return [_decoded(r) for r in conn.execute(query)]


def signal_sources(conn: Connection) -> list[str]:
    """Return the platforms and source kinds seen, for the explorer's filter."""
    found = {r.platform for r in conn.execute(select(signals.c.platform).distinct())
             if r.platform}
    found |= {r.source_kind for r in conn.execute(select(signals.c.source_kind).distinct())}
    return sorted(found)


def count_signals(conn: Connection, scope: str, since: datetime, until: datetime) -> int:
    """Return how many signals (each once, whatever its categories) name `scope`'s regency.

    Counted over [since, until).
    """
    from sqlalchemy import func

    regency = ".".join(scope.split(".")[:2])
    facts = select(signal_facts.c.signal_id).where(inside(signal_facts.c.region_code, regency))
    query = select(func.count()).select_from(signals).where(
        signals.c.id.in_(facts), signals.c.occurred_at >= bound_time(conn, since),
        signals.c.occurred_at < bound_time(conn, until))
    return int(conn.execute(query).scalar_one())
