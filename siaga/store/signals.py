"""Storage of early detection: raw signals (insert-only), detections, clusters, signal facts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, bindparam, delete, func, select, tuple_, update

from siaga.detect.cluster import ClusterState
from siaga.domain.signals import Cluster, Detection, Signal, SourceKind
from siaga.store.bulk import copy_rows
from siaga.store.schema import clusters, detections, signal_facts, signals

CHUNK = 500
SIGNAL_COLUMNS = (
    "source_kind", "source_id", "content_hash", "text", "title", "url", "author", "platform",
    "published_at", "received_at", "occurred_at", "lang", "origin", "meta", "raw_input_id",
)
DETECTION_COLUMNS = (
    "signal_id", "normalised", "categories", "labels", "toxicity", "regions", "tps", "agencies",
    "roles", "candidates", "dates", "cluster_id", "severity", "model_versions", "processed_at",
)
CLUSTER_COLUMNS = (
    "id", "signature", "representative_signal_id", "sample", "count", "first_seen",
    "last_seen", "sources",
)


def db_time(conn: Connection, moment: datetime | None) -> Any:
    """Return a time as the raw driver should receive it (SQLite: naive UTC text)."""
    if moment is None:
        return None
    if conn.dialect.name == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment


def bound_time(conn: Connection, moment: datetime) -> datetime:
    """Return a time for a SQLAlchemy bind parameter (SQLite stores naive UTC)."""
    if conn.dialect.name == "sqlite":
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def as_utc(moment: datetime) -> datetime:
    """Return a stored time as an aware UTC datetime (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass
class InsertOutcome:
    """Per input signal its new id (None when it was already stored) and why it was skipped."""

    ids: list[int | None] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def inserted(self) -> int:
        """Return how many signals were new."""
        return sum(1 for i in self.ids if i is not None)


def _known(conn: Connection, chunk: Sequence[Signal]) -> tuple[set[str], set[tuple[str, str]]]:
    hashes = set(conn.execute(select(signals.c.content_hash).where(
        signals.c.content_hash.in_([s.content_hash for s in chunk]))).scalars())
    pairs = {(s.source_kind.value, s.source_id) for s in chunk}
    found = conn.execute(select(signals.c.source_kind, signals.c.source_id).where(
        tuple_(signals.c.source_kind, signals.c.source_id).in_(sorted(pairs)))).all()
    return hashes, {(r[0], r[1]) for r in found}


def insert_signals(conn: Connection, batch: Sequence[Signal],
                   raw_input_id: int | None = None) -> InsertOutcome:
    """Store new signals as received; a known source id or content hash is skipped, not changed."""
    outcome = InsertOutcome()
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start:start + CHUNK]
        hashes, pairs = _known(conn, chunk)
        rows: list[tuple[Any, ...]] = []
        fresh: set[str] = set()
        for offset, signal in enumerate(chunk):
            pair = (signal.source_kind.value, signal.source_id)
            if signal.content_hash in hashes or pair in pairs:
                reason = ("same content already stored" if signal.content_hash in hashes
                          else f"source id {signal.source_id!r} already stored")
                outcome.skipped.append((start + offset, reason))
                continue
            hashes.add(signal.content_hash)
            pairs.add(pair)
            rows.append(_signal_row(conn, signal, raw_input_id))
            fresh.add(signal.content_hash)
        copy_rows(conn, signals, SIGNAL_COLUMNS, rows)
        ids = dict(conn.execute(select(signals.c.content_hash, signals.c.id).where(
            signals.c.content_hash.in_(fresh))).all()) if fresh else {}
        outcome.ids += [ids.get(s.content_hash) if s.content_hash in fresh else None
                        for s in chunk]
    return outcome


def _signal_row(conn: Connection, s: Signal, raw_input_id: int | None) -> tuple[Any, ...]:
    return (
        s.source_kind.value, s.source_id, s.content_hash, s.text, s.title, s.url, s.author,
        s.platform, db_time(conn, s.published_at), db_time(conn, s.received_at),
        db_time(conn, s.moment), s.lang, s.origin[:300], s.meta_json(), raw_input_id,
    )


def _signal_of(row: Any) -> Signal:
    return Signal(
        source_kind=SourceKind(row.source_kind), source_id=row.source_id,
        content_hash=row.content_hash, text=row.text, received_at=as_utc(row.received_at),
        title=row.title, url=row.url, author=row.author, platform=row.platform,
        published_at=as_utc(row.published_at) if row.published_at else None, lang=row.lang,
        origin=row.origin, meta=json.loads(row.meta or "{}"),
    )


def pending_signals(conn: Connection, limit: int, after_id: int = 0,
                    ids: Sequence[int] | None = None) -> list[tuple[int, Signal]]:
    """Return up to `limit` signals (id order, id > after_id) that have no detection yet."""
    query = (select(signals).outerjoin(detections, detections.c.signal_id == signals.c.id)
             .where(detections.c.signal_id.is_(None), signals.c.id > after_id)
             .order_by(signals.c.id).limit(limit))
    if ids is not None:
        query = query.where(signals.c.id.in_(list(ids)))
    return [(row.id, _signal_of(row)) for row in conn.execute(query)]


