"""The detection pipeline: normalise, classify, score toxicity, extract, score severity, cluster.

It works on batches (the models score whole arrays at once) and imports no database code: the
service stores what it returns. Each model sits behind a small protocol, so the pipeline runs
on the trained models in production and on any object with the same methods.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from siaga.detect.cluster import Clusterer
from siaga.detect.normalise import Normaliser
from siaga.detect.severity import SeverityScorer
from siaga.domain.regions import level_of
from siaga.domain.signals import Detection, Signal

TOXICITY_KEYS = ("hate_speech", "abusive")
FIELD_REPORT_SCORE = 0.9  # a reporter's own category code counts as a strong label


class CategoryScorer(Protocol):
    """The category model's contract (siaga.detect.categories.model.CategoryModel)."""

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Return an (n, categories) matrix of scores in 0..1."""
        ...

    def labels(self, proba: npt.NDArray[np.float64]) -> list[list[str]]:
        """Return the categories judged present, per row."""
        ...


class ToxicityScorer(Protocol):
    """The toxicity model's contract (siaga.detect.toxicity.model.ToxicityModel)."""

    def predict_proba(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """Return an (n, labels) matrix of probabilities, columns in LABEL_NAMES order."""
        ...


class EntityExtractor(Protocol):
    """The extractor's contract (siaga.detect.extract.Extractor)."""

    def extract(self, text: str, *, scope: str | None = None,
                reference: date | None = None) -> Any:
        """Return an Extraction (regions, tps, candidates, agencies, roles, dates, to_json)."""
        ...


@dataclasses.dataclass
class DetectionPipeline:
    """Turns batches of signals into detections; `seconds` adds up the time of each stage."""

    normaliser: Normaliser
    categories: CategoryScorer
    category_keys: tuple[str, ...]
    toxicity: ToxicityScorer
    toxicity_labels: tuple[str, ...]
    extractor: EntityExtractor
    clusterer: Clusterer
    severity: SeverityScorer
    versions: dict[str, str] = dataclasses.field(default_factory=dict)
    scope: str | None = None
    seconds: dict[str, float] = dataclasses.field(default_factory=lambda: defaultdict(float))

    def _timed(self, stage: str, started: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - started
        return now

    def run(self, signals: Sequence[Signal], signal_ids: Sequence[int | None]) -> list[Detection]:
        """Return one detection per signal, in order (clusters are updated as a side effect)."""
        if not signals:
            return []
        started = time.perf_counter()
        texts = [_full_text(s) for s in signals]
        normalised = self.normaliser.normalise_many(texts)
        started = self._timed("normalise", started)
        # One core per model: OpenMP threads fighting over a shared machine are far slower.
        with threadpool_limits(limits=1):
            proba = np.asarray(self.categories.predict_proba(texts), dtype=np.float64)
            labels = self.categories.labels(proba)
            started = self._timed("classify", started)
            tox = np.asarray(self.toxicity.predict_proba(texts), dtype=np.float64)
        tox_columns = [self.toxicity_labels.index(k) for k in TOXICITY_KEYS]
        started = self._timed("toxicity", started)
        extractions = [
            self.extractor.extract(t, scope=self.scope, reference=s.moment.date())
            for t, s in zip(texts, signals, strict=True)
        ]
        started = self._timed("extract", started)
        sources = [s.platform or s.source_kind.value for s in signals]
        cluster_ids = self.clusterer.assign(
            normalised, [s.moment for s in signals], sources, signal_ids
        )
        started = self._timed("cluster", started)
        out = []
        for i, signal in enumerate(signals):
            scores = {k: round(float(v), 4) for k, v in zip(self.category_keys, proba[i],
                                                            strict=True)}
            toxicity = {k: round(float(tox[i, c]), 4) for k, c in zip(TOXICITY_KEYS, tox_columns,
                                                                      strict=True)}
            out.append(self._detection(signal, normalised[i], scores, list(labels[i]), toxicity,
                                       extractions[i], cluster_ids[i]))
        self._timed("severity", started)
        return out

    def _detection(self, signal: Signal, normalised: str, scores: dict[str, float],
                   labels: list[str], toxicity: dict[str, float], extraction: Any,
                   cluster_id: int) -> Detection:
        found = extraction.to_json()
        regions = list(found.get("regions", []))
        tps = [_plain(t) for t in getattr(extraction, "tps", [])]
        reported = signal.meta.get("category")
        if reported in scores:  # a field report's own code
            scores[reported] = max(scores[reported], FIELD_REPORT_SCORE)
            if reported not in labels:
                labels.append(reported)
        village = signal.meta.get("village_code")
        if village and all(r.get("code") != village for r in regions):
            regions.insert(0, {"code": village, "name": signal.meta.get("village_name", village),
                               "level": level_of(village).value, "confidence": 1.0})
        if signal.meta.get("tps_code"):
            tps.insert(0, {"code": signal.meta["tps_code"], "confidence": 1.0})
        severity = self.severity.score(
            scores, max(toxicity.values(), default=0.0), normalised, tps_named=bool(tps)
        )
        return Detection(
            normalised=normalised, categories=scores,
            labels=[k for k in self.category_keys if k in labels], toxicity=toxicity,
            regions=regions, agencies=list(found.get("agencies", [])),
            candidates=list(found.get("candidates", [])), dates=list(found.get("dates", [])),
            severity=severity, cluster_id=cluster_id, tps=tps,
            roles=list(getattr(extraction, "roles", [])), model_versions=self.versions,
        )


def _full_text(signal: Signal) -> str:
    # A news item's headline carries as much as its body.
    if signal.title and signal.title not in signal.text:
        return f"{signal.title}. {signal.text}"
    return signal.text


def _plain(value: Any) -> Any:
    # A shallow walk: dataclasses.asdict deep-copies every value, which costs more here.
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
