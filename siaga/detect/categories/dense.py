"""A dense head: one calibrated logistic regression per category on e5 sentence embeddings
(see `embeddings`), and its combination with the sparse category model's scores. Used by
the experiment `benchmarks/categories_dense.py` only: it did not beat the sparse model on
the dev split, so no mode serves it (docs/categories.md, "Dense sentence embeddings").

Each head is trained with balanced class weights, its C chosen by cross-validated average
precision on the training texts only, and its scores Platt-calibrated by cross-validation,
so they sit on the same 0..1 scale as the sparse model's and can be averaged with them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.thresholds import choose

if TYPE_CHECKING:
    from siaga.detect.categories.labelset import LabelledSet

Floats = npt.NDArray[np.float64]
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # the sparse share of the mean, chosen on the dev split
NONE_TARGET = 0.8
# The dense head learns from every training text with a category and from this share of
# those with none, picked by a hash of the text (so the same ones every time): embedding is
# the cost of the head (about 1,400 characters a second of one core's time, a third of
# that by wall clock on a busy machine), and the texts with no category are 60% of the
# training part.
NEGATIVE_PERCENT = 40
_SAMPLE_SALT = "siaga-dense-negatives-v1"
C_GRID = (2.0, 8.0, 32.0, 128.0)
C_FOLDS = 3  # folds of the choice of C (the calibration uses FOLDS)
FOLDS = 5
MIN_POSITIVES = 6


@dataclass
class DenseHead:
    """Per-category calibrated classifiers on embeddings (None: too few positives)."""

    heads: list[Any]
    c: list[float] = field(default_factory=list)
    cv_average_precision: list[float] = field(default_factory=list)

    def scores(self, vectors: npt.NDArray[np.float32]) -> Floats:
        """Return the (n, 10) calibrated scores of embedded texts, CATEGORIES order (0 where a
        category had too few positives to learn)."""
        out = np.zeros((len(vectors), len(CATEGORIES)))
        if len(vectors) == 0:
            return out
        for j, head in enumerate(self.heads):
            if head is not None:
                out[:, j] = head.predict_proba(vectors)[:, 1]
        return out


def _kept_negative(text: str) -> bool:
    digest = hashlib.sha1(f"{_SAMPLE_SALT}:{text}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < NEGATIVE_PERCENT


def dense_training_set(training: LabelledSet) -> LabelledSet:
    """Return the texts the dense head learns from: every one with a category, then the
    NEGATIVE_PERCENT share of those with none (fixed by a hash of the text)."""
    positive = training.flags.sum(axis=1) > 0
    kept = np.array([_kept_negative(t) for t in training.texts], dtype=bool)
    return training.subset(positive).concat(training.subset(~positive & kept))


def _choose_c(vectors: npt.NDArray[np.float32], truth: npt.NDArray[np.int8],
              seed: int) -> tuple[float, float]:
    """Return (C, its mean out-of-fold average precision) of the best C of C_GRID."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(C_FOLDS, shuffle=True, random_state=seed)
    best = (C_GRID[0], -1.0)
    for c in C_GRID:
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        value = float(np.mean(cross_val_score(model, vectors, truth, cv=folds,
                                              scoring="average_precision")))
        if value > best[1]:
            best = (c, value)
    return best


def train_dense_head(vectors: npt.NDArray[np.float32], flags: npt.NDArray[np.int8],
                     seed: int = 9) -> DenseHead:
    """Return a DenseHead trained on embedded training texts and their (n, 10) flags."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    heads: list[Any] = []
    chosen: list[float] = []
    cv_ap: list[float] = []
    for j in range(len(CATEGORIES)):
        truth = flags[:, j]
        if int(truth.sum()) < MIN_POSITIVES:
            heads.append(None)
            chosen.append(0.0)
            cv_ap.append(0.0)
            continue
        c, value = _choose_c(vectors, truth, seed)
        base = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
        head = CalibratedClassifierCV(base, method="sigmoid", cv=folds)
        heads.append(head.fit(vectors, truth))
        chosen.append(c)
        cv_ap.append(round(value, 4))
    return DenseHead(heads, chosen, cv_ap)


def combine(sparse: Floats, dense: Floats, weight: float) -> Floats:
    """Return the weighted mean of the sparse and dense calibrated scores (weight: the
    sparse share)."""
    return weight * sparse + (1.0 - weight) * dense


def choose_thresholds(scores: Floats, truth: npt.NDArray[np.int8]) -> Floats:
    """Return the (10,) thresholds chosen precision-first on scores (0.5 where too few
    positives)."""
    chosen = choose(scores, truth, np.full(len(CATEGORIES), 0.5))
    return np.array([chosen[c] for c in CATEGORIES])


def micro_f1_and_none(given: npt.NDArray[np.bool_],
                      truth: npt.NDArray[np.int8]) -> tuple[float, float]:
    """Return (micro-F1, share of passages with no true category given no label)."""
    hits = int(np.sum(given & (truth == 1)))
    said, real = int(given.sum()), int(truth.sum())
    f1 = 2 * hits / (said + real) if said + real else 0.0
    nones = truth.sum(axis=1) == 0
    kept = float(np.mean(~given[nones].any(axis=1))) if nones.any() else 1.0
    return f1, kept


def choose_weight(sparse: Floats, dense: Floats,
                  truth: npt.NDArray[np.int8]) -> tuple[float, Floats]:
    """Return (weight, thresholds) of the mean whose dev micro-F1 is highest among those
    keeping at least NONE_TARGET of the `none` passages clean (all weights if none do)."""
    found = []
    for weight in WEIGHTS:
        mixed = combine(sparse, dense, weight)
        thresholds = choose_thresholds(mixed, truth)
        f1, kept = micro_f1_and_none(mixed >= thresholds, truth)
        found.append((kept >= NONE_TARGET, f1, weight, thresholds))
    best = max(found, key=lambda row: (row[0], row[1]))
    return best[2], best[3]
