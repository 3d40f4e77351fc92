"""Storage of early detection: raw signals (insert-only), detections, clusters, signal facts."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, func, select, tuple_

from siaga.detect.cluster import ClusterState
from siaga.domain.signals import Cluster, Detection, Signal, SourceKind
from siaga.store.bulk import copy_rows
from siaga.store.schema import clusters, detections, signal_facts, signals
from siaga.store.sql import marks

CHUNK = 500
SIGNAL_COLUMNS = (
    "source_kind", "source_id", "content_hash", "text", "title", "url", "author", "platform",
    "published_at", "received_at", "occurred_at", "lang", "origin", "meta", "raw_input_id",
)
DETECTION_COLUMNS = (
    "signal_id", "normalised", "categories", "labels", "toxicity", "regions", "tps", "agencies",
    "roles", "candidates", "dates", "cluster_id", "severity", "model_versions", "processed_at",
    "evidence",
)
CLUSTER_COLUMNS = (
    "id", "signature", "representative_signal_id", "sample", "count", "first_seen",
    "last_seen", "sources",
)


def db_time(conn: Connection, moment: datetime | None) -> Any:
    """Return a time as the raw driver should receive it (SQLite: naive UTC text)."""
    return time_writer(conn)(moment)


def time_writer(conn: Connection) -> Callable[[datetime | None], Any]:
    """Return `db_time` for this connection's dialect, decided once for a batch of rows."""
    return _sqlite_time if conn.dialect.name == "sqlite" else _same_time


def _sqlite_time(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is not UTC:  # most times are UTC already: converting costs like formatting
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]  # without the "+00:00"


def _same_time(moment: datetime | None) -> datetime | None:
    return moment


def read_time(value: datetime | str) -> datetime:
    """Return a time read by the raw driver as an aware UTC datetime (SQLite gives text)."""
    if isinstance(value, datetime):
        return as_utc(value)
    if len(value) > 26:  # text with an offset of its own (the store writes naive UTC)
        return as_utc(datetime.fromisoformat(value))
    return datetime.fromisoformat(value + "+00:00")  # 5 times faster than .replace(tzinfo=UTC)


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
    """Return the chunk's content hashes and (kind, source id) pairs already stored."""
    hashes = _ids_by_hash(conn, [s.content_hash for s in chunk])
    by_kind: dict[str, list[str]] = defaultdict(list)
    for s in chunk:
        by_kind[s.source_kind.value].append(s.source_id)
    pairs: set[tuple[str, str]] = set()
    for kind, source_ids in by_kind.items():  # one kind per query: the unique index leads with it
        sql = (f"SELECT source_kind, source_id FROM signals WHERE source_kind = {marks(conn, 1)}"
               f" AND source_id IN ({marks(conn, len(source_ids))})")
        pairs.update((k, i) for k, i in conn.exec_driver_sql(sql, (kind, *source_ids)))
    return set(hashes), pairs


def _ids_by_hash(conn: Connection, hashes: Sequence[str]) -> dict[str, int]:
    """Return the ids of the stored signals with these content hashes, by hash."""
    # Raw SQL: SQLAlchemy would render a 500-value IN list anew for every chunk.
    sql = (f"SELECT content_hash, id FROM signals"
           f" WHERE content_hash IN ({marks(conn, len(hashes))})")
    return dict(conn.exec_driver_sql(sql, tuple(hashes)).all()) if hashes else {}


def ids_by_hash(conn: Connection, hashes: Sequence[str]) -> dict[str, int]:
    """Return the ids of the stored signals with these content hashes, by hash."""
    out: dict[str, int] = {}
    for start in range(0, len(hashes), CHUNK):
        out.update(_ids_by_hash(conn, hashes[start:start + CHUNK]))
    return out


def insert_signals(conn: Connection, batch: Sequence[Signal],
                   raw_input_id: int | None = None) -> InsertOutcome:
    """Store new signals as received; a known source id or content hash is skipped, not changed."""
    outcome = InsertOutcome()
    when = time_writer(conn)
    for start in range(0, len(batch), CHUNK):
        chunk = batch[start:start + CHUNK]
        hashes, pairs = _known(conn, chunk)
        rows: list[tuple[Any, ...]] = []
        fresh: list[str] = []
        for offset, signal in enumerate(chunk):
            pair = (signal.source_kind.value, signal.source_id)
            if signal.content_hash in hashes or pair in pairs:
                reason = ("same content already stored" if signal.content_hash in hashes
                          else f"source id {signal.source_id!r} already stored")
                outcome.skipped.append((start + offset, reason))
                continue
            hashes.add(signal.content_hash)
            pairs.add(pair)
            rows.append(_signal_row(signal, raw_input_id, when))
            fresh.append(signal.content_hash)
        copy_rows(conn, signals, SIGNAL_COLUMNS, rows)
        ids = _ids_by_hash(conn, fresh)
        outcome.ids += [ids.get(s.content_hash) for s in chunk]
    return outcome


