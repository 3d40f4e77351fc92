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

from siaga.detect.categories.sentences import evidence_text
from siaga.detect.cluster import Clusterer
from siaga.detect.normalise import Normaliser
from siaga.detect.severity import NOT_FOUND_WEIGHT, SeverityScorer
from siaga.detect.toxicity.normalise import normalise_tweet
from siaga.domain.regions import level_of
from siaga.domain.signals import DEMO_MARK, Detection, Signal

TOXICITY_KEYS = ("hate_speech", "abusive")

FIELD_REPORT_SCORE = 0.9  # a reporter's own category code counts as a strong label


class CategoryReading(Protocol):
    """What the category model read in a batch (siaga.detect.categories.model.Reading)."""

    @property
    def proba(self) -> npt.NDArray[np.float64]:
        """The (n, categories) scores."""
        ...

    @property
    def labels(self) -> list[list[str]]:
        """The categories judged present, per text."""
        ...

    @property
    def evidence(self) -> list[dict[str, str]]:
        """Per text: label -> the sentence that carried it."""
        ...

    @property
    def not_found(self) -> list[list[str]]:
        """Per text: labels whose evidence says the risk was looked for and not found."""
        ...


class CategoryScorer(Protocol):
    """The category model's contract (siaga.detect.categories.model.CategoryModel)."""

    def predict_proba(self, texts: Sequence[str],
                      clean: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
        """Return an (n, categories) matrix of scores in 0..1 (`clean`: texts through
        normalise_tweet, when the caller has them)."""
        ...

    def labels(self, proba: npt.NDArray[np.float64]) -> list[list[str]]:
        """Return the categories judged present, per row."""
        ...

    def read(self, texts: Sequence[str],
             clean: Sequence[str] | None = None) -> CategoryReading:
        """Return scores, labels, per-label evidence sentences and not-found labels."""
        ...


class ToxicityScorer(Protocol):
    """The toxicity model's contract (siaga.detect.toxicity.model.ToxicityModel)."""

    def predict_proba(self, texts: Sequence[str],
                      clean: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
        """Return an (n, labels) matrix of probabilities, columns in LABEL_NAMES order."""
        ...


class EntityExtractor(Protocol):
    """The extractor's contract (siaga.detect.extract.Extractor)."""

    def extract(self, text: str, *, scope: str | None = None,
                reference: date | None = None) -> Any:
        """Return an Extraction (regions, tps, candidates, agencies, roles, dates, to_json)."""
        ...

    def attack(self, extraction: Any, labels: Sequence[str]) -> Any:
        """Return the attack an extracted text tells of given its labels (with `to_json`),
        or None."""
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
        # Both models read the same tweet cleaning: it is done once for the two.
        clean = [normalise_tweet(t) for t in texts]
        started = self._timed("clean_for_models", started)
        with threadpool_limits(limits=1):
            reading = self.categories.read(texts, clean)
            started = self._timed("classify", started)
            tox = np.asarray(self.toxicity.predict_proba(texts, clean), dtype=np.float64)
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
        out = self._detections(signals, normalised, reading, tox, extractions, cluster_ids)
        self._timed("severity", started)
        return out

    def _detections(self, signals: Sequence[Signal], normalised: list[str],
                    reading: CategoryReading, tox: npt.NDArray[np.float64],
                    extractions: list[Any], cluster_ids: list[int]) -> list[Detection]:
        """Return the batch's detections; scores are rounded and weighed as whole arrays."""
        scores = np.round(np.asarray(reading.proba, dtype=np.float64), 4)
        labels = [list(row) for row in reading.labels]
        for i, signal in enumerate(signals):
            reported = signal.meta.get("category")
            if reported in self.category_keys:  # a field report's own code
                j = self.category_keys.index(reported)
                scores[i, j] = max(scores[i, j], FIELD_REPORT_SCORE)
                if reported not in labels[i]:
                    labels[i] = [*labels[i], reported]
        weights = np.asarray(self.severity.category_weights(self.category_keys))
        weighed = scores * weights
        for i, found in enumerate(reading.not_found):
            for key in found:
                weighed[i, self.category_keys.index(key)] *= NOT_FOUND_WEIGHT
        base = weighed.max(axis=1) if scores.shape[1] else np.zeros(len(signals))
        columns = [self.toxicity_labels.index(k) for k in TOXICITY_KEYS]
        toxicity = np.round(tox[:, columns], 4)
        return [
            self._detection(signal, normalised[i], dict(zip(self.category_keys, row,
                                                            strict=True)),
                            labels[i], dict(zip(TOXICITY_KEYS, tox_row, strict=True)),
                            extractions[i], cluster_ids[i], base_score,
                            (reading.evidence[i], reading.not_found[i]))
            for i, (signal, row, tox_row, base_score) in enumerate(zip(
                signals, scores.tolist(), toxicity.tolist(), base.tolist(), strict=True))
        ]

    def _detection(self, signal: Signal, normalised: str, scores: dict[str, float],
                   labels: list[str], toxicity: dict[str, float], extraction: Any,
                   cluster_id: int, base: float,
                   read: tuple[dict[str, str], list[str]]) -> Detection:
        found = extraction.to_json()
        regions = list(found.get("regions", []))
        tps = list(found.get("tps", []))
        village = signal.meta.get("village_code")
        if village and all(r.get("code") != village for r in regions):
            regions.insert(0, {"code": village, "name": signal.meta.get("village_name", village),
                               "level": level_of(village).value, "confidence": 1.0})
        if signal.meta.get("tps_code"):
            tps.insert(0, {"code": signal.meta["tps_code"], "confidence": 1.0})
        severity = self.severity.from_base(
            base, max(toxicity.values(), default=0.0), normalised, tps_named=bool(tps)
        )
        ordered = [k for k in self.category_keys if k in labels]
        attack = self.extractor.attack(extraction, ordered)
        return Detection(
            normalised=normalised, categories=scores, labels=ordered, toxicity=toxicity,
            regions=regions, agencies=list(found.get("agencies", [])),
            candidates=list(found.get("candidates", [])), dates=list(found.get("dates", [])),
            severity=severity, cluster_id=cluster_id, tps=tps,
            roles=list(found.get("roles", [])), model_versions=self.versions,
            evidence={k: read[0].get(k) or evidence_text(_full_text(signal)) for k in ordered},
            not_found=[k for k in ordered if k in read[1]],
            attack=None if attack is None else attack.to_json(),
        )


def _full_text(signal: Signal) -> str:
    # A news item's headline carries as much as its body.
    text = signal.text
    if signal.title and signal.title not in signal.text:
        text = f"{signal.title}. {signal.text}"
    # The demo's tag is no part of what a text says, and the models read its word "demo" as a
    # demonstration: the demo's money-politics reports scored 0.7 for mass mobilisation.
    if text.startswith(DEMO_MARK):
        return text[len(DEMO_MARK):].lstrip()
    return text

