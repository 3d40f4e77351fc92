"""Backfill: run the detection core over a whole history on a Spark cluster.

read (JSON Lines, CSV, Parquet) -> parse per file -> drop repeats -> detect per partition
(mapInPandas, the single node's pipeline) -> clusters across partitions -> Parquet by province
and day -> aggregates per regency x category x day -> the single node's alert rules -> load.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from siaga.cluster import executor as ex
from siaga.cluster.components import cluster_ids
from siaga.detect.alerts import METHOD, AlertRules, rises

FORMATS = ("auto", "jsonl", "csv", "parquet")
PROBLEMS_KEPT = 1000  # problems returned to the caller; all of them are written to the output


class BackfillError(ValueError):
    """A backfill that cannot start: missing input, unknown format."""


@dataclass
class BackfillReport:
    """What a backfill did: rows read, signals detected, problems, clusters, alerts, loaded."""

    out: str
    read: int = 0
    signals: int = 0
    repeats: int = 0
    problem_count: int = 0
    problems: list[str] = field(default_factory=list)
    clusters: int = 0
    alerts: list[dict[str, Any]] = field(default_factory=list)
    loaded: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step `name` (Spark is lazy: a step ends with an action)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 3)


def input_format(path: str, given: str = "auto") -> str:
    """Return jsonl, csv or parquet: the given format, else read from the (local) path."""
    if given != "auto":
        if given not in FORMATS:
            raise BackfillError(f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given
    local = Path(path)
    names = ([p.name for p in local.rglob("*") if p.is_file()] if local.is_dir()
             else [local.name])
    if any(n.endswith(".parquet") for n in names):
        return "parquet"
    if names and all(n.lower().endswith(".csv") for n in names):
        return "csv"
    return "jsonl"


def read_signals(spark: Any, path: str, fmt: str, setup: ex.JobSetup) -> Any:
    """Return signal rows (problem rows among them) of every file under `path`."""
    from pyspark.sql import functions as F

    if fmt == "parquet":
        raw = spark.read.parquet(path).select(
            "*", F.col("_metadata.file_path").alias("_file"),
            F.col("_metadata.row_index").alias("_row"))
        ranks = _ranks([r[0] for r in raw.select("_file").distinct().collect()])
        return raw.mapInPandas(functools.partial(ex.parse_records, ranks, setup.received_at),
                               ex.SIGNAL_SCHEMA)
    files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path)
             .select("path", "content"))
    ranks = _ranks([r[0] for r in files.select("path").collect()])
    # One file per task (its line numbers are exact); the rows are spread out after parsing.
    files = files.repartition(max(1, min(len(ranks), spark.sparkContext.defaultParallelism * 4)))
    return files.mapInPandas(functools.partial(ex.parse_files, ranks, setup.received_at),
                             ex.SIGNAL_SCHEMA)


def _ranks(paths: list[str]) -> dict[str, int]:
    if not paths:
        raise BackfillError("no input files found")
    return {p: i for i, p in enumerate(sorted(paths))}


def first_occurrences(signals: Any) -> Any:
    """Return the good rows, each content (and each source id) once: its first occurrence,
    as the single node's store keeps it."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    good = signals.where(F.col("problem").isNull()).drop("problem")
    for keys in (["content_hash"], ["source_kind", "source_id"]):
        first = Window.partitionBy(*keys).orderBy("ord")
        good = (good.withColumn("_n", F.row_number().over(first)).where(F.col("_n") == 1)
                .drop("_n"))
    return good


def detect(spark: Any, signals: Any, setup: ex.JobSetup, partitions: int) -> Any:
    """Return detection rows: the pipeline over each partition, in Arrow batches."""
    spread = signals.repartition(partitions, "content_hash").sortWithinPartitions("ord")
    return spread.mapInPandas(functools.partial(ex.detect_rows, setup), ex.DETECTION_SCHEMA)


