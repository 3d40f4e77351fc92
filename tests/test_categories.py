"""The election-risk category classifier: lexicons, the project's labelled set, model, cache."""

from __future__ import annotations

import csv
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from siaga.datafiles.problems import DataFileError
from siaga.detect.categories import cache
from siaga.detect.categories.corpora import CORPORA, read_corpus
from siaga.detect.categories.evaluate import average_precision, evaluate_model, split_labels
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.labelset import REAL_LABELS, read_real_labels
from siaga.detect.categories.lexicon import LEXICON_DIR, LexiconError, load_lexicon
from siaga.detect.categories.model import CategoryConfig, CategoryModel
from siaga.detect.categories.stems import word_forms
from siaga.detect.categories.train import train_category_model
from siaga.detect.toxicity.normalise import normalise_tweet


def _label_lines() -> list[dict[str, str]]:
    with REAL_LABELS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_label_row_resolves_to_a_real_text(data_dir: Path) -> None:
    labelled = read_real_labels(data_dir)
    lines = _label_lines()
    assert len(labelled) == len(lines) and len(set(labelled.keys)) == len(lines)
    for (name, row), text, line in zip(labelled.keys, labelled.texts, lines, strict=True):
        assert (name, str(row)) == (line["dataset"], line["row"])
        assert text == read_corpus(data_dir, name)[row] and text.strip()
    assert labelled.flags.shape == (len(lines), len(CATEGORIES))


def test_labels_never_hold_the_text() -> None:
    assert list(_label_lines()[0]) == ["dataset", "row", "check", *CATEGORIES]


def test_changed_or_missing_data_is_reported_precisely(data_dir: Path, tmp_path: Path) -> None:
    lines = _label_lines()
    bad = tmp_path / "labels.csv"
    with bad.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(lines[0]))
        writer.writeheader()
        writer.writerows([lines[0], {**lines[1], "check": "0000000000"}])
    with pytest.raises(DataFileError, match=r"labels\.csv:3: .*not the labelled text"):
        read_real_labels(data_dir, bad)
    with pytest.raises(DataFileError, match="not found"):
        read_real_labels(tmp_path / "empty", REAL_LABELS)


def test_pratiwi_news_reader_keeps_multi_line_articles_whole(
    data_dir: Path, tmp_path: Path
) -> None:
    texts = read_corpus(data_dir, "pratiwi2017")
    assert len(texts) == 600  # the 600-article release; a split line would add rows
    assert sum("\n" in t for t in texts) > 100 and min(len(t) for t in texts) > 200
    assert texts[0].startswith("Jakarta, Di jejaring sosial") and "lele" in texts[0]
    copy = tmp_path / "data"
    relative = CORPORA["pratiwi2017"].relative
    (copy / relative).parent.mkdir(parents=True)
    (copy / relative).write_text('"isi";tagging\n"teks";Valid\n', encoding="latin-1")
    with pytest.raises(DataFileError, match="berita"):
        read_corpus(copy, "pratiwi2017")
    (copy / relative).write_bytes(b'berita;tagging\n"Baris satu\nbaris \xe9 dua";Hoax\n')
    assert read_corpus(copy, "pratiwi2017") == ("Baris satu\nbaris \u00e9 dua",)


