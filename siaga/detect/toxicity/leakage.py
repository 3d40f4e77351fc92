"""Near-duplicate check between a fold's test texts and the texts a model learns from.

Two texts are exact duplicates when their normalised forms match with mentions, links, a
leading "RT" and punctuation removed; near duplicates when the cosine of their character
3-5-gram TF-IDF vectors is at least `NEAR`. The report says how many test texts have such a
twin, and how often the twin carries the same hate label (then a model can score by memory).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from siaga.detect.toxicity.datasets import Fold, LabelledTexts, read_fold
from siaga.detect.toxicity.features import CharNgrams
from siaga.detect.toxicity.labels import FOLDS
from siaga.detect.toxicity.normalise import LINK_TOKEN, MENTION_TOKEN, normalise_tweet

NEAR = 0.9
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_RETWEET = re.compile(r"^rt\b")


def duplicate_key(text: str) -> str:
    """Return the form of a text used to find exact duplicates."""
    plain = normalise_tweet(text).replace(MENTION_TOKEN, " ").replace(LINK_TOKEN, " ")
    return _RETWEET.sub("", _NOT_WORD.sub(" ", plain).strip()).strip()


def twins(test: list[str], seen: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Return, per test text, the index of its most similar seen text and that cosine."""
    test_keys, seen_keys = [duplicate_key(t) for t in test], [duplicate_key(t) for t in seen]
    chars = CharNgrams(3, 5, bits=20, min_df=1).fit(seen_keys + test_keys)
    similarity = chars.transform(test_keys) @ chars.transform(seen_keys).T
    best = np.asarray(similarity.argmax(axis=1)).ravel()
    cosine = np.asarray(similarity.max(axis=1).todense()).ravel()
    return best, cosine


def without_twins(fold: Fold) -> npt.NDArray[np.bool_]:
    """Return a mask of the fold's test texts that have no near twin in its train or dev part."""
    _, cosine = twins(fold.test.texts, fold.train.texts + fold.dev.texts)
    fresh: npt.NDArray[np.bool_] = cosine < NEAR
    return fresh


def fold_leakage(test: LabelledTexts, seen: LabelledTexts, hate: int = 0) -> dict[str, Any]:
    """Return counts of test texts with an exact or near duplicate among the seen texts."""
    seen_keys = {duplicate_key(t) for t in seen.texts}
    exact = sum(duplicate_key(t) in seen_keys for t in test.texts)
    best, cosine = twins(test.texts, seen.texts)
    near = cosine >= NEAR
    agree = test.labels[near, hate] == seen.labels[best[near], hate]
    return {
        "test": len(test),
        "exact": int(exact),
        "near": int(near.sum()),
        "near_same_hate_label": int(agree.sum()),
    }


def leakage_report(data_dir: Path) -> list[dict[str, Any]]:
    """Return, per benchmark fold, duplicates between test and train + dev."""
    report = []
    for number in range(FOLDS):
        fold = read_fold(data_dir, number)
        seen = LabelledTexts(
            fold.train.texts + fold.dev.texts,
            np.vstack([fold.train.labels, fold.dev.labels]),
            "train+dev",
        )
        report.append({"fold": number, **fold_leakage(fold.test, seen)})
    return report
