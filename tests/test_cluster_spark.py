"""The detection core on a real Spark standalone cluster (a master, two one-core workers).

One small stream from the shared corpora (a few hundred posts, a burst of one category in
Merangin, repeated lines, malformed lines) is backfilled once per module and compared with the
single node's `detect classify` and `ingest` + `detect run`. The 20,000-post comparison is in
benchmarks/scale.py.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.scale_stream import START, burst, corpus_texts, posts, write_jsonl
from siaga.detect.alerts import load_rules
from siaga.detect.cluster import Clusterer
from siaga.store import open_store
from tests.conftest import new_store_url
from tests.spark_cluster import executor_pids

BURST_PLACE = "di Kabupaten Merangin"
BURST_DAY = START + timedelta(days=10)
BAD_LINES = ['{"id": "x1", "text": "terpotong', '{"id": "x2", "title": "tanpa teks"}']


def _burst_texts(pipeline: Any, texts: list[str], category: str, count: int) -> list[str]:
    """Return real texts the model files under `category` once Merangin is named."""
    from siaga.domain.signals import Signal, SourceKind

    now = datetime.now(UTC)
    chosen: list[str] = []
    for start in range(0, 6000, 500):
        part = [f"{t} {BURST_PLACE}" for t in texts[start:start + 500]]
        batch = [Signal(SourceKind.CLASSIFY, str(i), str(i), t, now) for i, t in enumerate(part)]
        pipeline.clusterer = Clusterer()
        for text, found in zip(texts[start:start + 500], pipeline.run(batch, [None] * len(batch)),
                               strict=True):
            located = any(r["code"].startswith("15.02") for r in found.regions)
            if category in found.labels and located:
                chosen.append(text)
        if len(chosen) >= count:
            return chosen[:count]
    raise AssertionError(f"fewer than {count} texts labelled {category}")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory, data_dir: Path, pipeline: Any) -> Path:
    """Write the stream: a.jsonl (background, two malformed lines), b.jsonl (a burst, repeats)."""
    folder = tmp_path_factory.mktemp("stream")
    texts = corpus_texts(data_dir)
    background = posts(texts, 260, days=10)
    spike = burst(_burst_texts(pipeline, texts, "money_politics", 6), BURST_PLACE, BURST_DAY)
    a = [*background[:100], BAD_LINES[0], *background[100:], BAD_LINES[1]]
    write_jsonl(folder / "in" / "a.jsonl", a)
    write_jsonl(folder / "in" / "b.jsonl", [*spike, background[3], background[7]])
    return folder / "in"


def _setup(detect_home: Path, data_dir: Path) -> Any:
    from siaga.cluster.executor import JobSetup

    return JobSetup(str(detect_home), str(data_dir), load_rules(), None, datetime.now(UTC))


@pytest.fixture(scope="module")
def backfilled(spark: Any, inputs: Path, detect_home: Path, data_dir: Path,
               tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """Backfill the stream once on the cluster; return the report and the output directory."""
    from siaga.cluster.backfill import run_backfill

    out = tmp_path_factory.mktemp("backfill") / "out"
    return run_backfill(spark, str(inputs), str(out), _setup(detect_home, data_dir)), out


def _lines(inputs: Path) -> list[str]:
    return [line for name in ("a.jsonl", "b.jsonl")
            for line in (inputs / name).read_text("utf-8").splitlines()]


def _parquet_rows(spark: Any, out: Path) -> list[dict[str, Any]]:
    return [r.asDict() for r in spark.read.parquet(str(out / "detections")).collect()]


def _groups(pairs: list[tuple[str, Any]]) -> set[frozenset[str]]:
    members: dict[Any, set[str]] = defaultdict(set)
    for item, cluster in pairs:
        members[cluster].add(item)
    return {frozenset(m) for m in members.values()}


def test_backfill_equals_detect_classify(spark: Any, backfilled: tuple[Any, Path], inputs: Path,
                                        pipeline: Any, tmp_path: Path) -> None:
    from siaga.services.detect import classify_stream

    report, out = backfilled
    store = open_store(f"sqlite:///{tmp_path / 'single.db'}")
    pipeline.clusterer = Clusterer()
    lines = _lines(inputs)
    single = [r.to_dict() for r in classify_stream(store, pipeline, load_rules(), lines)
              if r.error is None]
    store.dispose()
    rows = {r["source_id"]: r for r in _parquet_rows(spark, out)}
    by_id = {r["id"]: r for r in single}
    assert set(rows) == set(by_id) and len(rows) == report.signals == 266
    for ident, mine in rows.items():
        theirs = by_id[ident]
        assert json.loads(mine["labels"]) == theirs["labels"], ident
        for field in ("categories", "toxicity"):
            scores = json.loads(mine[field])
            assert scores.keys() == theirs[field].keys()
            assert all(abs(scores[k] - theirs[field][k]) <= 1e-6 for k in scores), ident
        assert abs(mine["severity"] - theirs["severity"]) <= 1e-6, ident
        for field in ("regions", "candidates", "agencies", "tps", "roles", "dates"):
            assert json.loads(mine[field]) == theirs[field], (ident, field)
    # Same groups of signals, and on a fresh store even the same cluster ids.
    assert _groups([(i, r["cluster_id"]) for i, r in rows.items()]) == \
        _groups([(i, r["cluster_id"]) for i, r in by_id.items()])
    assert {i: r["cluster_id"] for i, r in rows.items()} == \
        {i: r["cluster_id"] for i, r in by_id.items()}
    assert report.clusters < report.signals  # the replays joined their originals


def test_backfill_alerts_equal_detect_run(backfilled: tuple[Any, Path], inputs: Path,
                                          pipeline: Any, detect_home: Path,
                                          tmp_path: Path) -> None:
    from siaga.services.detect import ingest, process_pending
    from siaga.store.alerts import list_alerts

    report, _ = backfilled
    store = open_store(f"sqlite:///{tmp_path / 'run.db'}")
    for name in ("a.jsonl", "b.jsonl"):
        ingest(store, detect_home, str(inputs / name), "jsonl")
    pipeline.clusterer = Clusterer()
    process_pending(store, pipeline, load_rules())
    with store.engine.connect() as conn:
        stored = list_alerts(conn, None, None, 1000)
    store.dispose()
    theirs = sorted((a.region_code, a.category, a.window_start.isoformat(), a.observed,
                     a.expected, round(a.p_value, 12), a.max_severity) for a in stored)
    mine = sorted((a["region_code"], a["category"], a["window_start"], a["observed"],
                   a["expected"], round(a["p_value"], 12), a["max_severity"])
                  for a in report.alerts)
    assert mine == theirs
    assert ("15.02", "money_politics", BURST_DAY.date().isoformat()) in {m[:3] for m in mine}


def test_backfill_reports_bad_lines_and_partitions_output(backfilled: tuple[Any, Path],
                                                          inputs: Path) -> None:
    report, out = backfilled
    a = inputs / "a.jsonl"
    assert report.problem_count == 2
    assert report.problems[0].startswith(f"{a}:101: not valid JSON")
    assert report.problems[1].endswith("262: field 'text' is missing or empty")
    assert report.repeats == 2  # the two lines b.jsonl repeats from a.jsonl
    written = [json.loads(line) for f in (out / "problems").glob("*.json")
               for line in f.read_text().splitlines()]
    assert sorted(p["line"] for p in written) == [101, 262]
    provinces = {p.name for p in (out / "detections").iterdir() if p.is_dir()}
    assert {"province=15", "province=none"} <= provinces
    days = {p.name for p in (out / "detections" / "province=15").iterdir()}
    assert f"day={BURST_DAY.date().isoformat()}" in days
    # Where the time went, step by step, is kept for the operator beside the counts.
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["seconds"]) == {"read", "detect", "clusters", "alerts", "write"}
    assert all(seconds > 0 for seconds in summary["seconds"].values())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_load_is_idempotent(spark: Any, backfilled: tuple[Any, Path], detect_home: Path,
                            data_dir: Path, backend: str, request: pytest.FixtureRequest,
                            tmp_path: Path) -> None:
    from siaga.cluster.load import load_detections
    from siaga.store.alerts import list_alerts

    report, out = backfilled
    url = new_store_url(backend, request, tmp_path)
    setup = _setup(detect_home, data_dir)
    written = spark.read.parquet(str(out / "detections"))
    assert (load_detections(written, url, setup), load_detections(written, url, setup)) == \
        (report.signals, 0)
    store = open_store(url, migrate=False)
    with store.engine.connect() as conn:
        counted = {t: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar()
                   for t in ("signals", "detections", "clusters")}
        alerts = list_alerts(conn, None, None, 1000)
    store.dispose()
    assert counted == {"signals": report.signals, "detections": report.signals,
                       "clusters": report.clusters}
    assert sorted((a.region_code, a.category, a.window_start.isoformat(), a.observed,
                   a.max_severity) for a in alerts) == sorted(
        (a["region_code"], a["category"], a["window_start"], a["observed"], a["max_severity"])
        for a in report.alerts)


def test_killed_executor_work_is_redone(spark: Any, backfilled: tuple[Any, Path], inputs: Path,
                                        detect_home: Path, data_dir: Path,
                                        tmp_path: Path) -> None:
    from siaga.cluster.backfill import run_backfill

    report, out = backfilled
    app = spark.sparkContext.applicationId
    killed: list[int] = []

    def kill_one() -> None:
        tracker = spark.sparkContext.statusTracker()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for stage in tracker.getActiveStageIds():
                info = tracker.getStageInfo(stage)
                if info is not None and info.numActiveTasks > 0 and info.numTasks >= 4:
                    pids = executor_pids(app)
                    if pids:
                        os.kill(pids[0], signal.SIGKILL)
                        killed.append(pids[0])
                        return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one)
    killer.start()
    again = run_backfill(spark, str(inputs), str(tmp_path / "out"),
                         _setup(detect_home, data_dir), partitions=4)
    killer.join()
    assert killed and killed[0] not in executor_pids(app)
    key = ("source_id", "labels", "categories", "severity", "regions", "cluster_id")
    mine = sorted(tuple(r[k] for k in key) for r in _parquet_rows(spark, tmp_path / "out"))
    assert mine == sorted(tuple(r[k] for k in key) for r in _parquet_rows(spark, out))
    assert again.alerts == report.alerts