def test_held_out_part_is_disjoint_from_training(data_dir: Path) -> None:
    training, held_out = split_labels(data_dir)
    assert len(held_out) > 0 and len(training) > len(held_out)
    assert not set(training.keys) & set(held_out.keys)
    seen = {normalise_tweet(t) for t in training.texts}
    assert not any(normalise_tweet(t) in seen for t in held_out.texts)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Warga dibagi-bagikan amplop jelang pencoblosan", "money_politics"),
        ("awas nyerang fajar malam ini", "money_politics"),
        ("timses bagi-bagi sembako di kampung", "money_politics"),
        ("stop money politic!!", "money_politics"),
        ("dikasih uang transport 50rb buat datang", "money_politics"),
        ("ASN tidak netral di kabupaten ini", "asn_neutrality"),
        ("Pak Kades terang-terangan mendukung paslon nomor 1", "asn_neutrality"),
        ("dasar cina kafir", "hate_sara"),
        ("itu berita hoaks, jangan disebar", "hoax"),
        ("jangan percaya, itu kabar bohong", "hoax"),
        ("capresnya anak PKI", "black_campaign"),
        ("massa bentrok, pendukung dipukuli dan motornya dibakar", "violence_intimidation"),
        ("dia ngancam bakal ngebakar rumah saksi", "violence_intimidation"),
        ("ribuan massa konvoi ke kantor KPU", "mass_mobilization"),
        ("surat suara kurang di TPS 05", "logistics_admin"),
        ("banjir merendam desa, petugas KPPS kelelahan", "disaster_health"),
        ("ayo jangan golput, gunakan hak pilih", "participation"),
    ],
)
def test_lexicon_matches_affixed_and_colloquial_forms(text: str, category: str) -> None:
    lexicon = load_lexicon()
    decided = lexicon.rule_labels(lexicon.features([text]))[0]
    assert decided[CATEGORIES.index(category)], lexicon.explain(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Pilkada di Kabupaten Merangin berjalan lancar", "violence_intimidation"),
        ("harga cabai naik lagi di pasar", "money_politics"),
        ("selamat pagi semuanya", "participation"),
    ],
)
def test_lexicon_does_not_fire_on_unrelated_words(text: str, category: str) -> None:
    lexicon = load_lexicon()
    assert not lexicon.rule_labels(lexicon.features([text]))[0, CATEGORIES.index(category)]


def test_lexicon_counts_phrases_and_near_rules_and_pickles_without_its_caches() -> None:
    lexicon = load_lexicon()
    texts = [
        "kasih amplop",  # weak "amplop"; near rule: "kasih" within 6 tokens of "amplop"
        "kasih warga warga warga warga warga warga amplop",  # 7 tokens apart: no near rule
        "serangan fajar",  # two strong phrases: "serangan fajar" and "serang fajar"
        "fajar serangan",  # the phrase's words, in the wrong order
        "serangan",  # the first word alone
    ]
    first = CATEGORIES.index("money_politics") * 3  # its strong, weak and near columns
    rows = lexicon.features(texts)
    money = rows[:, first : first + 3]
    assert money.tolist() == [[0, 1, 1], [0, 1, 0], [2, 0, 0], [0, 0, 0], [0, 0, 0]]
    assert all(np.array_equal(lexicon.counts(t), row) for t, row in zip(texts, rows, strict=True))
    # The token caches are not pickled (a stored model stays small) and refill on use.
    copy = pickle.loads(pickle.dumps(lexicon))
    assert not copy._seen and not copy._starters and not copy._following
    assert np.array_equal(copy.features(texts), rows)


def test_word_forms_peel_affixes() -> None:
    assert {"bagi"} <= word_forms("dibagi-bagikan")
    assert {"serang"} <= word_forms("nyerang") and {"pukul"} <= word_forms("memukuli")
    assert {"coblos"} <= word_forms("nyoblos") and {"kampanye"} <= word_forms("ngampanye")
    assert "serang" not in word_forms("perang")


@pytest.fixture(scope="module")
def trained(data_dir: Path) -> tuple[CategoryModel, dict[str, object]]:
    training, held_out = split_labels(data_dir)
    model = train_category_model(training, load_lexicon())
    return model, evaluate_model(model, held_out)


def test_model_beats_chance_on_held_out(
    trained: tuple[CategoryModel, dict[str, object]], data_dir: Path
) -> None:
    model, figures = trained
    _, held_out = split_labels(data_dir)
    proba = model.predict_proba(held_out.texts)
    checked = 0
    for j, name in enumerate(CATEGORIES):
        truth = held_out.flags[:, j]
        if truth.sum() < 8 or not model.learned[j]:
            continue
        checked += 1
        # a random ranking's average precision is the prevalence
        assert average_precision(proba[:, j], truth) > truth.mean(), name
    assert checked >= 3
    assert set(figures["model"]) == set(CATEGORIES) == set(figures["lexicon_only"])  # type: ignore[call-overload]