def _signal_row(s: Signal, raw_input_id: int | None,
                when: Callable[[datetime | None], Any]) -> tuple[Any, ...]:
    """Return the SIGNAL_COLUMNS values of a signal, times as `when` writes them."""
    return (
        s.source_kind.value, s.source_id, s.content_hash, s.text, s.title, s.url, s.author,
        s.platform, when(s.published_at), when(s.received_at), when(s.moment), s.lang,
        s.origin[:300], s.meta_json(), raw_input_id,
    )


# The columns a Signal is rebuilt from, read by the raw driver: SQLAlchemy's row and type
# processing cost more than the query for a batch of pending signals.
_SIGNAL_READ = (
    "SELECT s.id, s.source_kind, s.source_id, s.content_hash, s.text, s.received_at, s.title,"
    " s.url, s.author, s.platform, s.published_at, s.lang, s.origin, s.meta FROM signals s"
)
_KINDS = {kind.value: kind for kind in SourceKind}


def _signal_of(row: Sequence[Any]) -> Signal:
    """Return the Signal of a row of _SIGNAL_READ (its id first)."""
    (_, kind, source_id, digest, text, received_at, title, url, author, platform, published_at,
     lang, origin, meta) = row
    return Signal(
        source_kind=_KINDS[kind], source_id=source_id, content_hash=digest, text=text,
        received_at=read_time(received_at), title=title, url=url, author=author,
        platform=platform, published_at=read_time(published_at) if published_at else None,
        lang=lang, origin=origin, meta=json.loads(meta) if meta and meta != "{}" else {},
    )


def pending_signals(conn: Connection, limit: int, after_id: int = 0,
                    ids: Sequence[int] | None = None) -> list[tuple[int, Signal]]:
    """Return up to `limit` signals (id order, id > after_id) that have no detection yet."""
    if ids is not None and not ids:
        return []
    among = f" AND s.id IN ({marks(conn, len(ids))})" if ids else ""
    sql = (f"{_SIGNAL_READ} LEFT OUTER JOIN detections d ON d.signal_id = s.id"
           f" WHERE d.signal_id IS NULL AND s.id > {marks(conn, 1)}{among}"
           f" ORDER BY s.id LIMIT {marks(conn, 1)}")
    rows = conn.exec_driver_sql(sql, (after_id, *(ids or ()), limit)).all()
    return [(row[0], _signal_of(row)) for row in rows]


def count_pending(conn: Connection) -> int:
    """Return how many stored signals have no detection yet."""
    query = (select(func.count()).select_from(signals)
             .outerjoin(detections, detections.c.signal_id == signals.c.id)
             .where(detections.c.signal_id.is_(None)))
    return int(conn.execute(query).scalar() or 0)


def signals_by_id(conn: Connection, ids: Sequence[int]) -> dict[int, Signal]:
    """Return the stored signals with these ids."""
    out: dict[int, Signal] = {}
    for start in range(0, len(ids), CHUNK):
        part = tuple(ids[start:start + CHUNK])
        sql = f"{_SIGNAL_READ} WHERE s.id IN ({marks(conn, len(part))})"
        out.update((row[0], _signal_of(row)) for row in conn.exec_driver_sql(sql, part).all())
    return out


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":"))


def _json(value: Any) -> str:
    if isinstance(value, list) and not value:
        return "[]"  # most signals name no TPS, role, candidate or date
    return _ENCODER.encode(value)  # one encoder: json.dumps with options builds one per call


def save_detections(conn: Connection, ids: Sequence[int], found: Sequence[Detection],
                    processed_at: datetime, *, replace: bool = True) -> None:
    """Store detections beside their signals, replacing earlier results for the same signals.

    With replace=False the signals must have no detection yet (nothing is deleted first).
    """
    ids = list(ids)
    if replace:
        _delete_by_signal(conn, "detections", ids)
    when = db_time(conn, processed_at)
    # Every detection of a run shares the pipeline's versions dict: encode it once a batch.
    versions = {id(d.model_versions): d.model_versions for d in found}
    encoded = {key: _json(value) for key, value in versions.items()}
    rows = [
        (sid, d.normalised, _json(d.categories), _json(d.labels), _json(d.toxicity),
         _json(d.regions), _json(d.tps), _json(d.agencies), _json(d.roles),
         _json(d.candidates), _json(d.dates), d.cluster_id, d.severity,
         encoded[id(d.model_versions)], when, _evidence_json(d))
        for sid, d in zip(ids, found, strict=True)
    ]
    copy_rows(conn, detections, DETECTION_COLUMNS, rows)


