"""The IndoBERTweet HS1 benchmark: train on each fold's train part, choose on dev, score test.

As in the IndoBERTweet script, the figure is the F1 of the positive class on the test part,
averaged over the five folds. The model choice made on dev is the decision threshold.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from siaga.detect.toxicity.datasets import Fold, read_abusive_words, read_fold
from siaga.detect.toxicity.labels import ABUSIVE, BENCHMARKS, FOLDS, HATE, LABEL_NAMES
from siaga.detect.toxicity.leakage import without_twins
from siaga.detect.toxicity.model import ModelConfig, ToxicityModel, train_model

__all__ = ["BENCHMARKS", "best_threshold", "evaluate_benchmark", "evaluate_fold", "positive_f1"]
SPEED_ROUNDS = 3


def best_threshold(truth: npt.NDArray[np.int8], scores: npt.NDArray[np.float64]) -> float:
    """Return the score threshold that maximises F1 of the positive class on (truth, scores)."""
    candidates = np.unique(np.quantile(scores, np.linspace(0.15, 0.85, 141)))
    f1s = [f1_score(truth, scores >= c) for c in candidates]
    return float(candidates[int(np.argmax(f1s))])


def positive_f1(truth: npt.NDArray[np.int8], scores: npt.NDArray[np.float64], cut: float) -> float:
    """Return F1 of the positive class when scores at or above `cut` are predicted positive."""
    return float(f1_score(truth, scores >= cut))


def docs_per_second(model: ToxicityModel, texts: Sequence[str]) -> float:
    """Return texts per second of batch prediction on one core (best of a few rounds)."""
    best = float("inf")
    with threadpool_limits(limits=1):
        for _ in range(SPEED_ROUNDS):
            start = time.perf_counter()
            model.predict_proba(texts)
            best = min(best, time.perf_counter() - start)
    return len(texts) / best


def evaluate_fold(
    fold: Fold, config: ModelConfig, abusive_words: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], ToxicityModel]:
    """Return the figures of one fold (F1 on test for hate and abusive) and its model.

    `f1_hate_without_twins` scores only the test texts with no near duplicate in train or dev.
    """
    start = time.perf_counter()
    with threadpool_limits(limits=1):
        model = train_model(fold.train, config, abusive_words=abusive_words)
    seconds = time.perf_counter() - start
    dev, test = model.predict_proba(fold.dev.texts), model.predict_proba(fold.test.texts)
    result: dict[str, Any] = {"fold": fold.number, "train_seconds": round(seconds, 2)}
    for name, key in ((HATE, "hate"), (ABUSIVE, "abusive")):
        index = LABEL_NAMES.index(name)
        cut = best_threshold(fold.dev.column(index), dev[:, index])
        model.thresholds[name] = cut
        result[f"f1_{key}_dev"] = round(positive_f1(fold.dev.column(index), dev[:, index], cut), 4)
        result[f"f1_{key}"] = round(positive_f1(fold.test.column(index), test[:, index], cut), 4)
        result[f"threshold_{key}"] = round(cut, 4)
    fresh, hate = without_twins(fold), LABEL_NAMES.index(HATE)
    fresh_f1 = positive_f1(fold.test.column(hate)[fresh], test[fresh, hate], model.threshold(HATE))
    result["f1_hate_without_twins"] = round(fresh_f1, 4)
    return result, model


def with_pooled(fold: Fold, data_dir: Path, config: ModelConfig) -> Fold:
    """Return the fold with the configured other corpora added to its train part.

    Their texts that duplicate a dev or test text of the fold are left out (the Ibrohim 2018
    tweets, for one, reappear in the 2019 corpus).
    """
    if not config.pooled:
        return fold
    from siaga.detect.toxicity.pooled import concat, read_pooled, without

    extra = without(read_pooled(data_dir, config.pooled), fold.dev.texts + fold.test.texts)
    return Fold(fold.number, concat((fold.train, extra), fold.train.source), fold.dev, fold.test)


def _fold_job(data_dir: Path, number: int, config: ModelConfig) -> tuple[dict[str, Any], float]:
    fold = with_pooled(read_fold(data_dir, number), data_dir, config)
    result, model = evaluate_fold(fold, config, read_abusive_words(data_dir))
    speed = docs_per_second(model, fold.test.texts) if number == 0 else 0.0
    return result, speed


def evaluate_benchmark(
    data_dir: Path, folds: int = FOLDS, config: ModelConfig | None = None, jobs: int = 1
) -> dict[str, Any]:
    """Return the benchmark figures: per-fold dicts, mean F1s, docs/s and train seconds.

    Folds run in `jobs` processes; speed is measured on fold 0's model and test texts.
    """
    config = config or ModelConfig()
    runs = Parallel(n_jobs=jobs)(delayed(_fold_job)(data_dir, n, config) for n in range(folds))
    results = [r for r, _ in runs]
    return {
        "folds": results,
        "f1_hate_mean": round(float(np.mean([r["f1_hate"] for r in results])), 4),
        "f1_abusive_mean": round(float(np.mean([r["f1_abusive"] for r in results])), 4),
        "docs_per_second": round(runs[0][1], 1),
        "train_seconds": round(float(np.mean([r["train_seconds"] for r in results])), 2),
    }
