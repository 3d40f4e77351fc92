"""The real-text dev set: label file, text cache checks, rebuild from answers, figures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from siaga.detect.devset import (
    COLUMNS,
    LABELS_FILE,
    DevsetError,
    load_devset,
    read_labels,
    sha256_text,
)
from siaga.detect.devset.evaluate import evaluate_devset, split_figures
from siaga.detect.devset.rebuild import lookups, rebuild_cache

TEXTS = {
    "q001r01p1": "Warga melaporkan bagi-bagi amplop berisi uang kepada pemilih.",
    "q001r02p1": "KPU menggelar debat publik kedua pasangan calon bupati.",
    "q002r01p1": "Massa pendukung paslon bentrok di depan kantor KPU.",
}
CATEGORIES_OF = {
    "q001r01p1": "money_politics",
    "q001r02p1": "none",
    "q002r01p1": "violence_intimidation;mass_mobilization",
}


def _write_labels(path: Path, texts: dict[str, str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for pid, text in texts.items():
            writer.writerow({
                "id": pid, "url": f"https://example.org/{pid[:7]}", "sha256": sha256_text(text),
                "length": len(text), "split": "test" if pid.startswith("q002") else "dev",
                "query": f"look-up {pid[1:4]}", "categories": CATEGORIES_OF[pid],
                "regions": "15.02", "agencies": "KPU", "pairs": "", "attack_target": "",
                "attack_source": "",
            })  # fmt: skip
    return path


def _write_cache(folder: Path, texts: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "passages.jsonl").open("w", encoding="utf-8") as handle:
        for pid, text in texts.items():
            handle.write(json.dumps({"id": pid, "url": "u", "text": text}) + "\n")


def test_loader_joins_labels_and_texts(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    _write_cache(tmp_path / "cache", TEXTS)
    passages = load_devset(tmp_path / "cache", labels)
    assert [p.label.id for p in passages] == list(TEXTS)
    clash = passages[2]
    assert clash.label.categories == ("violence_intimidation", "mass_mobilization")
    assert clash.flags[5] == 1 and clash.flags[6] == 1 and sum(clash.flags) == 2
    assert passages[1].label.categories == () and sum(passages[1].flags) == 0


def test_loader_names_missing_and_altered_passages(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    cache = dict(TEXTS)
    del cache["q001r02p1"]
    cache["q002r01p1"] = TEXTS["q002r01p1"].replace("bentrok", "berkumpul")
    _write_cache(tmp_path / "cache", cache)
    with pytest.raises(DevsetError) as caught:
        load_devset(tmp_path / "cache", labels)
    message = str(caught.value)
    assert "1 missing (q001r02p1)" in message
    assert "1 altered" in message and "q002r01p1" in message
    assert "q001r01p1" not in message


def test_loader_says_how_to_get_a_missing_cache(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    with pytest.raises(DevsetError, match=r"no dev-set text cache at .*passages\.jsonl"):
        load_devset(tmp_path / "nowhere", labels)


def test_bad_label_row_names_its_line(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    rows = labels.read_text(encoding="utf-8").replace("money_politics", "money")
    labels.write_text(rows, encoding="utf-8")
    with pytest.raises(DevsetError, match=r"line 2: bad categories 'money'"):
        read_labels(labels)


def test_rebuild_cuts_passages_from_answers_and_reports_changes(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    answers = tmp_path / "cache" / "answers"
    answers.mkdir(parents=True)
    results = []
    for pid, text in TEXTS.items():
        excerpt = "Judul berita\n" + text
        results.append({
            "rank": int(pid[5:7]), "url": f"https://example.org/{pid[:7]}", "excerpt": excerpt,
            "passages": [{"id": pid, "start": 13, "end": len(excerpt)}],
        })  # fmt: skip
    answer = {"n": 1, "query": "q", "corpus": "pages", "results": results}
    (answers / "001.json").write_text(json.dumps(answer), encoding="utf-8")
    check = rebuild_cache(tmp_path / "cache", labels)
    assert check.ok
    assert len(load_devset(tmp_path / "cache", labels)) == 3
    results[0]["excerpt"] = results[0]["excerpt"].replace("amplop", "ampop")
    results[0]["passages"][0]["end"] -= 1
    del results[1]
    (answers / "001.json").write_text(json.dumps(answer), encoding="utf-8")
    check = rebuild_cache(tmp_path / "cache", labels)
    assert check.missing == ("q001r02p1",) and check.altered == ("q001r01p1",)


def test_split_figures_by_hand() -> None:
    truth = [
        frozenset({"money_politics"}), frozenset({"money_politics", "hoax"}), frozenset(),
        frozenset(), frozenset({"hoax"}),
    ]  # fmt: skip
    given = [
        frozenset({"money_politics"}), frozenset({"hoax"}), frozenset({"money_politics"}),
        frozenset(), frozenset(),
    ]  # fmt: skip
    figures = split_figures(truth, given)
    money = figures["categories"]["money_politics"]  # type: ignore[index]
    assert (money["precision"], money["recall"], money["support"]) == (0.5, 0.5, 2)
    hoax = figures["categories"]["hoax"]  # type: ignore[index]
    assert (hoax["precision"], hoax["recall"], hoax["f1"]) == (1.0, 0.5, 0.6667)
    assert figures["categories"]["participation"]["support"] == 0  # type: ignore[index]
    # micro: 2 hits of 3 given and 4 true -> P 0.6667, R 0.5, F1 0.5714
    assert (figures["micro_precision"], figures["micro_recall"]) == (0.6667, 0.5)
    assert figures["micro_f1"] == 0.5714
    assert (figures["none_passages"], figures["none_clean_share"]) == (2, 0.5)


def test_evaluate_devset_splits_and_ignores_unknown_labels(tmp_path: Path) -> None:
    labels = _write_labels(tmp_path / "labels.csv", TEXTS)
    _write_cache(tmp_path / "cache", TEXTS)
    passages = load_devset(tmp_path / "cache", labels)
    answers = {
        TEXTS["q001r01p1"]: ["money_politics", "not_a_category"],
        TEXTS["q001r02p1"]: ["logistics_admin"],
        TEXTS["q002r01p1"]: ["violence_intimidation"],
    }
    figures = evaluate_devset(lambda texts: [answers[t] for t in texts], passages)
    dev, test = figures["dev"], figures["test"]
    assert dev["passages"] == 2 and test["passages"] == 1  # type: ignore[index]
    assert dev["micro_precision"] == 0.5 and dev["none_clean_share"] == 0.0  # type: ignore[index]
    assert test["micro_recall"] == 0.5 and test["micro_precision"] == 1.0  # type: ignore[index]


def test_committed_labels_are_whole() -> None:
    labels = read_labels(LABELS_FILE)
    assert len(labels) >= 100
    split_of: dict[str, str] = {}
    for label in labels:
        assert split_of.setdefault(label.url, label.split) == label.split, label.url
        assert len(label.sha256) == 64 and label.length > 0
    assert {lookup.number for lookup in lookups(labels)} == {int(x.id[1:4]) for x in labels}


def test_evaluate_command_reports_a_missing_cache_without_failing(tmp_path: Path) -> None:
    from siaga.cli.model import _devset_figures

    figures = _devset_figures(tmp_path, None, tmp_path)
    assert set(figures) == {"error"}
    assert str(tmp_path / "devset" / "passages.jsonl") in str(figures["error"])


def test_labels_of_flags_keeps_category_order() -> None:
    import numpy as np

    from siaga.detect.devset.evaluate import labels_of_flags

    flags = np.zeros((2, 10), dtype=bool)
    flags[0, 0] = flags[0, 9] = True
    assert labels_of_flags(flags) == [["money_politics", "participation"], []]
