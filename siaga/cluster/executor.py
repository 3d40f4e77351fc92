"""What runs inside the executors: reading input per file, the detection pipeline per batch.

Plain functions over pandas frames (Spark hands them Arrow batches through mapInPandas), so
they import no Spark and are pickled by reference: the module, and with it the pipeline cache
below, lives as long as the executor's Python worker. The models are loaded once per worker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from siaga.datafiles.problems import RowProblem
from siaga.detect.alerts import AlertRules, facts_of, region_key
from siaga.detect.cluster import Clusterer
from siaga.detect.pipeline import DetectionPipeline
from siaga.domain.signals import Detection, Signal, SourceKind
from siaga.domain.timezones import zone_of
from siaga.sources.base import ReadResult, SourceError, signal_from_record
from siaga.sources.files import read_csv, read_jsonl

LINE_BITS = 32  # an input row's order key: file rank << 32 | line (or row) number
UNLOCATED = "none"  # the province partition of a signal that names no region


@dataclass(frozen=True)
class JobSetup:
    """What every executor needs to rebuild the pipeline: where the model cache and the
    shared data are (paths every worker can read), the rules, the scope, the receipt time."""

    home: str
    data_dir: str
    rules: AlertRules
    scope: str | None
    received_at: datetime


SIGNAL_COLUMNS = ("ord", "file", "line", "source_kind", "source_id", "content_hash", "text",
                  "title", "url", "author", "platform", "published_at", "received_at", "lang",
                  "origin", "meta", "problem")
SIGNAL_SCHEMA = (
    "ord long, file string, line long, source_kind string, source_id string, "
    "content_hash string, text string, title string, url string, author string, "
    "platform string, published_at string, received_at string, lang string, origin string, "
    "meta string, problem string"
)
# Written as JSON text; the normalised text is written as it is (the clusterer reads it).
DETECTION_FIELDS = ("categories", "labels", "toxicity", "regions", "agencies",
                    "candidates", "dates", "tps", "roles", "model_versions")
DETECTION_SCHEMA = (
    SIGNAL_SCHEMA.replace(", problem string", "")
    + ", normalised string, categories string, labels string, toxicity string, regions string, "
    "agencies string, candidates string, dates string, tps string, roles string, "
    "model_versions string, severity double, moment string, source string, "
    "province string, day string, keys array<long>, facts string"
)

_PIPELINES: dict[tuple[str, str, str, str | None], DetectionPipeline] = {}


class BandRecorder(Clusterer):
    """A clusterer that only records each text's band keys: the cluster stage joins them
    across partitions afterwards. Same hasher and bands as the single node."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[list[int]] = []

    def assign(self, texts: Sequence[str], moments: Sequence[datetime],
               sources: Sequence[str], signal_ids: Sequence[int | None]) -> list[int]:
        """Return 0 per text (no cluster yet), keeping the texts' band keys in `recorded`."""
        keys = self._key_array(self.hasher.signatures(texts))
        # Spark has no unsigned 64-bit type: the same bits, read as signed.
        self.recorded = keys.view(np.int64).tolist()
        return [0] * len(texts)


def pipeline_for(setup: JobSetup) -> DetectionPipeline:
    """Return this worker's pipeline on the cached models, built on first use."""
    from siaga.services.detect import build_pipeline

    key = (setup.home, setup.data_dir, repr(setup.rules), setup.scope)
    if key not in _PIPELINES:
        _PIPELINES[key] = build_pipeline(Path(setup.home), Path(setup.data_dir), setup.rules,
                                         scope=setup.scope)
    found = _PIPELINES[key]
    found.clusterer = BandRecorder()
    return found


# --- reading -------------------------------------------------------------------------------


def _read_file(path: str, content: bytes, received_at: datetime) -> ReadResult:
    """Return the signals and problems of one JSON Lines or CSV file (by its extension)."""
    lower = path.lower()
    try:
        if lower.endswith((".csv", ".csv.txt")):
            return read_csv(content, path, received_at)
        return read_jsonl(content, path, received_at)
    except SourceError as exc:  # a whole file that cannot be read is one problem
        result = ReadResult()
        result.problems.append(RowProblem(path, 1, str(exc)))
        return result


def _signal_row(rank: int, signal: Signal) -> dict[str, Any]:
    """Return the SIGNAL_COLUMNS values of a parsed signal (times as ISO text)."""
    file, _, line = signal.origin.rpartition(":")
    number = int(line)
    return {
        "ord": (rank << LINE_BITS) | number, "file": file, "line": number,
        "source_kind": signal.source_kind.value, "source_id": signal.source_id,
        "content_hash": signal.content_hash, "text": signal.text, "title": signal.title,
        "url": signal.url, "author": signal.author, "platform": signal.platform,
        "published_at": signal.published_at.isoformat() if signal.published_at else None,
        "received_at": signal.received_at.isoformat(), "lang": signal.lang,
        "origin": signal.origin, "meta": signal.meta_json(), "problem": None,
    }


def _problem_row(rank: int, problem: RowProblem) -> dict[str, Any]:
    return {**dict.fromkeys(SIGNAL_COLUMNS), "ord": (rank << LINE_BITS) | problem.line,
            "file": problem.file, "line": problem.line, "problem": str(problem)}


def display_name(path: str) -> str:
    """Return a file's name as reports show it: a local path without Spark's `file:` scheme."""
    return path.removeprefix("file://") if path.startswith("file:///") else \
        path.removeprefix("file:")


