"""Spark backfill against the single node on a 20,000-post stream from the shared corpora.

Builds the stream (benchmarks/scale_stream.py: replays, places, candidates, two bursts),
runs `siaga detect classify`'s service and `siaga ingest` + `siaga detect run`'s on one core
as the single-node baseline, then the Spark backfill on a real standalone cluster of 1 and of
2 one-core workers started from the pip package's spark-class. Checks that the cluster's
labels, scores, regions, candidates, severity, clusters and alerts equal the single node's,
and prints JSON. Run with `make bench-scale`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scale_stream import START, burst, corpus_texts, posts, write_jsonl
from siaga.cluster.backfill import run_backfill
from siaga.cluster.executor import JobSetup
from siaga.cluster.session import spark_session
from siaga.detect.alerts import load_rules
from siaga.detect.cluster import Clusterer
from siaga.services.detect import build_pipeline, classify_stream, ingest, process_pending
from siaga.store import open_store
from siaga.store.alerts import list_alerts
from tests.spark_cluster import start_cluster

SIGNALS = int(os.environ.get("SCALE_SIGNALS", "20000"))
FILES = 8


def build_inputs(data_dir: Path, folder: Path) -> Path:
    """Write the stream as FILES JSON Lines files; return their directory."""
    texts = corpus_texts(data_dir)
    records: list[dict[str, Any]] = posts(texts, SIGNALS - 80, days=30)
    day = START + timedelta(days=29)
    records += burst(texts[5000:5040], "di Kabupaten Merangin", day, prefix="m")
    records += burst(texts[9000:9040], "di Kab. Mukomuko", day, prefix="k")
    size = -(-len(records) // FILES)
    for i in range(FILES):
        write_jsonl(folder / "in" / f"part-{i:02d}.jsonl", records[i * size:(i + 1) * size])
    return folder / "in"


def single_node(inputs: Path, home: Path, data_dir: Path, folder: Path) -> dict[str, Any]:
    """Return the single node's contract objects, alerts and rates."""
    rules = load_rules()
    pipeline = build_pipeline(home, data_dir, rules)
    lines = [line for f in sorted(inputs.iterdir()) for line in f.read_text("utf-8").splitlines()]
    store = open_store(f"sqlite:///{folder / 'classify.db'}")
    started = time.perf_counter()
    classified = list(classify_stream(store, pipeline, rules, lines))
    classify_seconds = time.perf_counter() - started
    store.dispose()
    store = open_store(f"sqlite:///{folder / 'run.db'}")
    for f in sorted(inputs.iterdir()):
        ingest(store, home, str(f), "jsonl")
    pipeline.clusterer = Clusterer()
    started = time.perf_counter()
    process_pending(store, pipeline, rules)
    run_seconds = time.perf_counter() - started
    with store.engine.connect() as conn:
        alerts = list_alerts(conn, None, None, 100_000)
    store.dispose()
    return {"classified": classified, "alerts": alerts, "classify_seconds": classify_seconds,
            "run_seconds": run_seconds, "store_bytes": (folder / "run.db").stat().st_size}