def test_predict_proba_shape_range_and_labels(
    trained: tuple[CategoryModel, dict[str, object]], data_dir: Path
) -> None:
    model, _ = trained
    texts = [*read_corpus(data_dir, "ibrohim2019")[:50], "", "a" * 20_000]
    proba = model.predict_proba(texts)
    assert proba.shape == (len(texts), len(CATEGORIES))
    assert np.all((proba >= 0) & (proba <= 1)) and np.isfinite(proba).all()
    assert model.predict_proba([]).shape == (0, len(CATEGORIES))
    labels = model.labels(proba)
    for row, keys in zip(proba, labels, strict=True):
        assert keys == [c for j, c in enumerate(CATEGORIES) if row[j] >= model.thresholds[j]]
    strong = model.predict_proba(["dasar cina kafir, usir cina dari negeri ini"])
    weak = model.predict_proba(["selamat pagi, semoga harimu menyenangkan"])
    sara = CATEGORIES.index("hate_sara")
    assert strong[0, sara] > weak[0, sara]


def test_long_text_ngrams_read_a_window_and_the_lexicon_reads_all(
    trained: tuple[CategoryModel, dict[str, object]]
) -> None:
    model, _ = trained
    from siaga.detect.categories.model import NGRAM_CHARS, featurise

    filler = "warga desa berkumpul di balai untuk rapat rutin bulanan " * 80
    assert len(filler) > NGRAM_CHARS
    tail = " dasar cina kafir, usir cina dari negeri ini"
    grams, lexical = featurise(model.lexicon, [filler, filler + tail], model.config)
    width = grams.shape[1] - lexical.shape[1] - len(CATEGORIES)  # n-gram columns come first
    # Past the window the n-grams are the same; the lexicon still sees the words at the end.
    assert (grams[0, :width] != grams[1, :width]).nnz == 0
    assert lexical[1].sum() > lexical[0].sum()


