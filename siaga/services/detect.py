"""Early detection use cases: ingest a source, process pending signals, classify a stream, alerts.

Each joins the core (sources, pipeline, alert rules) to storage. Raw signals are stored first,
in their own transaction, then processed in batches; a failure while processing loses no input
and `siaga detect run` picks up where it stopped.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from siaga.datafiles.problems import RowProblem
from siaga.detect.alerts import (
    METHOD,
    AlertRules,
    facts_of,
    history_start,
    rises,
    window_end,
    windows_of,
)
from siaga.detect.cluster import Clusterer
from siaga.detect.extract.attacks import ATTACK_LABELS, attack_contest
from siaga.detect.pipeline import DetectionPipeline
from siaga.domain.signals import CONTRACT_KEYS, ClassifyResult, Detection, Signal, SourceKind
from siaga.progress import Progress, SilentProgress
from siaga.services.outcome import FileImport
from siaga.sources import registry
from siaga.sources.base import ReadResult, SourceError, signal_from_record
from siaga.sources.feeds import fetch, is_url
from siaga.sources.field_reports import VillageDirectory
from siaga.sources.mapping import ColumnMapping, load_mapping
from siaga.store import Store
from siaga.store import alerts as alert_db
from siaga.store import attacks as attack_db
from siaga.store import signals as db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.tx import Tx, reading, transaction

PIPELINE_VERSION = "1"
BATCH = 1000
CLUSTER_HORIZON = timedelta(days=60)  # clusters quiet for longer are not joined any more
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time in UTC (the default clock)."""
    return datetime.now(UTC)


class DetectError(ValueError):
    """A detection request that cannot be carried out, saying why."""


@dataclass
class AlertReport:
    """What one alert evaluation did."""

    opened: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    closed: int = 0


@dataclass
class ProcessReport:
    """What processing pending signals did."""

    processed: int = 0
    alerts: AlertReport = field(default_factory=AlertReport)


@dataclass
class IngestReport(FileImport):
    """What one ingest did, as every file import says it (services.outcome.FileImport), and
    what only a signal feed has: the input's name, its raw input id, the signals read and the
    replies owed to the senders of SMS reports.

    `stored` counts new signals and `ids` their ids; `skipped` are signals already stored,
    named by the line (or feed item) they were read from; `problems` are records refused;
    `layout` is the source type.
    """

    source: str = ""
    raw_input_id: int = 0
    read: int = 0
    replies: list[tuple[int, str]] = field(default_factory=list)

    @property
    def file_seen_before(self) -> bool:
        """Return whether the same bytes were received before."""
        return self.seen_before

    @property
    def duplicates(self) -> int:
        """Return how many signals read were already stored."""
        return len(self.skipped)


def read_source(content: bytes, name: str, source_type: str, received_at: datetime, *,
                mapping: ColumnMapping | None = None,
                villages: VillageDirectory | None = None) -> ReadResult:
    """Return the signals and problems of one input of a source type (see the registry)."""
    try:
        return registry.read(source_type, content, name, received_at, mapping=mapping,
                             villages=villages)
    except SourceError as exc:
        raise DetectError(str(exc)) from exc


def _content_of(location: str) -> tuple[bytes, str]:
    if is_url(location):
        return fetch(location), location
    path = Path(location)
    try:
        return path.read_bytes(), path.name
    except OSError as exc:
        raise SourceError(f"{location}: {exc.strerror or exc}") from exc


def _line_of(signal: Signal, place: int) -> int:
    """Return the line (or feed item) the signal was read from, as its origin names it
    ("name:12", "name item 3"); its place among the signals read when the origin is silent."""
    tail = signal.origin.replace(" ", ":").rpartition(":")[2]
    return int(tail) if tail.isdigit() else place + 1


