"""The toxicity model: text features, linear heads, and a stacked calibrator per label.

Training: the linear heads are fit on k-1 of k slices of the training texts to score the
held-out slice (out-of-fold scores), then a small gradient-boosted tree model per label learns
a probability from all head scores together; the heads are then refit on every text. The
stacker sees how the labels relate (abusive-only tweets that are not hate, targets, strength).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from siaga.detect.toxicity.config import QUICK_CONFIG, ModelConfig
from siaga.detect.toxicity.datasets import LabelledTexts
from siaga.detect.toxicity.features import TextFeatures
from siaga.detect.toxicity.heads import HEAD_COUNT, Floats, fit_heads, head_scores
from siaga.detect.toxicity.labels import ABUSIVE, HATE, LABEL_NAMES
from siaga.detect.toxicity.normalise import normalise_tweet
from siaga.detect.toxicity.surface import surface_features
from siaga.progress import Progress, SilentProgress

__all__ = ["QUICK_CONFIG", "ModelConfig", "ToxicityModel", "train_model"]


Stacker: TypeAlias = Any  # a fitted scikit-learn classifier, or a constant probability
TREE_STACKED = (HATE, ABUSIVE)
# The model learned from tweets (the longest normalised one is 418 characters) and reads at
# most this many characters of a text, as transformer classifiers read at most 512 tokens.
# Past it, an article's L2-normalised features look like no tweet it learned from, so its
# score would be no truer; and a news article would cost as much as fifty tweets.
READ_CHARS = 1_000


def prepare(texts: Sequence[str], config: ModelConfig) -> list[str]:
    """Return the texts as the features read them: normalised, or only lower-cased."""
    if config.clean_text:
        return [normalise_tweet(t) for t in texts]
    return [t.lower() for t in texts]


@dataclass
class ToxicityModel:
    """A trained model: predicts a probability per label for raw texts."""

    config: ModelConfig
    features: TextFeatures
    weights: Floats
    bias: Floats
    stackers: list[Stacker]
    thresholds: dict[str, float] = field(default_factory=dict)
    abusive_words: frozenset[str] = frozenset()

    def stack_inputs(self, texts: Sequence[str], clean: Sequence[str] | None = None) -> Floats:
        """Return per raw text the linear head scores, then its surface features if used.

        `clean` may give the texts already through `prepare` (the pipeline shares them with
        the category model); only the first READ_CHARS characters of each are read.
        """
        if clean is None or not self.config.clean_text:  # given texts are tweet-cleaned
            clean = prepare(texts, self.config)
        clean = [c[:READ_CHARS] for c in clean]
        raw = [t[:READ_CHARS] for t in texts]
        scores = self.features.times(clean, self.weights) + self.bias  # the linear heads
        return _with_surface(scores, raw, clean, self.config, self.abusive_words)

    def predict_proba(self, texts: Sequence[str],
                      clean: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
        """Return a texts x LABEL_NAMES matrix of probabilities (`clean`: see stack_inputs)."""
        inputs = self.stack_inputs(texts, clean)
        out = np.empty((len(texts), len(LABEL_NAMES)))
        for index, stacker in enumerate(self.stackers):
            if isinstance(stacker, float):
                out[:, index] = stacker
            elif isinstance(stacker, LogisticRegression):
                out[:, index] = stacker.predict_proba(inputs[:, :HEAD_COUNT])[:, 1]
            else:
                out[:, index] = stacker.predict_proba(inputs)[:, 1]
        return out

    def predict_labels(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Return one {label name: probability} dict per text."""
        matrix = self.predict_proba(texts)
        return [dict(zip(LABEL_NAMES, map(float, row), strict=True)) for row in matrix]

    def threshold(self, label: str) -> float:
        """Return the decision threshold of a label (chosen on dev data, else 0.5)."""
        return self.thresholds.get(label, 0.5)

    def toxicity(self, texts: Sequence[str]) -> list[float]:
        """Return per text the larger of the hate-speech and abusive probabilities."""
        matrix = self.predict_proba(texts)
        hate, abusive = LABEL_NAMES.index(HATE), LABEL_NAMES.index(ABUSIVE)
        return [float(v) for v in np.maximum(matrix[:, hate], matrix[:, abusive])]


def _with_surface(
    scores: Floats,
    raw: Sequence[str],
    clean: Sequence[str],
    config: ModelConfig,
    abusive_words: frozenset[str],
) -> Floats:
    if not config.surface:
        return scores
    return np.hstack([scores, surface_features(raw, clean, abusive_words)])


def _strata(labels: npt.NDArray[np.int8]) -> npt.NDArray[np.int64]:
    hate, abusive = labels[:, LABEL_NAMES.index(HATE)], labels[:, LABEL_NAMES.index(ABUSIVE)]
    return ((hate + 1) * 3 + (abusive + 1)).astype(np.int64)


def _out_of_fold(
    matrix: Any, labels: npt.NDArray[np.int8], config: ModelConfig, progress: Progress
) -> Floats:
    scores = np.zeros((matrix.shape[0], HEAD_COUNT), dtype=np.float32)
    splits = StratifiedKFold(config.inner_folds, shuffle=True, random_state=config.seed)
    task = progress.task("heads on held-out slices", total=config.inner_folds)
    for fit_rows, held_rows in splits.split(np.zeros(len(labels)), _strata(labels)):
        weights, bias = fit_heads(matrix[fit_rows], labels[fit_rows], config.svm_c)
        scores[held_rows] = head_scores(matrix[held_rows], weights, bias)
        task.advance()
    task.close()
    return scores


def _stacker(
    scores: Floats, target: npt.NDArray[np.int8], config: ModelConfig, trees: bool
) -> Stacker:
    known = target >= 0
    y = target[known]
    if y.min() == y.max():
        return float(y[0])
    if not trees:  # rarer labels: a logistic stacker on the head scores is enough, and fast
        logistic: Stacker = LogisticRegression(C=1.0, max_iter=1000)
        logistic.fit(scores[known][:, :HEAD_COUNT], y)
        return logistic
    model = HistGradientBoostingClassifier(
        max_iter=config.stacker_rounds,
        learning_rate=config.stacker_rate,
        max_leaf_nodes=15,
        random_state=config.seed,
    )
    fitted: Stacker = model.fit(scores[known], y)
    return fitted


def train_model(
    data: LabelledTexts,
    config: ModelConfig | None = None,
    progress: Progress | None = None,
    abusive_words: frozenset[str] = frozenset(),
) -> ToxicityModel:
    """Return a model trained on labelled texts (labels -1 where not annotated)."""
    config = config or ModelConfig()
    progress = progress or SilentProgress()
    step = progress.task("features", total=1)
    texts = prepare(data.texts, config)
    features = TextFeatures(config.char_low, config.char_high, config.char_bits).fit(texts)
    matrix = features.transform(texts)
    step.close()
    scores = _out_of_fold(matrix, data.labels, config, progress)
    inputs = _with_surface(scores, data.texts, texts, config, abusive_words)
    step = progress.task("heads on all texts, stackers", total=2)
    weights, bias = fit_heads(matrix, data.labels, config.svm_c)
    step.advance()
    stackers = [
        _stacker(inputs, data.labels[:, i], config, name in TREE_STACKED)
        for i, name in enumerate(LABEL_NAMES)
    ]
    step.close()
    return ToxicityModel(config, features, weights, bias, stackers, {}, abusive_words)
