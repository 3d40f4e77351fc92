"""Held-out evaluation of the category model against the lexicon-only rule, in one run."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.corpora import read_corpus
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.labelset import (
    LabelledSet,
    read_project_labels,
    read_real_labels,
)
from siaga.detect.categories.lexicon import load_lexicon
from siaga.detect.categories.model import CategoryConfig, CategoryModel
from siaga.progress import Progress


def scores_of(
    predicted: npt.NDArray[np.bool_], truth: npt.NDArray[np.int8]
) -> dict[str, dict[str, float]]:
    """Return {category: precision, recall, f1, support, predicted} of boolean predictions."""
    out = {}
    for j, name in enumerate(CATEGORIES):
        hits = int(np.sum(predicted[:, j] & (truth[:, j] == 1)))
        said, real = int(predicted[:, j].sum()), int(truth[:, j].sum())
        precision = hits / said if said else 0.0
        recall = hits / real if real else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": real,
            "predicted": said,
        }
    return out


def average_precision(scores: npt.NDArray[np.float64], truth: npt.NDArray[np.int8]) -> float:
    """Return the average precision of a ranking by score (0 when there is no positive)."""
    if truth.sum() == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(truth[order])
    ranks = np.arange(1, len(truth) + 1)
    return float(np.sum((hits / ranks)[truth[order] == 1]) / truth.sum())


def split_labels(data_dir: Path) -> tuple[LabelledSet, LabelledSet]:
    """Return (training part + project texts, held-out real texts) of the labelled set."""
    real = read_real_labels(data_dir)
    held = real.held_out_mask()
    return real.subset(~held).concat(read_project_labels()), real.subset(held)


def _macro(figures: dict[str, dict[str, float]], key: str) -> float:
    values = [f[key] for f in figures.values() if f["support"] > 0]
    return round(float(np.mean(values)), 4) if values else 0.0


def evaluate_model(model: CategoryModel, held_out: LabelledSet) -> dict[str, object]:
    """Return per-category figures of a model and of the lexicon rule on `held_out`."""
    started = time.perf_counter()
    proba = model.predict_proba(held_out.texts)
    seconds = time.perf_counter() - started
    predicted = proba >= model.thresholds
    lexical = model.lexicon.features(held_out.texts)
    model_figures = scores_of(predicted, held_out.flags)
    for j, name in enumerate(CATEGORIES):
        model_figures[name]["average_precision"] = round(
            average_precision(proba[:, j], held_out.flags[:, j]), 4
        )
        model_figures[name]["learned"] = bool(model.learned[j])
    baseline = scores_of(model.lexicon.rule_labels(lexical), held_out.flags)
    return {
        "held_out_texts": len(held_out),
        "model": model_figures,
        "lexicon_only": baseline,
        "macro_f1_model": _macro(model_figures, "f1"),
        "macro_f1_lexicon_only": _macro(baseline, "f1"),
        "held_out_seconds": round(seconds, 3),
    }


def measure_speed(model: CategoryModel, texts: Sequence[str]) -> dict[str, float]:
    """Return texts per second of `predict_proba` on one thread, first from empty token caches
    (cold), then on the same texts again (warm: every token's forms already known).

    Each is given by wall clock and by this process's CPU time: on a machine shared with
    other work the CPU-time rate is the one that says what one core does.
    """
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    model.lexicon.clear_cache()
    rates = {}
    with threadpool_limits(limits=1):
        for name in ("cold", "warm"):
            wall, cpu = time.perf_counter(), time.process_time()
            model.predict_proba(texts)
            rates[name] = round(len(texts) / (time.perf_counter() - wall), 1)
            rates[f"{name}_cpu"] = round(len(texts) / (time.process_time() - cpu), 1)
    return rates


def speed_texts(data_dir: Path) -> list[str]:
    """Return the texts the speed is measured on: every tweet of the Ibrohim (2019) corpus."""
    return list(read_corpus(data_dir, "ibrohim2019"))


def evaluate_categories(
    data_dir: Path, config: CategoryConfig | None = None, progress: Progress | None = None
) -> dict[str, object]:
    """Train on the training part, then return held-out figures (model and lexicon rule)."""
    from siaga.detect.categories.train import train_category_model

    training, held_out = split_labels(data_dir)
    started = time.perf_counter()
    model = train_category_model(training, load_lexicon(), config, progress)
    figures = evaluate_model(model, held_out)
    speed = measure_speed(model, speed_texts(data_dir))
    return {
        "benchmark": "categories",
        "training_texts": len(training),
        "training_positives": dict(zip(CATEGORIES, model.positives, strict=True)),
        "thresholds": dict(zip(CATEGORIES, np.round(model.thresholds, 4).tolist(), strict=True)),
        "train_seconds": round(time.perf_counter() - started, 2),
        **figures,
        "texts_per_second": speed["cold"],
        "texts_per_second_warm": speed["warm"],
        "texts_per_second_cpu": speed["cold_cpu"],
        "texts_per_second_warm_cpu": speed["warm_cpu"],
        "speed_texts": "ibrohim2019 tweets (13,169), one thread",
    }