def ingest(store: Store, home: Path, location: str, source_type: str, *,
           mapping_path: Path | None = None, villages: VillageDirectory | None = None,
           clock: Clock = utc_now, progress: Progress | None = None) -> IngestReport:
    """Store the input file raw, then its new signals raw; return what was read and stored."""
    try:
        kind = registry.kind_of(source_type)
    except SourceError as exc:
        raise DetectError(str(exc)) from exc
    if mapping_path is not None and not kind.takes_mapping:
        raise DetectError("--mapping applies to jsonl and csv sources only")
    mapping = load_mapping(mapping_path) if mapping_path else None
    content, name = _content_of(location)
    received_at = clock()
    result = read_source(content, name, source_type, received_at, mapping=mapping,
                         villages=villages)
    task = (progress or SilentProgress()).task(
        "Menyimpan sinyal / storing signals", total=len(result.signals))
    with transaction(store) as conn:
        raw = save_raw_input(conn, home, content, name, f"signals:{source_type}")
        outcome = db.InsertOutcome()
        for start in range(0, len(result.signals), 5 * BATCH):
            part = db.insert_signals(conn, result.signals[start:start + 5 * BATCH], raw.id)
            outcome.ids += part.ids
            outcome.skipped += [(start + i, why) for i, why in part.skipped]
            task.advance(len(part.ids))
    task.close()
    return IngestReport(
        sha256=raw.sha256, seen_before=raw.seen_before, stored=outcome.inserted,
        ids=[i for i in outcome.ids if i is not None],
        skipped=[RowProblem(name, _line_of(result.signals[n], n), why)
                 for n, why in outcome.skipped],
        problems=result.problems, layout=source_type, source=name, raw_input_id=raw.id,
        read=len(result.signals), replies=result.replies)


def attach_clusters(conn: Tx, clusterer: Clusterer, now: datetime) -> None:
    """Load the recently active stored clusters into the clusterer (once per clusterer)."""
    if clusterer.loaded:
        return
    clusterer.resume(db.load_clusters(conn, db.bound_time(conn, now - CLUSTER_HORIZON)),
                     db.max_cluster_id(conn) + 1)


def attacks_of(ids: Sequence[int], batch: Sequence[Signal], found: Sequence[Detection],
               rules: AlertRules) -> list[attack_db.AttackRow]:
    """Return the attack rows of the attack signals of a batch (their race, pairs, time)."""
    rows = []
    for sid, signal, detection in zip(ids, batch, found, strict=True):
        attack = detection.attack
        if attack is None:
            continue
        target, source = attack["target_pair"], attack["source_pair"]
        rows.append(attack_db.AttackRow(
            sid, attack_contest(attack, detection.regions, rules.min_region_confidence),
            target and target["number"], source and source["number"],
            bool(attack["between_camps"]), [k for k in detection.labels if k in ATTACK_LABELS],
            signal.moment, detection.severity, attack))
    return rows


def process_batch(conn: Tx, pipeline: DetectionPipeline, rules: AlertRules,
                  ids: Sequence[int], batch: Sequence[Signal], now: datetime,
                  touched: set[tuple[tuple[str, str], date]]) -> list[Detection]:
    """Run the pipeline on stored signals, store detections, clusters and facts; return them.

    The signals must have no detection yet (pending ones, or the unprocessed ones of a
    classify batch): their detections and facts are inserted without deleting older ones.
    """
    attach_clusters(conn, pipeline.clusterer, now)
    found = pipeline.run(batch, ids)
    db.save_clusters(conn, pipeline.clusterer.take_dirty())
    db.save_detections(conn, ids, found, now, replace=False)
    attack_db.save_attacks(conn, attacks_of(ids, batch, found, rules))
    facts = facts_of(ids, batch, found, rules)
    db.save_facts(conn, facts, replace=False)
    windows = windows_of(facts, rules)
    alert_db.queue_windows(conn, windows)
    touched.update(windows)
    return found