def _evidence_json(detection: Detection) -> str:
    """Return the stored form of a detection's evidence ("{}" when it has none)."""
    if not detection.evidence and not detection.not_found:
        return "{}"
    return _ENCODER.encode({"sentences": detection.evidence, "not_found": detection.not_found})


def _delete_by_signal(conn: Connection, table: str, ids: Sequence[int]) -> None:
    """Delete the rows of a table (detections, signal_facts) that belong to these signals."""
    for start in range(0, len(ids), CHUNK):
        part = tuple(ids[start:start + CHUNK])
        conn.exec_driver_sql(
            f"DELETE FROM {table} WHERE signal_id IN ({marks(conn, len(part))})", part)


def save_facts(conn: Connection, facts: Sequence[tuple[int, str, str, date, float]], *,
               replace: bool = True) -> None:
    """Store (signal id, region, category, day, severity) rows, replacing a signal's old ones.

    With replace=False the signals must have no facts yet (nothing is deleted first).
    """
    if replace:
        _delete_by_signal(conn, "signal_facts", sorted({f[0] for f in facts}))
    rows: Sequence[tuple[Any, ...]] = facts
    if conn.dialect.name == "sqlite":
        rows = [(sid, region, category, day.isoformat(), severity)
                for sid, region, category, day, severity in facts]
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
    when = time_writer(conn)
    fresh = [s for s in states if s.new]
    known = [s for s in states if not s.new]
    copy_rows(conn, clusters, CLUSTER_COLUMNS, [
        (s.id, s.signature.astype(np.uint32).tobytes(), s.representative_signal_id, s.sample,
         s.count, when(s.first_seen), when(s.last_seen), _json(s.sources))
        for s in fresh
    ])
    for state in fresh:
        state.new = False
    if known:
        # Raw SQL: SQLAlchemy's executemany would convert the times row by row once more.
        m = marks(conn, 1)
        conn.exec_driver_sql(
            f'UPDATE clusters SET "count" = {m}, first_seen = {m}, last_seen = {m},'
            f" sources = {m} WHERE id = {m}",
            [(s.count, when(s.first_seen), when(s.last_seen), _json(s.sources), s.id)
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
            stored = json.loads(item.pop("evidence") or "{}")
            item["evidence"] = stored.get("sentences", {})
            item["not_found"] = stored.get("not_found", [])
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


def stored_ids(conn: Connection, batch: Sequence[Signal]) -> list[int]:
    """Return the stored id of each signal of `batch` (in order), found by content hash or,
    failing that, by (source kind, source id); every one must be stored already."""
    by_hash = dict(conn.execute(select(signals.c.content_hash, signals.c.id).where(
        signals.c.content_hash.in_([s.content_hash for s in batch]))).all())
    pairs = sorted({(s.source_kind.value, s.source_id) for s in batch})
    by_pair = {(k, s): i for i, k, s in conn.execute(select(
        signals.c.id, signals.c.source_kind, signals.c.source_id).where(
        tuple_(signals.c.source_kind, signals.c.source_id).in_(pairs)))}
    return [by_hash.get(s.content_hash) or by_pair[(s.source_kind.value, s.source_id)]
            for s in batch]


@dataclass(frozen=True)
class SignalCounts:
    """Signals of a region over some days: per category (a signal counts in each of its
    categories), per day and in total (each signal once)."""

    by_category: dict[str, int]
    by_day: dict[str, int]
    total: int


def signal_counts(conn: Connection, scope: str, first: date, last: date) -> SignalCounts:
    """Return the signals in `scope` (a dotted code and the codes below it) from day `first`
    to day `last`, counted per category, per day ('YYYY-MM-DD') and in all."""
    from siaga.store.sql import inside

    f = signal_facts.c
    where = (inside(f.region_code, scope), f.day >= first, f.day <= last)
    # Facts are one row per signal and category: categories count signal x category (a signal
    # in two categories is in both bars), but totals and days count each signal once.
    by_category = {str(c): int(n) for c, n in conn.execute(
        select(f.category, func.count(func.distinct(f.signal_id))).where(*where)
        .group_by(f.category)).all()}
    by_day: dict[str, int] = defaultdict(int)
    for day, count in conn.execute(select(f.day, func.count(func.distinct(f.signal_id)))
                                   .where(*where).group_by(f.day)):
        by_day[str(day)[:10]] += int(count)
    total = int(conn.execute(select(func.count(func.distinct(f.signal_id)))
                             .where(*where)).scalar_one())
    return SignalCounts(by_category, dict(by_day), total)
