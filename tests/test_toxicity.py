"""The toxicity classifier: normalisation, readers, features, a trained model, cache and CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from siaga.detect.toxicity import cache
from siaga.detect.toxicity import model as models
from siaga.detect.toxicity.datasets import (
    IBROHIM2019,
    read_abusive_words,
    read_colloquial_lexicon,
    read_fold,
    read_ibrohim2019,
)
from siaga.detect.toxicity.evaluate import best_threshold, positive_f1
from siaga.detect.toxicity.features import (
    CharNgrams,
    TextFeatures,
    WordLookup,
    hashed_char_ngrams,
)
from siaga.detect.toxicity.labels import LABEL_NAMES
from siaga.detect.toxicity.model import QUICK_CONFIG, ModelConfig, ToxicityModel, train_model
from siaga.detect.toxicity.normalise import (
    collapse_repeats,
    decode_byte_escapes,
    normalise_tweet,
    standardise_words,
)
from siaga.detect.toxicity.seam import KeywordToxicity, ToxicityClassifier
from siaga.detect.toxicity.surface import SURFACE_FEATURES, surface_features

HATE = LABEL_NAMES.index("hate_speech")
ABUSIVE = LABEL_NAMES.index("abusive")


def test_byte_escapes_become_emoji() -> None:
    assert decode_byte_escapes(r"lucu \xf0\x9f\x98\x84 banget").split() == ["lucu", "😄", "banget"]
    assert decode_byte_escapes(r"b\xe2\x80\xa6") == "b … "


def test_normalise_tweet_cleans_corpus_artifacts() -> None:
    raw = r"RT USER: Mantaaaap &amp; keren\nlihat URL'"
    assert normalise_tweet(raw) == "rt @user : mantaap & keren lihat httpurl"


def test_normalise_tweet_is_the_same_for_a_run_met_again() -> None:
    # Runs of non-space characters are cleaned once and reused: a run must come out the same
    # wherever it stands, and whitespace made by a step (an entity, an escape) is squeezed.
    first = normalise_tweet("Haaai&nbsp;USER!! \\x20x lihat")
    again = normalise_tweet("lihat   Haaai&nbsp;USER!!")
    assert first == "haai @user !! x lihat"
    assert again == "lihat haai @user !!"
    assert normalise_tweet("  '") == "" and normalise_tweet("a\tb") == "a b"


def test_normalise_tweet_treats_live_text_like_the_corpus() -> None:
    assert normalise_tweet("@budi_88 lihat https://t.co/x1") == "@user lihat httpurl"
    assert collapse_repeats("woooow 2000") == "woow 2000"


def test_colloquial_words_are_standardised(data_dir: Path) -> None:
    lexicon = read_colloquial_lexicon(data_dir)
    assert lexicon["yg"] == "yang" and lexicon["gk"] == "enggak"
    assert standardise_words("dia yg gk datang", lexicon) == "dia yang enggak datang"
    assert len(lexicon) > 10_000


def test_abusive_word_list(data_dir: Path) -> None:
    words = read_abusive_words(data_dir)
    assert len(words) == 125 and "bangsat" in words and "abusive" not in words


def test_fold_row_counts(data_dir: Path) -> None:
    fold = read_fold(data_dir, 2)
    assert (len(fold.train), len(fold.dev), len(fold.test)) == (9219, 1317, 2633)
    assert fold.test.labels.shape == (2633, len(LABEL_NAMES))
    assert int(fold.test.column(HATE).sum()) == 1112
    assert set(np.unique(fold.train.labels)) == {0, 1}


def test_whole_corpus(data_dir: Path) -> None:
    corpus = read_ibrohim2019(data_dir)
    assert len(corpus) == 13_169
    assert int(corpus.column(HATE).sum()) == 5561 and int(corpus.column(ABUSIVE).sum()) == 5043


def test_char_ngrams_count_every_position() -> None:
    counts = hashed_char_ngrams(["abc", "xyzzy"], low=2, high=3, bits=20)
    # " abc " has 4 bigrams and 3 trigrams; " xyzzy " 6 and 5.
    assert counts.sum(axis=1).A.ravel().tolist() == [7, 11]
    assert counts[0].nnz == 7  # no collisions among so few n-grams
    same = hashed_char_ngrams(["abc"], low=2, high=3, bits=20)
    assert (same != counts[0]).nnz == 0


def test_word_lookup_counts_as_the_vectoriser_does(fold0) -> None:  # type: ignore[no-untyped-def]
    features = TextFeatures(2, 3, 16).fit([normalise_tweet(t) for t in fold0.train.texts[:3000]])
    docs = [normalise_tweet(t) for t in fold0.test.texts[:500]]
    docs += ["", "kata baru sekali", "dasar dasar dasar", "@user @user httpurl", "İSTANBUL"]
    expected = features.words.transform(docs)
    found = features.word_tfidf(docs)
    assert isinstance(features.__dict__.get("_lookup"), WordLookup)  # the fast path ran
    assert expected.shape == found.shape and abs(expected - found).max() == 0
    assert np.array_equal(expected.indptr, found.indptr)


def test_char_tfidf_rows_are_unit_length() -> None:
    chars = CharNgrams(2, 4, bits=18, min_df=1).fit(["satu dua", "dua tiga", "tiga empat"])
    matrix = chars.transform(["dua tiga", "tidak dikenal sama sekali qqq"])
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A.ravel()
    assert norms[0] == pytest.approx(1.0, abs=1e-5)


def test_surface_features_see_shouting_mentions_and_abusive_words() -> None:
    raw = ["RT USER: DASAR BANGSAT kau!! URL'", "USER USER selamat pagi"]
    clean = [normalise_tweet(t) for t in raw]
    rows = surface_features(raw, clean, frozenset({"bangsat", "anjing"}))
    named = [dict(zip(SURFACE_FEATURES, map(float, row), strict=True)) for row in rows]
    # 12 of 15 letters upper-case; the RT, USER and URL placeholders do not count
    assert named[0]["upper_ratio"] == pytest.approx(0.8) and named[1]["upper_ratio"] == 0.0
    assert named[0]["abusive_words"] == 1 and named[1]["abusive_words"] == 0
    assert named[0]["retweet"] == 1 and named[0]["exclamations"] == 2 and named[0]["links"] == 1
    assert named[1]["mentions"] == 2


def test_best_threshold_separates_perfectly() -> None:
    truth = np.array([0, 0, 0, 1, 1, 1], dtype=np.int8)
    scores = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8])
    assert positive_f1(truth, scores, best_threshold(truth, scores)) == 1.0


@pytest.fixture(scope="session")
def fold0(data_dir: Path):  # type: ignore[no-untyped-def]
    return read_fold(data_dir, 0)


@pytest.fixture(scope="session")
def quick_model(fold0, data_dir: Path) -> ToxicityModel:  # type: ignore[no-untyped-def]
    return train_model(fold0.train, QUICK_CONFIG, abusive_words=read_abusive_words(data_dir))


def test_model_beats_trivial_baselines(fold0, quick_model: ToxicityModel) -> None:  # type: ignore[no-untyped-def]
    scores = quick_model.predict_proba(fold0.test.texts)
    hate, abusive = fold0.test.column(HATE), fold0.test.column(ABUSIVE)
    everything_hate = positive_f1(hate, np.ones(len(hate)), 0.5)  # about 0.59
    assert positive_f1(hate, scores[:, HATE], 0.5) > everything_hate + 0.2
    assert positive_f1(abusive, scores[:, ABUSIVE], 0.5) > 0.85


def test_predictions_are_probabilities_per_label(quick_model: ToxicityModel) -> None:
    texts = ["dasar bangsat kau anjing", "selamat pagi semuanya, semoga sehat selalu"]
    rows = quick_model.predict_labels(texts)
    assert list(rows[0]) == list(LABEL_NAMES)
    assert all(0.0 <= v <= 1.0 for row in rows for v in row.values())
    assert rows[0]["abusive"] > 0.8 > 0.2 > rows[1]["abusive"]
    toxicity = quick_model.toxicity(texts)
    assert toxicity[0] > toxicity[1]


def test_model_reads_a_window_and_takes_shared_cleaning(quick_model: ToxicityModel) -> None:
    tweet = "dasar bangsat kau anjing, pendukung paslon itu"
    calm = " selamat pagi semuanya semoga sehat selalu" * 60
    long = tweet + calm
    assert len(long) > 2 * models.READ_CHARS
    # Past the window nothing counts: abuse appended after it changes no score.
    shouted = long + " DASAR BANGSAT ANJING KAU!!" * 40
    assert np.array_equal(quick_model.predict_proba([long]), quick_model.predict_proba([shouted]))
    assert quick_model.predict_proba([long])[0, ABUSIVE] > 0.5
    texts = [tweet, long, "USER selamat pagi URL"]
    shared = [normalise_tweet(t) for t in texts]
    assert np.array_equal(quick_model.predict_proba(texts, shared),
                          quick_model.predict_proba(texts))


def test_model_and_stand_in_fit_the_seam(quick_model: ToxicityModel) -> None:
    assert isinstance(quick_model, ToxicityClassifier)
    stand_in = KeywordToxicity(frozenset({"bangsat"}))
    assert isinstance(stand_in, ToxicityClassifier)
    assert stand_in.toxicity(["Bangsat kau", "halo"]) == [1.0, 0.0]


def _copy_corpus(data_dir: Path, target: Path) -> Path:
    for relative in cache.TRAINING_FILES:
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_dir / relative, target / relative)
    return target


def test_cache_key_follows_data_config_and_code(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _copy_corpus(data_dir, tmp_path / "data")
    key = cache.cache_key(cache.data_checksums(copy), ModelConfig())
    assert key == cache.cache_key(cache.data_checksums(data_dir), ModelConfig())
    with (copy / IBROHIM2019).open("a", encoding="latin-1") as handle:
        handle.write("tambahan,0,0,0,0,0,0,0,0,0,0,0,0\n")
    assert cache.cache_key(cache.data_checksums(copy), ModelConfig()) != key
    assert cache.cache_key(cache.data_checksums(data_dir), QUICK_CONFIG) != key
    monkeypatch.setattr(cache, "CODE_VERSION", "test")
    assert cache.cache_key(cache.data_checksums(data_dir), ModelConfig()) != key


def test_ensure_model_trains_once(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_model: ToxicityModel
) -> None:
    calls = []

    def fake_train(*args: object) -> ToxicityModel:
        calls.append(args)
        return quick_model

    monkeypatch.setattr(models, "train_model", fake_train)
    first = cache.ensure_model(tmp_path, data_dir)
    second = cache.ensure_model(tmp_path, data_dir)
    assert first.trained and not second.trained and len(calls) == 1
    assert first.path == second.path and first.path.parent == tmp_path / "models"
    assert first.path.name.startswith("toxicity-") and first.path.suffix == ".joblib"
    assert cache.ensure_model(tmp_path, data_dir, force=True).trained and len(calls) == 2


def test_cli_evaluate_json_keys(data_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SIAGA_HOME": str(tmp_path), "SIAGA_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "model", "evaluate", "--benchmark", "indobertweet-hs1",
         "--json", "--folds", "1", "--quick", "--jobs", "1"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert list(figures) == [
        "folds", "f1_hate_mean", "f1_abusive_mean", "docs_per_second", "train_seconds"
    ]  # fmt: skip
    assert len(figures["folds"]) == 1 and figures["folds"][0]["fold"] == 0
    assert 0.7 < figures["folds"][0]["f1_hate_without_twins"] <= 1
    assert 0.75 < figures["f1_hate_mean"] <= 1 and figures["docs_per_second"] > 0


def test_cli_rejects_unknown_benchmark(data_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "SIAGA_HOME": str(tmp_path), "SIAGA_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "model", "evaluate", "--benchmark", "nope"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 1 and "unknown benchmark" in done.stderr


def test_leakage_finds_exact_and_near_twins() -> None:
    from siaga.detect.toxicity.datasets import LabelledTexts
    from siaga.detect.toxicity.leakage import duplicate_key, fold_leakage

    assert duplicate_key("RT USER: Jokowi hebat!! URL'") == duplicate_key("jokowi hebat")
    labels = np.zeros((3, len(LABEL_NAMES)), dtype=np.int8)
    seen = LabelledTexts(
        ["jokowi hebat sekali hari ini", "cuaca cerah di jambi", "harga cabai naik lagi"],
        labels,
        "seen",
    )
    test = LabelledTexts(
        ["RT USER: Jokowi hebat sekali hari ini!", "pertandingan sepak bola malam ini", "x"],
        labels,
        "test",
    )
    found = fold_leakage(test, seen)
    assert found == {"test": 3, "exact": 1, "near": 1, "near_same_hate_label": 1}


def test_pooled_corpora_fill_only_what_each_annotates(data_dir: Path) -> None:
    from siaga.detect.toxicity.pooled import AB, HS, READERS, read_pooled, without

    counts = {name: READERS[name](data_dir) for name in ("aulia2019", "news-comments-2019",
                                                          "netifier")}
    aulia, news, netifier = counts.values()
    assert len(aulia) == 906 and int((aulia.labels[:, HS] == 1).sum()) == 229
    assert (aulia.labels[:, AB] == -1).all()  # the Facebook posts say nothing of abuse
    # News comments: 3 = abusive and offensive -> hate; 2 or 3 -> abusive.
    assert int((news.labels[:, HS] == 1).sum()) == 285
    assert int((news.labels[:, AB] == 1).sum()) == 285 + 110
    # Netifier: SARA is hate; a text marked only as defamation is left unannotated.
    assert int((netifier.labels[:, HS] == 1).sum()) == 1124 + 114
    assert (netifier.labels[:, HS] == -1).any() and (netifier.labels[:, 2:] == -1).all()
    pooled = read_pooled(data_dir, ("aulia2019", "netifier"))
    assert len(pooled) == len(aulia) + len(netifier)
    kept = without(pooled, aulia.texts[:50])
    assert len(kept) <= len(pooled) - 50 and not set(aulia.texts[:50]) & set(kept.texts)
