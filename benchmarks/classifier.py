"""Benchmark: the toxicity classifier against a TF-IDF + linear SVM baseline, same folds, same run.

Both are scored as IndoBERTweet scored its models on the HS1 splits: trained on each fold's
train part, chosen on dev (the baseline's C, our decision threshold), F1 of the positive class on
test, averaged over the five folds. Speed is batch prediction of fold 0's test texts on one core
(best of three); train seconds are per fold model on one core. Prints JSON.
Run: `make bench-classifier`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.detect.toxicity.datasets import FOLDS, read_fold
from siaga.detect.toxicity.evaluate import SPEED_ROUNDS, evaluate_benchmark
from siaga.detect.toxicity.labels import LABEL_NAMES
from siaga.detect.toxicity.leakage import leakage_report, without_twins

PUBLISHED = {"IndoBERTweet": 88.8, "IndoBERT (IndoNLU)": 86.8, "mBERT": 85.1}
BASELINE_C = (0.1, 0.3, 1.0)


def _baseline_pipeline(c: float) -> Pipeline:
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    return Pipeline([("features", make_union(words, chars)), ("svm", LinearSVC(C=c))])


def _baseline_label(fold: Any, column: int) -> tuple[float, float, Pipeline]:
    best: tuple[float, float, Pipeline] | None = None
    for c in BASELINE_C:
        start = time.perf_counter()
        model = _baseline_pipeline(c).fit(fold.train.texts, fold.train.column(column))
        seconds = time.perf_counter() - start
        dev = f1_score(fold.dev.column(column), model.predict(fold.dev.texts))
        if best is None or dev > best[0]:
            best = (dev, seconds, model)
    assert best is not None
    return best


def _baseline_fold(data_dir: Path, number: int) -> dict[str, Any]:
    fold = read_fold(data_dir, number)
    result: dict[str, Any] = {"fold": number}
    with threadpool_limits(limits=1):
        for key, name in (("hate", "hate_speech"), ("abusive", "abusive")):
            column = LABEL_NAMES.index(name)
            _, seconds, model = _baseline_label(fold, column)
            predicted = model.predict(fold.test.texts)
            result[f"f1_{key}"] = round(float(f1_score(fold.test.column(column), predicted)), 4)
            if key == "hate":
                fresh = without_twins(fold)
                fresh_f1 = f1_score(fold.test.column(column)[fresh], predicted[fresh])
                result["f1_hate_without_twins"] = round(float(fresh_f1), 4)
            result[f"C_{key}"] = model.named_steps["svm"].C
            if key == "hate":
                result["train_seconds"] = round(seconds, 2)
                result["docs_per_second"] = _speed(model, fold.test.texts)
    return result


def _speed(model: Pipeline, texts: list[str]) -> float:
    best = float("inf")
    for _ in range(SPEED_ROUNDS):
        start = time.perf_counter()
        model.predict(texts)
        best = min(best, time.perf_counter() - start)
    return round(len(texts) / best, 1)


def baseline(data_dir: Path, jobs: int) -> dict[str, Any]:
    """Return the TF-IDF word+char linear SVM figures on all folds."""
    folds = Parallel(n_jobs=jobs)(delayed(_baseline_fold)(data_dir, n) for n in range(FOLDS))
    return {
        "method": "TF-IDF word 1-2 + char_wb 2-5, LinearSVC, C chosen on dev per label",
        "folds": folds,
        "f1_hate_mean": round(float(np.mean([f["f1_hate"] for f in folds])), 4),
        "f1_abusive_mean": round(float(np.mean([f["f1_abusive"] for f in folds])), 4),
        "f1_hate_without_twins_mean": _mean(folds, "f1_hate_without_twins"),
        "docs_per_second": folds[0]["docs_per_second"],
        "train_seconds": round(float(np.mean([f["train_seconds"] for f in folds])), 2),
    }


def _mean(folds: list[dict[str, Any]], key: str) -> float:
    return round(float(np.mean([f[key] for f in folds])), 4)


def main() -> None:
    """Run both models on the five folds and print the figures as JSON."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))
    jobs = int(os.environ.get("BENCH_JOBS", "2"))
    ours = evaluate_benchmark(data_dir, config=None, jobs=jobs)
    ours["f1_hate_without_twins_mean"] = _mean(ours["folds"], "f1_hate_without_twins")
    figures = {
        "benchmark": "indobertweet-hs1 (Ibrohim & Budi 2019, 5 folds)",
        "published_f1_hate": PUBLISHED,
        "baseline": baseline(data_dir, jobs),
        "siaga": ours,
        "leakage": leakage_report(data_dir),
        "cores": os.cpu_count(),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
