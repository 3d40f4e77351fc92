"""`siaga cluster backfill|stream`: the detection core on an Apache Spark cluster (docs/scale.md).

Needs the optional extra (`pip install siaga[cluster]`); Spark is imported inside the commands.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from siaga.cli import common
from siaga.cli.common import err, fail, out, print_json, settings_of, siaga_of
from siaga.detect.alerts import AlertRulesError, load_rules

cluster_app = typer.Typer(help="National scale: detection on an Apache Spark cluster.",
                          no_args_is_help=True)
common.app.add_typer(cluster_app, name="cluster")

MASTER_HELP = "Spark master: spark://host:7077, yarn, k8s://https://…, local[4] (default local[*])."
CONF_HELP = "A Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=2g."


def _setup(ctx: typer.Context, scope: str | None) -> Any:
    """Return the job's setup after making sure the model cache exists (trained if missing)."""
    from siaga.cluster.executor import JobSetup
    from siaga.console import BarProgress
    settings = settings_of(ctx)
    try:
        rules = load_rules(settings.alert_rules)
    except AlertRulesError as exc:
        fail(str(exc))
    data_dir = settings.require_data_dir()
    with BarProgress() as progress:  # the executors read the cache this fills
        siaga_of(ctx).detect.pipeline(rules, progress=progress, scope=scope)
    return JobSetup(str(settings.home.resolve()), str(data_dir.resolve()), rules, scope,
                    datetime.now(UTC))


def _conf(values: list[str] | None) -> dict[str, str]:
    conf = {}
    for value in values or []:
        key, sep, setting = value.partition("=")
        if not sep or not key.strip():
            fail(f"--conf {value!r}: expected KEY=VALUE")
        conf[key.strip()] = setting.strip()
    return conf


def _session(master: str | None, conf: list[str] | None, app: str) -> Any:
    try:
        from siaga.cluster.session import spark_session
    except ImportError:
        fail("Spark is not installed: pip install 'siaga[cluster]'")
    return spark_session(master, app, _conf(conf))


@cluster_app.command("backfill")
def backfill(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--input", help="File or directory (or hdfs://, s3a://).")],
    target: Annotated[str, typer.Option("--out", help="Output directory (Parquet, problems).")],
    master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
    load: Annotated[
        str | None, typer.Option(help="Store URL to load into (postgresql+psycopg://…).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, jsonl, csv or parquet.")] = "auto",
    scope: Annotated[str | None, typer.Option(help="Region codes to favour in extraction.")] = None,
    partitions: Annotated[
        int | None, typer.Option(min=1, help="Detection partitions (default 2 per core).")
    ] = None,
    conf: Annotated[list[str] | None, typer.Option(help=CONF_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Detect over a whole history on Spark: Parquet by province and day, alerts, optional load."""
    from siaga.cluster.backfill import BackfillError, run_backfill

    setup = _setup(ctx, scope)
    spark = _session(master, conf, "siaga-backfill")
    try:
        report = run_backfill(spark, source, target, setup, fmt=fmt, load=load,
                              partitions=partitions)
    except BackfillError as exc:
        fail(str(exc))
    finally:
        spark.stop()
    for problem in report.problems[:50]:
        err.print(problem, highlight=False, markup=False)
    if as_json:
        print_json(report.__dict__)
        return
    out.print(
        f"Dibaca / read: {report.read:,}; sinyal / signals: {report.signals:,}; "
        f"ulangan / repeats: {report.repeats:,}; ditolak / rejected: {report.problem_count:,}; "
        f"klaster / clusters: {report.clusters:,}; peringatan / alerts: {len(report.alerts)}"
        + (f"; dimuat / loaded: {report.loaded:,}" if report.loaded is not None else ""),
        highlight=False, markup=False)


@cluster_app.command("stream")
def stream(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--input", help="Directory of arriving files, or a "
                                                        "Kafka topic with --kafka.")],
    checkpoint: Annotated[str, typer.Option(help="Checkpoint directory (the stream's memory).")],
    target: Annotated[str | None, typer.Option("--out", help="Output directory (default: "
                                                             "beside the checkpoint).")] = None,
    master: Annotated[str | None, typer.Option(help=MASTER_HELP)] = None,
    load: Annotated[str | None, typer.Option(help="Store URL to load into.")] = None,
    kafka: Annotated[
        list[str] | None,
        typer.Option(help="A Kafka source option KEY=VALUE (repeatable), e.g. "
                          "kafka.bootstrap.servers=broker:9092; reads the topic --input."),
    ] = None,
    watermark: Annotated[str, typer.Option(help="How late a fact may come (Spark interval).")] = (
        "2 days"),
    trigger_seconds: Annotated[int, typer.Option(min=1, help="Seconds between batches.")] = 10,
    available_now: Annotated[
        bool, typer.Option(help="Process the files already there, then stop.")] = False,
    scope: Annotated[str | None, typer.Option(help="Region codes to favour in extraction.")] = None,
    conf: Annotated[list[str] | None, typer.Option(help=CONF_HELP)] = None,
) -> None:
    """Detect on a live stream of files (or Kafka) with Structured Streaming; alerts as it goes."""
    from siaga.cluster.stream import StreamSettings, run_stream

    setup = _setup(ctx, scope)
    settings = StreamSettings(
        source=source, checkpoint=checkpoint,
        out=target or f"{checkpoint.rstrip('/')}-out", load=load, kafka=_conf(kafka),
        watermark=watermark, trigger_seconds=trigger_seconds, available_now=available_now)
    spark = _session(master, conf, "siaga-stream")
    try:
        run_stream(spark, settings, setup)
    finally:
        spark.stop()
    print_json({"out": settings.out, "checkpoint": checkpoint})
