"""Training the category model on labelled texts (never the held-out part: the caller splits)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.labelset import LabelledSet
from siaga.detect.categories.lexicon import Lexicon
from siaga.detect.categories.model import RULE_SCORES, CategoryConfig, CategoryModel, featurise
from siaga.progress import Progress

Floats = npt.NDArray[np.float64]


def _head(config: CategoryConfig) -> LogisticRegression:
    return LogisticRegression(
        C=config.c, class_weight="balanced", solver="liblinear", random_state=config.seed
    )


def _out_of_fold(
    matrix: sparse.csr_matrix, y: npt.NDArray[np.int8], config: CategoryConfig
) -> Floats:
    """Return each text's decision value from a head trained on the other folds."""
    folds = min(config.folds, int(y.sum()), int(len(y) - y.sum()))
    decision = np.zeros(len(y))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=config.seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        head = _head(config).fit(matrix[train], y[train])
        decision[test] = head.decision_function(matrix[test])
    return decision


def _platt(decision: Floats, y: npt.NDArray[np.int8]) -> tuple[float, float]:
    """Return (a, b) with sigmoid(a * decision + b) fitted to the labels (Platt scaling)."""
    fit = LogisticRegression(C=100.0).fit(decision.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def best_threshold(scores: Floats, y: npt.NDArray[np.int8]) -> float:
    """Return the score threshold that maximises F1 of `scores >= threshold` against y."""
    order = np.argsort(-scores)
    hits = np.cumsum(y[order])
    predicted = np.arange(1, len(y) + 1)
    f1 = 2 * hits / (predicted + y.sum())
    best = int(np.argmax(f1))
    # halfway to the next score, so a text scoring like the last accepted one is accepted
    following = scores[order[best + 1]] if best + 1 < len(order) else 0.0
    return float((scores[order[best]] + following) / 2)


def train_category_model(
    data: LabelledSet,
    lexicon: Lexicon,
    config: CategoryConfig | None = None,
    progress: Progress | None = None,
    ignore_stored: bool = False,
) -> CategoryModel:
    """Return a model trained on every text of `data` (which must exclude the held-out part).

    For each category with at least `min_positives` positives: out-of-fold decisions give
    the Platt calibration and the threshold (best F1 out of fold); then a head is fitted on
    all of `data`. Other categories use the lexicon rule, with threshold 0.5.
    """
    config = config or CategoryConfig()
    matrix, lexical = featurise(lexicon, data.texts, config)
    rule = lexicon.rule_labels(lexical)
    width = len(CATEGORIES)
    weights = np.zeros((matrix.shape[1], width), dtype=np.float32)
    bias, platt = np.zeros(width), np.tile([1.0, 0.0], (width, 1))
    thresholds, learned = np.full(width, 0.5), np.zeros(width, dtype=bool)
    cv_f1, union = np.zeros(width), np.zeros(width, dtype=bool)
    positives = [int(v) for v in data.flags.sum(axis=0)]
    task = progress.task("Melatih kategori / training categories", width) if progress else None
    for j in range(width):
        y = data.flags[:, j]
        if config.min_positives <= positives[j] <= len(y) - config.min_positives:
            decision = _out_of_fold(matrix, y, config)
            platt[j] = _platt(decision, y)
            calibrated = 1.0 / (1.0 + np.exp(-(decision * platt[j, 0] + platt[j, 1])))
            thresholds[j], cv_f1[j], union[j] = _choose_decision(calibrated, rule[:, j], y)
            head = _head(config).fit(matrix, y)
            weights[:, j], bias[j], learned[j] = head.coef_[0], head.intercept_[0], True
        if task is not None:
            task.advance()
    if task is not None:
        task.close()
    # Thresholds chosen precision-first on the real-text dev set replace the out-of-fold ones,
    # and so does its choice of the categories whose lexicon rule joins the model.
    for j, value in ({} if ignore_stored else _stored_thresholds(learned)).items():
        thresholds[j] = value
    if not ignore_stored:
        union |= _stored_rule_union()
    model = CategoryModel(lexicon, config, weights, bias, platt, thresholds, learned, positives)
    model.cv_f1 = [round(float(v), 4) for v in cv_f1]
    model.rule_union = union
    return model


def _stored_rule_union() -> npt.NDArray[np.bool_]:
    """Return the columns thresholds.json joins to their lexicon rule."""
    from siaga.detect.categories.thresholds import read_rule_union

    named = set(read_rule_union())
    return np.array([name in named for name in CATEGORIES], dtype=bool)


def _stored_thresholds(learned: npt.NDArray[np.bool_]) -> dict[int, float]:
    """Return {column: threshold} of thresholds.json for the learned categories."""
    from siaga.detect.categories.thresholds import read_thresholds

    stored = read_thresholds()
    return {j: stored[name] for j, name in enumerate(CATEGORIES)
            if name in stored and learned[j]}


def _choose_decision(
    calibrated: Floats, rule: npt.NDArray[np.bool_], y: npt.NDArray[np.int8]
) -> tuple[float, float, bool]:
    """Return (threshold, out-of-fold F1, union) for one category.

    Two decisions are compared out of fold: the calibrated score alone, and the score raised
    to at least RULE_SCORES[0] where the lexicon rule fires ("model or rule"). The union is
    kept only when it gives a strictly better F1 on the training data.
    """
    alone = best_threshold(calibrated, y)
    alone_f1 = _f1(calibrated >= alone, y)
    raised = np.where(rule, np.maximum(calibrated, RULE_SCORES[0]), calibrated)
    joint = min(best_threshold(raised, y), RULE_SCORES[0])
    joint_f1 = _f1(raised >= joint, y)
    if joint_f1 > alone_f1:
        return joint, joint_f1, True
    return alone, alone_f1, False


def _f1(predicted: npt.NDArray[np.bool_], y: npt.NDArray[np.int8]) -> float:
    hits = float(np.sum(predicted & (y == 1)))
    total = float(predicted.sum() + y.sum())
    return 2 * hits / total if total else 0.0
