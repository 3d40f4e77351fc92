"""The category model: lexicon features plus hashed character n-grams, one linear head per
category, Platt-calibrated scores and per-category thresholds chosen by cross-validation.

Prediction is a sparse matrix product and ten sigmoids, so its cost is dominated by the
lexicon pass and the n-gram hashing (well over 10,000 short texts per second on one core).
A category with too few labelled positives to learn from falls back to the lexicon rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy import sparse

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.lexicon import FEATURES_PER_CATEGORY, Lexicon
from siaga.detect.categories.sentences import evidence_text, says_not_found, units_of
from siaga.detect.toxicity.features import hashed_char_ngrams
from siaga.detect.toxicity.normalise import normalise_tweet

Floats = npt.NDArray[np.float64]
Labels = npt.NDArray[np.int8]


@dataclass(frozen=True)
class CategoryConfig:
    """Settings of the category model (part of the cache key)."""

    ngram_low: int = 3
    ngram_high: int = 5
    bits: int = 18
    lexicon_weight: float = 0.5
    c: float = 4.0
    folds: int = 5
    min_positives: int = 6
    seed: int = 9

    def as_dict(self) -> dict[str, object]:
        """Return the settings as a plain dict (for the cache key)."""
        return dict(self.__dict__)


# The n-grams read at most this many characters of a text (the lexicon reads all of it). The
# labelled texts are at most 1,392 characters long; past that an article's L2-normalised
# n-grams look like none of them, and a 20,000-character article would cost as much as a
# hundred posts. A category word deep in an article is still found by the lexicon.
NGRAM_CHARS = 2_000

# A long text is read sentence by sentence only when some category's whole-text score is at
# least this share of its threshold.
SENTENCE_GATE = 0.5

# Scores a lexicon-only column gives: a strong phrase or near rule, a weak word, nothing.
RULE_SCORES = (0.8, 0.15, 0.03)


def _rule_scores(lexical: npt.NDArray[np.float32]) -> Floats:
    shaped = lexical.reshape(len(lexical), len(CATEGORIES), FEATURES_PER_CATEGORY)
    rule = (shaped[:, :, 0] + shaped[:, :, 2]) > 0
    weak = shaped[:, :, 1] > 0
    return np.where(rule, RULE_SCORES[0], np.where(weak, RULE_SCORES[1], RULE_SCORES[2]))


def feature_blocks(
    lexicon: Lexicon, texts: Sequence[str], config: CategoryConfig,
    clean: Sequence[str] | None = None,
) -> tuple[sparse.csr_matrix, npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """Return the two blocks of the features and the raw lexicon counts of texts.

    The sparse block is the l2-normalised, log-scaled hashed character n-grams; the dense
    block the weighted log-scaled lexicon counts and one rule indicator per category.
    `clean` may give the texts already through `normalise_tweet`.
    """
    if clean is None:
        clean = [normalise_tweet(t) for t in texts]
    lexical = lexicon.features(clean, normalised=True)
    grams = hashed_char_ngrams([c[:NGRAM_CHARS] for c in clean], config.ngram_low,
                               config.ngram_high, config.bits)
    # Log-scale and l2-normalise on the data array: no product matrices to build.
    data = (1.0 + np.log(grams.data)).astype(np.float32)
    row_of = np.repeat(np.arange(grams.shape[0]), np.diff(grams.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=grams.shape[0]))
    norms[norms == 0] = 1.0
    grams.data = (data / norms[row_of]).astype(np.float32)
    dense = np.hstack([np.log1p(lexical), lexicon.rule_labels(lexical).astype(np.float32)])
    return grams, (dense * config.lexicon_weight).astype(np.float32), lexical


def featurise(
    lexicon: Lexicon, texts: Sequence[str], config: CategoryConfig,
    clean: Sequence[str] | None = None,
) -> tuple[sparse.csr_matrix, npt.NDArray[np.float32]]:
    """Return (feature matrix, raw lexicon counts) of texts: the two blocks side by side."""
    grams, dense, lexical = feature_blocks(lexicon, texts, config, clean)
    matrix = sparse.hstack([grams, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
    return matrix, lexical


@dataclass(frozen=True)
class Reading:
    """What the model read in a batch of texts (rows in input order)."""

    proba: npt.NDArray[np.float64]  # (n, 10) scores, CATEGORIES order
    labels: list[list[str]]  # the categories at or above their thresholds
    evidence: list[dict[str, str]]  # per text: label -> the sentence that carried it
    not_found: list[list[str]]  # labels whose evidence reports the risk looked for, not found


@dataclass
class CategoryModel:
    """Scores texts for the ten categories: `predict_proba` then `labels`."""

    lexicon: Lexicon
    config: CategoryConfig
    weights: npt.NDArray[np.float32]  # (features, 10)
    bias: Floats  # (10,)
    platt: Floats  # (10, 2): calibrated = sigmoid(a * decision + b)
    thresholds: Floats  # (10,)
    learned: npt.NDArray[np.bool_]  # (10,): False = lexicon-rule column
    positives: list[int] = field(default_factory=list)
    cv_f1: list[float] = field(default_factory=list)  # out-of-fold F1 on the training data
    # columns whose score is raised to RULE_SCORES[0] where the lexicon rule fires
    rule_union: npt.NDArray[np.bool_] = field(
        default_factory=lambda: np.zeros(len(CATEGORIES), dtype=bool)
    )

    def unit_scores(self, texts: Sequence[str],
                    clean: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
        """Return the (n, 10) calibrated scores of texts each read as one unit (no sentences).

        `clean` may give the texts already through `normalise_tweet` (shared with toxicity).
        """
        if len(texts) == 0:
            return np.zeros((0, len(CATEGORIES)))
        grams, dense, lexical = feature_blocks(self.lexicon, texts, self.config, clean)
        # The two blocks times their rows of the weights: the same sum as one stacked matrix.
        width = grams.shape[1]
        decision = (np.asarray(grams @ self.weights[:width], dtype=np.float64)
                    + dense @ self.weights[width:].astype(np.float64) + self.bias)
        proba = 1.0 / (1.0 + np.exp(-(decision * self.platt[:, 0] + self.platt[:, 1])))
        if self.rule_union.any() or not self.learned.all():
            rule_scores = _rule_scores(lexical)
            raised = np.maximum(proba, np.where(rule_scores >= RULE_SCORES[0], rule_scores, 0.0))
            proba[:, self.rule_union] = raised[:, self.rule_union]
            proba[:, ~self.learned] = rule_scores[:, ~self.learned]
        return np.clip(proba, 0.0, 1.0)

    def read(self, texts: Sequence[str], clean: Sequence[str] | None = None) -> Reading:
        """Return the scores, labels, evidence and looked-for-not-found categories of texts.

        A long text is scored whole and sentence by sentence (`sentences.units_of`); each
        category's score is the highest, and its evidence the best-scoring sentence (a short
        text is its own evidence).
        """
        if clean is None:
            clean = [normalise_tweet(t) for t in texts]
        proba = self.unit_scores(texts, clean)
        # Sentences are read only where a category is within reach: a long text whose every
        # score is far below its threshold has nothing a sentence could carry (and no label).
        reach = (proba / np.maximum(self.thresholds, 1e-9)).max(axis=1).tolist()
        parts = [units_of(t) if r >= SENTENCE_GATE else [] for t, r in zip(texts, reach,
                                                                          strict=True)]
        flat = [s for p in parts for s in p]
        best = np.full(proba.shape, -1, dtype=np.int64)
        if flat:
            scores = self.unit_scores(flat, [normalise_tweet(s) for s in flat])
            start = 0
            for i, sentences in enumerate(parts):
                if sentences:
                    block = scores[start:start + len(sentences)]
                    top = block.argmax(axis=0)
                    best[i] = start + top
                    proba[i] = np.maximum(proba[i], block[top, np.arange(block.shape[1])])
                    start += len(sentences)
        labels = self.labels(proba)
        evidence: list[dict[str, str]] = []
        not_found: list[list[str]] = []
        for i, keys in enumerate(labels):
            shown = {k: flat[best[i, j]] if best[i, j] >= 0 else texts[i]
                     for k in keys for j in (CATEGORIES.index(k),)}
            evidence.append({k: evidence_text(v) for k, v in shown.items()})
            not_found.append([k for k, v in shown.items() if says_not_found(v)])
        return Reading(proba, labels, evidence, not_found)

    def predict_proba(self, texts: Sequence[str],
                      clean: Sequence[str] | None = None) -> npt.NDArray[np.float64]:
        """Return an (n, 10) matrix of scores in 0..1, columns in CATEGORIES order: the
        highest of the whole text's and its sentences' scores (see `read`)."""
        return self.read(texts, clean).proba

    def labels(self, proba: npt.NDArray[np.float64]) -> list[list[str]]:
        """Return, per row of scores, the category keys at or above their threshold."""
        present = proba >= self.thresholds
        return [[CATEGORIES[j] for j in np.flatnonzero(row)] for row in present]