def on_cluster(workers: int, inputs: Path, setup: JobSetup, folder: Path) -> dict[str, Any]:
    """Run the backfill on a fresh standalone cluster of `workers` one-core workers."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    cluster = start_cluster(folder / f"cluster{workers}", workers)
    spark = None
    try:
        spark = spark_session(cluster.master, f"siaga-scale-{workers}", {
            "spark.executor.memory": "768m", "spark.sql.shuffle.partitions": str(4 * workers),
            "spark.local.dir": str(folder / "local")})
        out = folder / f"out{workers}"
        started = time.perf_counter()
        report = run_backfill(spark, str(inputs), str(out), setup, partitions=4 * workers)
        seconds = time.perf_counter() - started
        rows = [r.asDict() for r in spark.read.parquet(str(out / "detections")).collect()]
        parquet = sum(f.stat().st_size for f in (out / "detections").rglob("*.parquet"))
        return {"report": report, "seconds": seconds, "rows": rows, "parquet_bytes": parquet}
    finally:
        if spark is not None:
            spark.stop()
        cluster.stop()


def _groups(pairs: list[tuple[str, Any]]) -> set[frozenset[str]]:
    members: dict[Any, set[str]] = {}
    for item, cluster in pairs:
        members.setdefault(cluster, set()).add(item)
    return {frozenset(m) for m in members.values()}


def differences(single: dict[str, Any], spark: dict[str, Any]) -> list[str]:
    """Return what differs between the single node's results and the cluster's (empty: none)."""
    theirs = {r.id: r.to_dict() for r in single["classified"] if r.error is None}
    mine = {r["source_id"]: r for r in spark["rows"]}
    found: list[str] = []
    if set(theirs) != set(mine):
        found.append(f"signals differ: {len(set(theirs) ^ set(mine))}")
    for ident in sorted(set(theirs) & set(mine)):
        a, b = mine[ident], theirs[ident]
        if json.loads(a["labels"]) != b["labels"]:
            found.append(f"{ident}: labels")
        for field in ("categories", "toxicity"):
            scores = json.loads(a[field])
            if any(abs(scores[k] - b[field][k]) > 1e-6 for k in b[field]):
                found.append(f"{ident}: {field}")
        if abs(a["severity"] - b["severity"]) > 1e-6:
            found.append(f"{ident}: severity")
        for field in ("regions", "candidates"):
            if json.loads(a[field]) != b[field]:
                found.append(f"{ident}: {field}")
    if _groups([(i, r["cluster_id"]) for i, r in mine.items()]) != _groups(
            [(i, r["cluster_id"]) for i, r in theirs.items()]):
        found.append("cluster groups differ")
    stored = sorted((a.region_code, a.category, a.window_start.isoformat(), a.observed,
                     a.expected, round(a.p_value, 12)) for a in single["alerts"])
    made = sorted((a["region_code"], a["category"], a["window_start"], a["observed"],
                   a["expected"], round(a["p_value"], 12)) for a in spark["report"].alerts)
    if stored != made:
        found.append(f"alerts differ: {len(stored)} single node, {len(made)} cluster")
    return found


def main() -> None:
    data_dir = Path(os.environ["SIAGA_DATA_DIR"])
    home = Path(os.environ.get("SIAGA_HOME", "var"))
    with tempfile.TemporaryDirectory(prefix="siaga-scale-") as tmp:
        folder = Path(tmp)
        inputs = build_inputs(data_dir, folder)
        single = single_node(inputs, home, data_dir, folder)
        setup = JobSetup(str(home.resolve()), str(data_dir.resolve()), load_rules(), None,
                         datetime.now(UTC))
        runs = {n: on_cluster(n, inputs, setup, folder) for n in (1, 2)}
        signals = runs[2]["report"].signals
        rates = {n: signals / run["seconds"] for n, run in runs.items()}
        # The detection stage alone (parse excluded): what a longer history converges to, as
        # the fixed costs of the short stages (clusters, aggregates, the write) are spread out.
        stage = {n: signals / run["report"].seconds["detect"] for n, run in runs.items()}
        single_rate = signals / single["classify_seconds"]
        diffs = differences(single, runs[2]) + differences(single, runs[1])
        print(json.dumps({
            "engine": "spark",
            "master": "standalone (spark://127.0.0.1), workers of 1 core, 768 MiB executors",
            "signals": signals,
            "rows_read": runs[2]["report"].read,
            "clusters": runs[2]["report"].clusters,
            "alerts": len(runs[2]["report"].alerts),
            "identical_to_single_node": not diffs,
            "differences": diffs[:20],
            "single_node_signals_per_s": round(single_rate, 1),
            "single_node_detect_run_signals_per_s": round(signals / single["run_seconds"], 1),
            "workers": {str(n): {"signals_per_s": round(rates[n], 1),
                                 "seconds": round(runs[n]["seconds"], 2),
                                 "detect_stage_signals_per_s": round(stage[n], 1),
                                 "steps_seconds": runs[n]["report"].seconds} for n in (1, 2)},
            "speedup_2_vs_1": round(rates[2] / rates[1], 3),
            "overhead_vs_single_node": round(single_rate / rates[1], 3),
            "detect_stage_speedup_2_vs_1": round(stage[2] / stage[1], 3),
            "detect_stage_overhead_vs_single_node": round(single_rate / stage[1], 3),
            "parquet_bytes_per_signal": round(runs[2]["parquet_bytes"] / signals, 1),
            "sqlite_store_bytes_per_signal": round(single["store_bytes"] / signals, 1),
            "cpus": os.cpu_count(),
            "load_average_at_end": os.getloadavg()[0],
        }, indent=2))


if __name__ == "__main__":
    main()