def _copy_corpora(data_dir: Path, target: Path) -> Path:
    for corpus in CORPORA.values():
        (target / corpus.relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(data_dir / corpus.relative, target / corpus.relative)
    return target


def test_cache_trains_once_then_reuses(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cache.ensure_cached_category_model(tmp_path, data_dir)
    second = cache.ensure_cached_category_model(tmp_path, data_dir)
    assert first.trained and not second.trained and first.path == second.path
    assert first.path.parent == tmp_path / "models" and first.path.name.startswith("categories-")
    texts = ["warga dibagi amplop", "banjir di desa"]
    np.testing.assert_allclose(
        first.model.predict_proba(texts), second.model.predict_proba(texts), rtol=1e-6
    )
    assert isinstance(cache.ensure_category_model(tmp_path, data_dir), CategoryModel)
    other = cache.model_path(tmp_path, data_dir, CategoryConfig(c=0.5))
    assert other != first.path
    monkeypatch.setattr(cache, "CODE_VERSION", "test")
    assert cache.model_path(tmp_path, data_dir) != first.path


def test_cache_key_follows_the_data(data_dir: Path, tmp_path: Path) -> None:
    copy = _copy_corpora(data_dir, tmp_path / "data")
    key = cache.cache_key(copy, CategoryConfig())
    assert key == cache.cache_key(data_dir, CategoryConfig())
    with (copy / CORPORA["ibrohim2018"].relative).open("a", encoding="latin-1") as handle:
        handle.write('1,"tambahan"\n')
    assert cache.cache_key(copy, CategoryConfig()) != key


def test_cli_evaluate_categories_json(data_dir: Path, tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "SIAGA_HOME": str(tmp_path), "SIAGA_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "model", "evaluate", "--benchmark", "categories", "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["benchmark"] == "categories" and figures["held_out_texts"] > 0
    for part in ("model", "lexicon_only"):
        assert set(figures[part]) == set(CATEGORIES)
        for row in figures[part].values():
            assert {"precision", "recall", "f1", "support"} <= set(row)
            assert 0 <= row["precision"] <= 1 and 0 <= row["recall"] <= 1
    assert figures["texts_per_second"] > 0


def _copy_lexicons(folder: Path) -> None:
    for path in LEXICON_DIR.glob("*.yaml"):
        shutil.copy(path, folder / path.name)


def test_bad_lexicon_file_is_named(tmp_path: Path) -> None:
    _copy_lexicons(tmp_path)
    (tmp_path / "hoax.yaml").write_text("category: hoax\nstrong: hoaks\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"hoax\.yaml: 'strong' must be a list"):
        load_lexicon(tmp_path)
    (tmp_path / "hoax.yaml").unlink()
    with pytest.raises(LexiconError, match=r"hoax\.yaml: lexicon of category 'hoax' not found"):
        load_lexicon(tmp_path)


def test_lexicon_that_is_not_yaml_is_named_with_its_line(tmp_path: Path) -> None:
    _copy_lexicons(tmp_path)
    (tmp_path / "hoax.yaml").write_text("category: hoax\nstrong: [hoaks,\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"hoax\.yaml:3: not valid YAML"):
        load_lexicon(tmp_path)


# --- reading sentence by sentence, evidence, looked-for-not-found (written by the project) ---

# A news-register passage: a long neutral report with one sentence about money politics.
NEWS_FILLER = (
    "Komisi Pemilihan Umum Kabupaten Merangin menggelar rapat koordinasi bersama pemerintah "
    "daerah di aula kantor bupati pada Senin pagi. Rapat itu dihadiri camat, kepala dinas dan "
    "perwakilan partai politik dari seluruh kecamatan. Ketua KPU menyampaikan jadwal tahapan "
    "yang tersisa hingga hari pemungutan suara. Para peserta juga membahas kesiapan gedung "
    "dan kendaraan untuk kegiatan pekan depan."
)
MONEY_SENTENCE = ("Seorang warga melaporkan tim sukses paslon nomor urut 2 membagikan amplop "
                  "berisi uang dan sembako kepada warga desa agar memilih pasangan itu.")


def test_split_sentences_joins_short_pieces() -> None:
    from siaga.detect.categories.sentences import split_sentences, units_of

    text = ("Bangko. Ketua KPU hadir di rapat itu pagi tadi.\nSemua tahapan berjalan lancar "
            "dan aman menurut panitia. Foto: Ist.")
    assert split_sentences(text) == [
        "Bangko. Ketua KPU hadir di rapat itu pagi tadi.",
        "Semua tahapan berjalan lancar dan aman menurut panitia. Foto: Ist.",
    ]
    assert units_of("pendek saja. dua kalimat.") == []  # a short text stays whole
    assert len(units_of(NEWS_FILLER + " " + MONEY_SENTENCE)) == 5


def test_long_text_is_read_by_sentence_and_returns_the_evidence(
    trained: tuple[CategoryModel, dict[str, object]]
) -> None:
    model, _ = trained
    money = CATEGORIES.index("money_politics")
    text = NEWS_FILLER + " " + MONEY_SENTENCE
    reading = model.read([text, NEWS_FILLER])
    # The money sentence alone decides the category; the whole passage dilutes it.
    whole = model.unit_scores([text])[0, money]
    assert reading.proba[0, money] > whole
    assert "money_politics" in reading.labels[0]
    assert reading.evidence[0]["money_politics"] == MONEY_SENTENCE
    assert "money_politics" not in reading.labels[1] and reading.evidence[1] == {}
    short = model.read([MONEY_SENTENCE])
    assert short.evidence[0].get("money_politics") == MONEY_SENTENCE  # its own evidence


def test_a_risk_looked_for_and_not_found_keeps_its_label_and_is_flagged(
    trained: tuple[CategoryModel, dict[str, object]]
) -> None:
    from siaga.detect.categories.sentences import says_not_found

    model, _ = trained
    clear = ("Bawaslu Merangin tidak menemukan praktik politik uang maupun bagi-bagi amplop "
             "selama masa tenang Pilkada 2024.")
    reading = model.read([clear, MONEY_SENTENCE])
    assert "money_politics" in reading.labels[0]
    assert reading.not_found == [["money_politics"], []]
    assert says_not_found("Hasil patroli pengawasan nihil, tidak ada laporan politik uang.")
    assert not says_not_found("Tidak ada yang menyangka tim sukses membagikan amplop.")
