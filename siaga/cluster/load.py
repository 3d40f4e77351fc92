"""Load a cluster job's detections into the Siaga store, partition by partition.

Each partition holds whole clusters and goes in one transaction through the single node's
store functions (COPY on PostgreSQL): signals first, skipping any whose content or source id
is stored (so a re-run adds nothing), then the new signals' detections, facts and clusters.
The alert rules then run in the store, over the windows the new facts touched.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from siaga.cluster import executor as ex
from siaga.detect.alerts import facts_of
from siaga.detect.cluster import ClusterState, MinHasher
from siaga.services.detect import evaluate_alerts

LOADED_SCHEMA = "inserted long, region string, category string, day string"


def _clusters(rows: list[dict[str, Any]], new_ids: dict[str, int],
              offset: int) -> list[ClusterState]:
    """Return the clusters whose first text is a newly stored signal, from all their members."""
    members: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        members.setdefault(int(row["cluster_id"]), []).append(row)
    found = []
    hasher = MinHasher()
    for cluster, group in sorted(members.items()):
        first = next((r for r in group if r["ord"] == r["opener"]), None)
        if first is None or first["content_hash"] not in new_ids:
            continue
        moments = [datetime.fromisoformat(r["moment"]) for r in group]
        found.append(ClusterState(
            offset + cluster, hasher.signatures([first["normalised"]])[0], len(group),
            min(moments), max(moments), dict(Counter(r["source"] for r in group)),
            first["normalised"][:500], new_ids[first["content_hash"]]))
    return found


def _stored_clusters(conn: Any, rows: list[dict[str, Any]],
                     new_ids: dict[str, int]) -> dict[int, int]:
    """Return job cluster -> stored cluster id, for clusters whose first text was stored by
    an earlier load: their new members join the cluster the store already has."""
    from siaga.store import signals as db

    openers = {int(r["cluster_id"]): r["content_hash"] for r in rows
               if r["ord"] == r["opener"] and r["content_hash"] not in new_ids}
    if not openers:
        return {}
    ids = db.ids_by_hash(conn, sorted(set(openers.values())))
    stored = db.detections_of(conn, sorted(set(ids.values())))
    return {cluster: int(stored[ids[digest]]["cluster_id"])
            for cluster, digest in openers.items()
            if digest in ids and ids[digest] in stored
            and stored[ids[digest]]["cluster_id"] is not None}


def load_partition(url: str, offset: int, setup: ex.JobSetup,
                   frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Store one partition's new signals with their detections, facts and clusters; yield how
    many were new and the (region, category, day) of each new fact."""
    from siaga.store import open_store
    from siaga.store import signals as db

    rows = [ex.clean_row(r) for frame in frames for r in frame.to_dict("records")]
    if not rows:
        yield pd.DataFrame({"inserted": [0], "region": [None], "category": [None],
                            "day": [None]})
        return
    store = open_store(url, migrate=False)
    now = datetime.now(UTC)
    try:
        with store.engine.begin() as conn:
            signals = [ex.signal_of(r) for r in rows]
            outcome = db.insert_signals(conn, signals)
            new = [(sid, s, r) for sid, s, r in zip(outcome.ids, signals, rows, strict=True)
                   if sid is not None]
            ids = [sid for sid, _, _ in new]
            new_ids = {s.content_hash: sid for sid, s, _ in new}
            # Clusters before detections (detections name them), as the single node saves.
            db.save_clusters(conn, _clusters(rows, new_ids, offset))
            earlier = _stored_clusters(conn, rows, new_ids)
            found = [ex.detection_of({**r, "cluster_id": earlier.get(
                int(r["cluster_id"]), offset + int(r["cluster_id"]))}) for _, _, r in new]
            db.save_detections(conn, ids, found, now, replace=False)
            facts = facts_of(ids, [s for _, s, _ in new], found, setup.rules)
            db.save_facts(conn, facts, replace=False)
    finally:
        store.dispose()
    yield pd.DataFrame({
        "inserted": [len(ids)] + [0] * len(facts), "region": [None] + [f[1] for f in facts],
        "category": [None] + [f[2] for f in facts],
        "day": [None] + [f[3].isoformat() for f in facts]})


def load_detections(final: Any, url: str, setup: ex.JobSetup,
                    writers: int | None = None) -> int:
    """Load the job's detections into the store at `url`; return how many signals were new.

    PostgreSQL takes `writers` partitions at once (default: the job's parallelism); SQLite,
    which has one writer, takes them one at a time.
    """
    from siaga.store import open_store
    from siaga.store.signals import max_cluster_id

    store = open_store(url)  # migrated once, here, before the executors connect
    try:
        with store.engine.connect() as conn:
            offset = max_cluster_id(conn)
        parallel = writers or final.sparkSession.sparkContext.defaultParallelism
        if store.dialect == "sqlite":
            parallel = 1
        loaded = (final.repartition(parallel, "cluster_id")
                  .mapInPandas(functools.partial(load_partition, url, offset, setup),
                               LOADED_SCHEMA).collect())
        inserted = sum(int(r.inserted) for r in loaded)
        touched = {((r.region, r.category), setup.rules.window_of(date.fromisoformat(r.day)))
                   for r in loaded if r.region is not None}
        with store.engine.begin() as conn:
            evaluate_alerts(conn, setup.rules, touched, datetime.now(UTC))
        return inserted
    finally:
        store.dispose()