@contextmanager
def rare_collections(young: int = 50_000) -> Iterator[None]:
    """Within the block, let the garbage collector wait for `young` new objects, not 700.

    A batch makes some hundred thousand short-lived lists and dicts that reference counting
    frees; collecting every 700 allocations only walks them again (about 8% of the time).
    """
    threshold = gc.get_threshold()
    gc.set_threshold(max(young, threshold[0]), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


def process_pending(store: Store, pipeline: DetectionPipeline, rules: AlertRules, *,
                    clock: Clock = utc_now, progress: Progress | None = None,
                    batch_size: int = BATCH) -> ProcessReport:
    """Process every stored signal without a detection, in batches; then evaluate alerts."""
    progress = progress or SilentProgress()
    report = ProcessReport()
    touched: set[tuple[tuple[str, str], date]] = set()
    with reading(store) as conn:
        total = db.count_pending(conn)
    task = progress.task("Memproses sinyal / processing signals", total=total)
    last = 0
    while True:
        with transaction(store) as conn, rare_collections():
            pending = db.pending_signals(conn, batch_size, last)
            if not pending:
                break
            ids = [p[0] for p in pending]
            process_batch(conn, pipeline, rules, ids, [p[1] for p in pending], clock(), touched)
        last = ids[-1]
        report.processed += len(ids)
        task.advance(len(ids))
    task.close()
    with transaction(store) as conn:
        report.alerts = evaluate_alerts(conn, rules, touched, clock())
    return report


def evaluate_alerts(conn: Tx, rules: AlertRules,
                    touched: Iterable[tuple[tuple[str, str], date]], now: datetime) -> AlertReport:
    """Test each touched or queued region x category x window against its baseline; open or
    update alerts, empty the queue of what was judged; return what changed.

    The queue holds the windows of every batch stored since the last evaluation, so windows a
    killed run touched are judged by the next one.
    """
    report = AlertReport()
    queued = alert_db.queued_windows(conn)
    touched = sorted(set(touched) | queued)
    first = alert_db.first_fact_day(conn)
    if touched and first is not None:
        counts = alert_db.daily_counts(conn, {k for k, _ in touched},
                                       history_start(touched, rules))
        for rise in rises(counts, touched, first, rules):
            key, window, verdict = rise.key, rise.window, rise.verdict
            alert_id, opened = alert_db.save_alert(
                conn, key, window, rules.window_days, verdict.observed, verdict.expected,
                verdict.p_value, METHOD, now)
            alert_db.link_signals(conn, alert_id, key, window, window_end(window, rules))
            (report.opened if opened else report.updated).append(alert_id)
    alert_db.dequeue_windows(conn, queued)
    report.closed = alert_db.close_ended(conn, rules.window_of(now.date()), now)
    return report


# --- the contract: `siaga detect classify` ------------------------------------------------


@dataclass(frozen=True)
class ClassifyInput:
    """One input line: its position, the id to echo, and its signal or what was wrong."""

    line: int
    ident: Any
    signal: Signal | None
    error: str | None = None


def parse_line(line: str, number: int, received_at: datetime) -> ClassifyInput:
    """Return the signal of one JSON line of `detect classify` input, or the error."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return ClassifyInput(number, None, None, f"line {number}: not valid JSON ({exc.msg})")
    if not isinstance(record, dict):
        return ClassifyInput(number, None, None, f"line {number}: expected a JSON object")
    ident = record.get("id", number)
    try:
        # The caller's id is only echoed: two files may reuse ids for different texts, so
        # a classified text is known by its content alone.
        signal = signal_from_record({**record, "id": None}, SourceKind.CLASSIFY, received_at,
                                    f"classify line {number}")
    except ValueError as exc:
        return ClassifyInput(number, ident, None, f"line {number}: {exc}")
    return ClassifyInput(number, ident, signal)


def classify_batch(store: Store, pipeline: DetectionPipeline, rules: AlertRules,
                   items: Sequence[ClassifyInput], now: datetime,
                   touched: set[tuple[tuple[str, str], date]]) -> list[ClassifyResult]:
    """Return the contract object per input (in order), storing new signals and detections."""
    good = [i for i in items if i.signal is not None]
    batch = [i.signal for i in good if i.signal is not None]
    results: dict[int, ClassifyResult] = {}
    if batch:
        with transaction(store) as conn:
            outcome = db.insert_signals(conn, batch)
            ids = db.stored_ids(conn, batch)
            new = {i: s for i, s in zip(outcome.ids, batch, strict=True) if i is not None}
            stored = db.detections_of(conn, sorted(set(ids) - set(new)))
            attacks = attack_db.attacks_of(conn, sorted(stored))
            todo = sorted({i for i in ids if i not in stored})
            # New signals are at hand; only older ones left unprocessed are read back.
            fresh = {**db.signals_by_id(conn, [i for i in todo if i not in new]), **new}
            found = process_batch(conn, pipeline, rules, todo, [fresh[i] for i in todo], now,
                                  touched) if todo else []
            made = dict(zip(todo, found, strict=True))
        for item, sid in zip(good, ids, strict=True):
            detection = made.get(sid)
            results[item.line] = (detection.contract(item.ident) if detection is not None
                                  else _stored_contract(stored[sid], item.ident,
                                                        attacks.get(sid)))
    return [results.get(i.line) or ClassifyResult.failed(i.ident, str(i.error)) for i in items]


def _stored_contract(row: dict[str, Any], ident: Any,
                     attack: dict[str, Any] | None) -> ClassifyResult:
    """Return the contract of a signal classified before, from its stored detection."""
    keys = CONTRACT_KEYS[1:-1]
    return ClassifyResult(ident, **{k: row[k] for k in keys}, attack=attack)


def classify_stream(store: Store, pipeline: DetectionPipeline, rules: AlertRules,
                    lines: Iterable[str], *, clock: Clock = utc_now,
                    batch_size: int = BATCH) -> Iterator[ClassifyResult]:
    """Yield one contract object per non-blank input line, in order; alerts evaluated at the end."""
    touched: set[tuple[tuple[str, str], date]] = set()
    chunk: list[ClassifyInput] = []
    number = 0
    for line in lines:
        number += 1
        if not line.strip():
            continue
        chunk.append(parse_line(line, number, clock()))
        if len(chunk) >= batch_size:
            yield from classify_batch(store, pipeline, rules, chunk, clock(), touched)
            chunk = []
    if chunk:
        yield from classify_batch(store, pipeline, rules, chunk, clock(), touched)
    with transaction(store) as conn:
        evaluate_alerts(conn, rules, touched, clock())


# --- building the pipeline from the trained models ----------------------------------------


def build_pipeline(home: Path, data_dir: Path, rules: AlertRules, *,
                   progress: Progress | None = None, scope: str | None = None) -> DetectionPipeline:
    """Return the pipeline on the cached models (trained from SIAGA_DATA_DIR when missing)."""
    from siaga.detect.categories.cache import ensure_category_model, model_path
    from siaga.detect.categories.labels import CATEGORIES
    from siaga.detect.extract import Extractor
    from siaga.detect.normalise import Normaliser
    from siaga.detect.severity import SeverityScorer
    from siaga.detect.toxicity.cache import ensure_model
    from siaga.detect.toxicity.labels import LABEL_NAMES

    toxicity = ensure_model(home, data_dir, progress=progress)
    categories = ensure_category_model(home, data_dir)
    extractor = Extractor.from_data_dir(data_dir, cache_dir=home / "cache")
    versions = {
        "toxicity": toxicity.path.stem,
        "categories": model_path(home, data_dir).stem,
        "extract": str(getattr(extractor, "version", type(extractor).__name__)),
        "pipeline": PIPELINE_VERSION,
    }
    pipeline = DetectionPipeline(
        normaliser=Normaliser.from_data_dir(data_dir), categories=categories,
        category_keys=tuple(CATEGORIES), toxicity=toxicity.model,
        toxicity_labels=tuple(LABEL_NAMES), extractor=extractor, clusterer=Clusterer(),
        severity=SeverityScorer(rules.severity), versions=versions, scope=scope,
    )
    # The models and gazetteer are some 760,000 objects that live as long as the process;
    # moved out of the collector's sight, full collections stop re-scanning them (about 10%
    # of the extraction time).
    gc.collect()
    gc.freeze()
    return pipeline
