"""Figures of a category model on the real-text dev set, per split."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.devset import SPLITS, DevPassage

Labeller = Callable[[Sequence[str]], list[list[str]]]
"""Texts -> the category keys given to each (the pipeline's `model.labels(predict_proba)`)."""


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0


def split_figures(
    truth: Sequence[frozenset[str]], given: Sequence[frozenset[str]]
) -> dict[str, object]:
    """Return per-category precision, recall, F1 and support, micro figures and the share of
    `none` passages (no true category) that were given no label."""
    per_category: dict[str, dict[str, float | int]] = {}
    all_hits = all_said = all_real = 0
    for name in CATEGORIES:
        hits = sum(1 for t, g in zip(truth, given, strict=True) if name in t and name in g)
        said = sum(1 for g in given if name in g)
        real = sum(1 for t in truth if name in t)
        precision, recall = _ratio(hits, said), _ratio(hits, real)
        per_category[name] = {
            "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "support": real, "predicted": said,
        }  # fmt: skip
        all_hits, all_said, all_real = all_hits + hits, all_said + said, all_real + real
    micro_p, micro_r = _ratio(all_hits, all_said), _ratio(all_hits, all_real)
    nones = [g for t, g in zip(truth, given, strict=True) if not t]
    return {
        "passages": len(truth),
        "none_passages": len(nones),
        "categories": per_category,
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "micro_f1": _f1(micro_p, micro_r),
        "none_clean_share": _ratio(sum(1 for g in nones if not g), len(nones)),
    }


def evaluate_devset(labeller: Labeller, passages: Sequence[DevPassage]) -> dict[str, object]:
    """Return `split_figures` of the labeller on each split of the dev set ({'dev': …,
    'test': …}); only the categories a model gives that are among the ten count."""
    given = labeller([p.text for p in passages])
    out: dict[str, object] = {}
    for split in SPLITS:
        rows = [(p, g) for p, g in zip(passages, given, strict=True) if p.label.split == split]
        truth = [frozenset(p.label.categories) for p, _ in rows]
        labelled = [frozenset(g) & frozenset(CATEGORIES) for _, g in rows]
        out[split] = split_figures(truth, labelled)
    return out


def labels_of_flags(flags: npt.NDArray[np.bool_]) -> list[list[str]]:
    """Return the category keys of each row of an (n, 10) boolean matrix (CATEGORIES order)."""
    return [[name for name, on in zip(CATEGORIES, row, strict=True) if on] for row in flags]