def parse_files(ranks: dict[str, int], received_at: datetime,
                frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Yield signal rows (or problem rows) of whole files given as (path, content) rows."""
    for frame in frames:
        rows: list[dict[str, Any]] = []
        for path, content in zip(frame["path"], frame["content"], strict=True):
            rank = ranks[path]
            result = _read_file(display_name(path), bytes(content), received_at)
            rows += [_signal_row(rank, s) for s in result.signals]
            rows += [_problem_row(rank, p) for p in result.problems]
        yield pd.DataFrame(rows, columns=list(SIGNAL_COLUMNS))


def parse_records(ranks: dict[str, int], received_at: datetime,
                  frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Yield signal rows of Parquet records (with `_file` and `_row`, counted from 0)."""
    for frame in frames:
        rows: list[dict[str, Any]] = []
        fields = [c for c in frame.columns if c not in ("_file", "_row")]
        for record in frame.to_dict("records"):
            rank, number = ranks[record["_file"]], int(record["_row"]) + 1
            name = display_name(record["_file"])
            values = {k: record[k] for k in fields if not _missing(record[k])}
            try:
                signal = signal_from_record(values, SourceKind.JSONL, received_at,
                                            f"{name}:{number}")
            except ValueError as exc:
                rows.append(_problem_row(rank, RowProblem(name, number, str(exc))))
                continue
            rows.append(_signal_row(rank, signal))
        yield pd.DataFrame(rows, columns=list(SIGNAL_COLUMNS))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


# --- detection -----------------------------------------------------------------------------


def signal_of(row: dict[str, Any]) -> Signal:
    """Return the Signal of a row of signal columns."""
    published = row.get("published_at")
    return Signal(
        source_kind=SourceKind(row["source_kind"]), source_id=row["source_id"],
        content_hash=row["content_hash"], text=row["text"],
        received_at=datetime.fromisoformat(row["received_at"]), title=row.get("title"),
        url=row.get("url"), author=row.get("author"), platform=row.get("platform"),
        published_at=datetime.fromisoformat(published) if published else None,
        lang=row.get("lang"), origin=row.get("origin") or "",
        meta=json.loads(row["meta"]) if row.get("meta") not in (None, "{}") else {},
    )


def detection_of(row: dict[str, Any]) -> Detection:
    """Return the Detection of a row of detection columns (cluster id included)."""
    loads = {k: json.loads(row[k]) for k in DETECTION_FIELDS}
    return Detection(normalised=row["normalised"], severity=float(row["severity"]),
                     cluster_id=row.get("cluster_id"), **loads)


def home_province(detection: Detection, rules: AlertRules) -> str:
    """Return the province a detection is filed under: that of its first located region."""
    for region in detection.regions:
        code = region.get("code")
        if code and float(region.get("confidence", 0)) >= rules.min_region_confidence:
            return str(region_key(code, rules)).split(".")[0]
    return UNLOCATED


def clean_row(row: Mapping[Any, Any]) -> dict[str, Any]:
    """Return a pandas record with text keys and its missing values as None."""
    return {str(k): None if _missing(v) else v for k, v in row.items()}


def detect_rows(setup: JobSetup, frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Yield one detection row per signal row, through the single node's pipeline."""
    dumps = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":")).encode
    columns = [c.split()[0] for c in DETECTION_SCHEMA.split(", ")]
    for frame in frames:
        if frame.empty:
            continue
        rows = [clean_row(r) for r in frame.drop(columns=["problem"], errors="ignore")
                .to_dict("records")]
        signals = [signal_of(r) for r in rows]
        pipeline = pipeline_for(setup)
        found = pipeline.run(signals, [None] * len(signals))
        keys = pipeline.clusterer.recorded  # type: ignore[attr-defined]
        out = []
        for row, signal, detection, band_keys in zip(rows, signals, found, keys, strict=True):
            province = home_province(detection, setup.rules)
            zone = zone_of(province) if province != UNLOCATED else zone_of("31")
            facts = [[region, category, day.isoformat(), severity] for _, region, category,
                     day, severity in facts_of([0], [signal], [detection], setup.rules)]
            out.append({
                **{k: row.get(k) for k in SIGNAL_COLUMNS if k != "problem"},
                "normalised": detection.normalised,
                **{k: dumps(getattr(detection, k)) for k in DETECTION_FIELDS},
                "severity": detection.severity, "moment": signal.moment.isoformat(),
                "source": signal.platform or signal.source_kind.value, "province": province,
                "day": signal.moment.astimezone(zone).date().isoformat(), "keys": band_keys,
                "facts": dumps(facts),
            })
        yield pd.DataFrame(out, columns=columns)


def cluster_component(frame: pd.DataFrame) -> pd.DataFrame:
    """Return (ord, opener) for the texts of one or more whole connected components.

    The single node's clusterer runs over the texts in stream order: a text can only join a
    cluster through a band key it shares with an earlier text, so a component holds whole
    clusters and no two components share a key; the texts are judged exactly as in one long
    single-node run. `opener` is the order key of the text that opened the text's cluster.
    """
    frame = frame.sort_values("ord")
    moments = [datetime.fromisoformat(m) for m in frame["moment"]]
    ids = Clusterer().assign(list(frame["normalised"]), moments, list(frame["source"]),
                             [None] * len(frame))
    ords = frame["ord"].tolist()
    opener: dict[int, int] = {}
    for cluster, order in zip(ids, ords, strict=True):
        opener.setdefault(cluster, order)
    return pd.DataFrame({"ord": ords, "opener": [opener[c] for c in ids]})