def count_pending(conn: Connection) -> int:
    """Return how many stored signals have no detection yet."""
    query = (select(func.count()).select_from(signals)
             .outerjoin(detections, detections.c.signal_id == signals.c.id)
             .where(detections.c.signal_id.is_(None)))
    return int(conn.execute(query).scalar() or 0)


def signals_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Signal]:
    """Return the stored signals with these ids."""
    rows = conn.execute(select(signals).where(signals.c.id.in_(list(ids))))
    return {row.id: _signal_of(row) for row in rows}


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))


def _json(value: Any) -> str:
    if isinstance(value, list) and not value:
        return "[]"  # most signals name no TPS, role, candidate or date
    return _ENCODER.encode(value)  # one encoder: json.dumps with options builds one per call


def save_detections(conn: Connection, ids: Sequence[int], found: Sequence[Detection],
                    processed_at: datetime) -> None:
    """Store detections beside their signals, replacing earlier results for the same signals."""
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        conn.execute(delete(detections).where(detections.c.signal_id.in_(part)))
    when = db_time(conn, processed_at)
    rows = [
        (sid, d.normalised, _json(d.categories), _json(d.labels), _json(d.toxicity),
         _json(d.regions), _json(d.tps), _json(d.agencies), _json(d.roles),
         _json(d.candidates), _json(d.dates), d.cluster_id, d.severity,
         _json(d.model_versions), when)
        for sid, d in zip(ids, found, strict=True)
    ]
    copy_rows(conn, detections, DETECTION_COLUMNS, rows)


def save_facts(conn: Connection, facts: Sequence[tuple[int, str, str, date, float]]) -> None:
    """Store (signal id, region, category, day, severity) rows, replacing a signal's old ones."""
    ids = sorted({f[0] for f in facts})
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(signal_facts).where(signal_facts.c.signal_id.in_(
            ids[start:start + CHUNK])))
    rows = [(sid, region, category, day.isoformat() if conn.dialect.name == "sqlite" else day,
             severity) for sid, region, category, day, severity in facts]
    copy_rows(conn, signal_facts, ("signal_id", "region_code", "category", "day", "severity"),
              rows)


def max_cluster_id(conn: Connection) -> int:
    """Return the largest cluster id stored (0 for none)."""
    return int(conn.execute(select(func.max(clusters.c.id))).scalar() or 0)


def load_clusters(conn: Connection, since: datetime | None = None) -> list[ClusterState]:
    """Return the stored clusters last seen at or after `since` (all when None)."""
    query = select(clusters)
    if since is not None:
        query = query.where(clusters.c.last_seen >= since)
    return [
        ClusterState(row.id, np.frombuffer(row.signature, dtype=np.uint32).copy(),
                     row._mapping["count"], as_utc(row.first_seen), as_utc(row.last_seen),
                     json.loads(row.sources),
                     row.sample, row.representative_signal_id, new=False, dirty=False)
        for row in conn.execute(query)
    ]


def save_clusters(conn: Connection, states: Sequence[ClusterState]) -> None:
    """Insert new clusters and update the counts, times and sources of known ones."""
    fresh = [s for s in states if s.new]
    known = [s for s in states if not s.new]
    copy_rows(conn, clusters, CLUSTER_COLUMNS, [
        (s.id, s.signature.astype(np.uint32).tobytes(), s.representative_signal_id, s.sample,
         s.count, db_time(conn, s.first_seen), db_time(conn, s.last_seen), _json(s.sources))
        for s in fresh
    ])
    for state in fresh:
        state.new = False
    if known:
        conn.execute(
            update(clusters).where(clusters.c.id == bindparam("k_id")).values(
                count=bindparam("v_count"), first_seen=bindparam("v_first"),
                last_seen=bindparam("v_last"), sources=bindparam("v_sources")),
            [{"k_id": s.id, "v_count": s.count, "v_first": bound_time(conn, s.first_seen),
              "v_last": bound_time(conn, s.last_seen), "v_sources": _json(s.sources)}
             for s in known],
        )


def detections_of(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Return stored detections by signal id, JSON fields decoded."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = conn.execute(select(detections).where(and_(
            detections.c.signal_id.in_(list(ids[start:start + CHUNK])))))
        for row in rows:
            item = dict(row._mapping)
            for key in ("categories", "labels", "toxicity", "regions", "tps", "agencies",
                        "roles", "candidates", "dates", "model_versions"):
                item[key] = json.loads(item[key])
            out[row.signal_id] = item
    return out


def largest_clusters(conn: Connection, limit: int = 20, min_count: int = 2,
                     since: datetime | None = None) -> list[Cluster]:
    """Return the clusters with the most signals (last seen at or after `since`), largest first."""
    query = (select(clusters).where(clusters.c.count >= min_count)
             .order_by(clusters.c.count.desc(), clusters.c.id).limit(limit))
    if since is not None:
        query = query.where(clusters.c.last_seen >= bound_time(conn, since))
    return [
        Cluster(id=row.id, count=row._mapping["count"], first_seen=as_utc(row.first_seen),
                last_seen=as_utc(row.last_seen), sources=json.loads(row.sources),
                representative_signal_id=row.representative_signal_id, sample=row.sample)
        for row in conn.execute(query)
    ]