def fact_counts(detections: Any) -> list[tuple[str, str, date, int, float]]:
    """Return (region, category, day, signals, top severity) per regency x category x day."""
    from pyspark.sql import functions as F

    fact = F.explode(F.from_json("facts", "array<array<string>>")).alias("f")
    rows = (detections.select(fact)
            .select(F.col("f")[0].alias("region"), F.col("f")[1].alias("category"),
                    F.col("f")[2].alias("day"), F.col("f")[3].cast("double").alias("severity"))
            .groupBy("region", "category", "day")
            .agg(F.count("*").alias("n"), F.max("severity").alias("top")).collect())
    return [(r.region, r.category, date.fromisoformat(r.day), int(r.n), float(r.top))
            for r in rows]


def alerts_of(counts: list[tuple[str, str, date, int, float]],
              rules: AlertRules) -> list[dict[str, Any]]:
    """Return the alerts the single node's rules open on these aggregates (every window)."""
    if not counts:
        return []
    daily: dict[tuple[str, str], dict[date, int]] = {}
    top: dict[tuple[tuple[str, str], date], float] = {}
    for region, category, day, n, severity in counts:
        daily.setdefault((region, category), {})[day] = n
        window = ((region, category), rules.window_of(day))
        top[window] = max(top.get(window, 0.0), severity)
    touched = set(top)
    first = min(day for _, _, day, _, _ in counts)
    return [
        {"region_code": r.key[0], "category": r.key[1], "window_start": r.window.isoformat(),
         "window_days": rules.window_days, "observed": r.verdict.observed,
         "expected": r.verdict.expected, "p_value": r.verdict.p_value, "method": METHOD,
         "max_severity": top[(r.key, r.window)]}
        for r in rises(daily, touched, first, rules)
    ]


def write_json(path: Path, value: Any) -> None:
    """Write JSON atomically (a temporary file renamed over the target)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(json.dumps(value, ensure_ascii=False, indent=1, default=str), "utf-8")
    os.replace(partial, path)


def run_backfill(spark: Any, source: str, out: str, setup: ex.JobSetup, *, fmt: str = "auto",
                 load: str | None = None, partitions: int | None = None) -> BackfillReport:
    """Run the backfill of `source` into `out`; load into the store at `load` when given."""
    from pyspark.sql import functions as F

    if not source.count("://") and not Path(source).exists():
        raise BackfillError(f"{source}: no such file or directory")
    report = BackfillReport(out=out)
    parts = partitions or max(2, spark.sparkContext.defaultParallelism * 2)
    work = f"{out.rstrip('/')}/_work"
    # Reliable checkpoints (files), not executor memory: a lost executor loses no result.
    spark.sparkContext.setCheckpointDir(f"{work}/checkpoints")
    with report.step("read"):
        signals = read_signals(spark, source, input_format(source, fmt), setup).checkpoint()
        problems = signals.where(F.col("problem").isNotNull()).orderBy("ord")
        report.read = signals.count()
        report.problem_count = problems.count()
        report.problems = [r.problem for r in problems.select("problem")
                           .limit(PROBLEMS_KEPT).collect()]
    staged = f"{work}/staged"
    with report.step("detect"):
        found = detect(spark, first_occurrences(signals), setup, parts)
        found.write.mode("overwrite").parquet(staged)
        detections = spark.read.parquet(staged)
        report.signals = detections.count()
    report.repeats = report.read - report.problem_count - report.signals
    with report.step("clusters"):
        ids = cluster_ids(detections).checkpoint()
        final = detections.join(ids, "ord")
        report.clusters = ids.select("cluster_id").distinct().count()
    with report.step("alerts"):
        report.alerts = alerts_of(fact_counts(final), setup.rules)
    with report.step("write"):
        (final.drop("keys").repartition("province", "day").write.mode("overwrite")
         .partitionBy("province", "day").parquet(f"{out.rstrip('/')}/detections"))
    if load:
        from siaga.cluster.load import load_detections

        with report.step("load"):
            report.loaded = load_detections(final, load, setup)
    _finish(out, report, problems)
    return report


def _finish(out: str, report: BackfillReport, problems: Any) -> None:
    """Write every problem and the summary beside the Parquet output; drop the staging."""
    base = out.rstrip("/")
    problems.select("file", "line", "problem").write.mode("overwrite").json(f"{base}/problems")
    if "://" not in base:
        write_json(Path(base) / "summary.json", report.__dict__)
        shutil.rmtree(Path(base) / "_work", ignore_errors=True)
