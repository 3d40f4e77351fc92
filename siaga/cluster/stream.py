"""The live stream on Spark Structured Streaming: files (or Kafka records) as they arrive.

Two queries share one checkpoint directory:

- `detect`: each micro-batch of new files (or Kafka records) goes through the backfill's
  stages (parse, repeats dropped, the pipeline, clusters within the batch) in `foreachBatch`;
  the batch's Parquet lands under `OUT/batches/batch_id=N` by one rename, and a batch id already
  there is skipped, so a batch Spark redoes after a failure writes nothing twice. With a store,
  the batch is loaded as the backfill loads (a stored signal is never added again).
- `counts`: the detections written so far, read back as a stream, counted per regency x
  category x day with a watermark (late facts past it are dropped); each update replaces the
  counts it names in `OUT/counts.json` and the single node's alert rules judge the windows it
  touched, written to `OUT/alerts.json`.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from siaga.cluster import executor as ex
from siaga.cluster.backfill import alerts_of, detect, first_occurrences, write_json
from siaga.cluster.components import cluster_ids

FILES_PER_BATCH = 1000
BINARY_FILE_SCHEMA = "path string, modificationTime timestamp, length long, content binary"
BATCH_BITS = 12  # a micro-batch's files are ranked batch_id << 12 | position (< 4096 files)


@dataclass(frozen=True)
class StreamSettings:
    """Where the stream reads and writes, and how it triggers."""

    source: str  # a directory (file source) or a Kafka topic
    checkpoint: str
    out: str
    load: str | None = None
    kafka: Mapping[str, str] = field(default_factory=dict)  # kafka.bootstrap.servers, ...
    watermark: str = "2 days"
    trigger_seconds: int = 10
    available_now: bool = False  # process what is there, then stop (tests, cron)
    partitions: int = 2


def _batch_files(spark: Any, batch: Any, batch_id: int) -> tuple[Any, dict[str, int]]:
    """Return the batch as (path, content) rows and the rank of each of its files."""
    paths = sorted(r[0] for r in batch.select("path").collect())
    if len(paths) >= 1 << BATCH_BITS:
        raise ValueError(f"micro-batch {batch_id} has {len(paths)} files; lower the per-batch cap")
    return batch, {p: (batch_id << BATCH_BITS) | i for i, p in enumerate(paths)}


def _kafka_as_files(batch: Any) -> Any:
    """Return Kafka records as one-line "files" named topic/partition@offset."""
    from pyspark.sql import functions as F

    name = F.format_string("%s/%d@%d", "topic", "partition", "offset")
    return batch.select(name.alias("path"), F.col("value").alias("content"))


def detect_batch(settings: StreamSettings, setup: ex.JobSetup, batch: Any,
                 batch_id: int) -> None:
    """Process one micro-batch once: skipped when its output is already in place."""
    import functools

    out = Path(settings.out)
    done = out / "batches" / f"batch_id={batch_id}"
    if done.exists():
        return
    spark = batch.sparkSession
    files = _kafka_as_files(batch) if settings.kafka else batch.select("path", "content")
    files, ranks = _batch_files(spark, files, batch_id)
    if not ranks:
        return
    parsed = files.mapInPandas(functools.partial(ex.parse_files, ranks, setup.received_at),
                               ex.SIGNAL_SCHEMA).checkpoint()
    _write_problems(parsed, out / "problems" / f"batch_id={batch_id}.json")
    detections = detect(spark, first_occurrences(parsed), setup, settings.partitions)
    incoming = out / "_incoming" / f"batch_id={batch_id}"
    detections.write.mode("overwrite").parquet(str(incoming))
    staged = spark.read.parquet(str(incoming))
    final = staged.join(cluster_ids(staged), "ord")
    if settings.load:
        from siaga.cluster.load import load_detections

        load_detections(final, settings.load, setup)
    written = out / "_incoming" / f"final_{batch_id}"
    final.drop("keys").write.mode("overwrite").parquet(str(written))
    done.parent.mkdir(parents=True, exist_ok=True)
    os.replace(written, done)  # the batch appears whole, or not at all
    shutil.rmtree(incoming, ignore_errors=True)


def _write_problems(parsed: Any, path: Path) -> None:
    from pyspark.sql import functions as F

    rows = parsed.where(F.col("problem").isNotNull()).orderBy("ord").select("problem").collect()
    write_json(path, [r.problem for r in rows])


def count_batch(settings: StreamSettings, setup: ex.JobSetup, batch: Any, batch_id: int) -> None:
    """Replace the counts this update names, then judge the windows they touch."""
    out = Path(settings.out)
    counts_path = out / "counts.json"
    state = json.loads(counts_path.read_text("utf-8")) if counts_path.exists() else {}
    from pyspark.sql import functions as F

    touched = set()
    for row in batch.select(F.date_format("window.start", "yyyy-MM-dd").alias("day"), "region",
                            "category", "n", "top").collect():
        key = f"{row.region}|{row.category}"
        state.setdefault(key, {})[row.day] = [int(row.n), float(row.top)]
        touched.add((row.region, row.category))
    write_json(counts_path, state)
    rows = [(k.split("|")[0], k.split("|")[1], date.fromisoformat(d), v[0], v[1])
            for k, days in state.items() for d, v in days.items()]
    found = {(a["region_code"], a["category"], a["window_start"]): a
             for a in alerts_of(rows, setup.rules)}
    alerts_path = out / "alerts.json"
    known = json.loads(alerts_path.read_text("utf-8")) if alerts_path.exists() else []
    merged = {(a["region_code"], a["category"], a["window_start"]): a for a in known}
    merged.update({k: a for k, a in found.items() if (k[0], k[1]) in touched})
    write_json(alerts_path, sorted(merged.values(), key=lambda a: (
        a["window_start"], a["region_code"], a["category"])))


def _source(spark: Any, settings: StreamSettings) -> Any:
    if settings.kafka:
        reader = spark.readStream.format("kafka").option("subscribe", settings.source)
        for key, value in settings.kafka.items():
            reader = reader.option(key, value)
        return reader.load()
    return (spark.readStream.format("binaryFile").schema(BINARY_FILE_SCHEMA)
            .option("maxFilesPerTrigger", FILES_PER_BATCH).load(settings.source))


def _trigger(writer: Any, settings: StreamSettings) -> Any:
    if settings.available_now:
        return writer.trigger(availableNow=True)
    return writer.trigger(processingTime=f"{settings.trigger_seconds} seconds")


def _counts(spark: Any, settings: StreamSettings) -> Any:
    """Return the streaming count per regency x category x day (with the watermark)."""
    from pyspark.sql import functions as F

    schema = ex.DETECTION_SCHEMA.replace(", keys array<long>", "") + ", opener long, " \
        "cluster_id long"
    facts = (spark.readStream.schema(schema).option("recursiveFileLookup", "true")
             .parquet(str(Path(settings.out) / "batches"))
             .select(F.explode(F.from_json("facts", "array<array<string>>")).alias("f"))
             .select(F.col("f")[0].alias("region"), F.col("f")[1].alias("category"),
                     F.to_timestamp(F.col("f")[2]).alias("day"),
                     F.col("f")[3].cast("double").alias("severity")))
    return (facts.withWatermark("day", settings.watermark)
            .groupBy(F.window("day", "1 day"), "region", "category")
            .agg(F.count("*").alias("n"), F.max("severity").alias("top")))


def run_stream(spark: Any, settings: StreamSettings, setup: ex.JobSetup) -> None:
    """Run both queries until stopped (or, with available_now, until the input is used up)."""
    import functools

    checkpoint = settings.checkpoint.rstrip("/")
    (Path(settings.out) / "batches").mkdir(parents=True, exist_ok=True)
    spark.sparkContext.setCheckpointDir(f"{checkpoint}/work")
    detecting = _trigger(_source(spark, settings).writeStream
                         .foreachBatch(functools.partial(detect_batch, settings, setup))
                         .option("checkpointLocation", f"{checkpoint}/detect"), settings)
    first = detecting.start()
    if settings.available_now:
        first.awaitTermination()
    counting = _trigger(_counts(spark, settings).writeStream.outputMode("update")
                        .foreachBatch(functools.partial(count_batch, settings, setup))
                        .option("checkpointLocation", f"{checkpoint}/counts"), settings)
    second = counting.start()
    if settings.available_now:
        second.awaitTermination()
        return
    spark.streams.awaitAnyTermination()
