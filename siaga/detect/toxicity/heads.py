"""Linear heads: one SVM per label, NB-weighted SVMs and a joint hate x abusive SVM.

Every head is folded into one weight matrix, so scoring a batch is one sparse product.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.svm import LinearSVC

from siaga.detect.toxicity.labels import ABUSIVE, HATE, LABEL_NAMES

Floats = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int8]
NB_LABELS = (LABEL_NAMES.index(HATE), LABEL_NAMES.index(ABUSIVE))
JOINT_CLASSES = 4  # neither, abusive only, hate only, both
HEAD_COUNT = len(LABEL_NAMES) + len(NB_LABELS) + JOINT_CLASSES


def nb_ratios(features: sparse.csr_matrix, target: npt.NDArray[np.int8]) -> Floats:
    """Return the log-count ratio of each feature between positive and negative rows."""
    present = features.copy()
    present.data = np.ones_like(present.data)
    positive = np.asarray(present[target == 1].sum(axis=0)).ravel() + 1.0
    negative = np.asarray(present[target == 0].sum(axis=0)).ravel() + 1.0
    ratio = np.log(positive / positive.sum()) - np.log(negative / negative.sum())
    scaled: Floats = ratio.astype(np.float32)
    return scaled


def _svm(features: sparse.csr_matrix, target: npt.NDArray[np.int64], c: float) -> LinearSVC:
    return LinearSVC(C=c, max_iter=5000, random_state=0).fit(features, target)


def _binary_head(
    features: sparse.csr_matrix, target: Labels, c: float, nb: bool
) -> tuple[Floats, float]:
    known = target >= 0
    rows, y = features[known], target[known].astype(np.int64)
    if y.min() == y.max():  # a label never (or always) seen: a constant head
        return np.zeros(features.shape[1], dtype=np.float32), 1.0 if y[0] else -1.0
    scale = nb_ratios(rows, y.astype(np.int8)) if nb else None
    model = _svm(rows @ sparse.diags(scale) if scale is not None else rows, y, c)
    weights = model.coef_.ravel().astype(np.float32)
    return (weights * scale if scale is not None else weights), float(model.intercept_[0])


def _joint_head(features: sparse.csr_matrix, labels: Labels, c: float) -> tuple[Floats, Floats]:
    hate, abusive = labels[:, NB_LABELS[0]], labels[:, NB_LABELS[1]]
    known = (hate >= 0) & (abusive >= 0)
    joint = (hate[known] * 2 + abusive[known]).astype(np.int64)
    model = _svm(features[known], joint, c)
    return model.coef_.T.astype(np.float32), model.intercept_.astype(np.float32)


def fit_heads(features: sparse.csr_matrix, labels: Labels, c: float) -> tuple[Floats, Floats]:
    """Return (weights: features x HEAD_COUNT, bias: HEAD_COUNT) of all linear heads."""
    columns, biases = [], []
    for index in range(len(LABEL_NAMES)):
        w, b = _binary_head(features, labels[:, index], c, nb=False)
        columns.append(w)
        biases.append(b)
    for index in NB_LABELS:
        w, b = _binary_head(features, labels[:, index], c, nb=True)
        columns.append(w)
        biases.append(b)
    joint_w, joint_b = _joint_head(features, labels, c)
    weights = np.column_stack([*columns, joint_w]).astype(np.float32)
    return weights, np.concatenate([np.array(biases, dtype=np.float32), joint_b])


def head_scores(features: sparse.csr_matrix, weights: Floats, bias: Floats) -> Floats:
    """Return the rows x HEAD_COUNT matrix of head decision values."""
    scores: Floats = np.asarray(features @ weights, dtype=np.float32) + bias
    return scores
