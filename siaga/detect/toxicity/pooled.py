"""The other shared toxicity corpora, mapped onto the Ibrohim (2019) label columns.

Each corpus annotates a different notion, so only what it says is filled in; every other
column is -1 (not annotated), which the heads and stackers skip:

- `aulia2019` (Facebook posts): `label` 1 is hate speech.
- `news-comments-2019` (news comments, 2019): 1 not abusive, 2 abusive but not offensive,
  3 abusive and offensive; abusive is 2 or 3, hate speech is 3 (an insult aimed at someone).
- `netifier` (forum and social posts, train and test files): `sara` is hate speech against a
  group; a text marked only as defamation (`pencemaran_nama_baik`) is left unannotated for
  hate, since Ibrohim's hate speech also covers attacks on one person.
- `ibrohim2018` (tweets): abusive only.
- `javanese`, `sundanese` (tweets in those languages): `uk` abusive, `hs` hate speech.

Texts that are duplicates (after `duplicate_key`) of an evaluation text are removed by the
caller, so pooling never leaks a test text into training.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from siaga.datafiles.problems import DataFileError
from siaga.detect.toxicity.datasets import IBROHIM2018, LabelledTexts, read_ibrohim2018
from siaga.detect.toxicity.labels import COLUMNS

AULIA = "text/aulia2019-facebook-hate-speech/data/dataset.csv"
NEWS_COMMENTS = ("text/news-comments-abusive-2019/"
                 "Abusive Language Detection on Indonesian Online News Comments Dataset .xlsx")
NETIFIER = ("text/netifier-toxicity/data/raw/train.csv", "text/netifier-toxicity/data/raw/test.csv")
JAVANESE = "text/javanese-sundanese-abusive/Javanese.csv"
SUNDANESE = "text/javanese-sundanese-abusive/Sundanese.csv"
HS, AB = COLUMNS.index("HS"), COLUMNS.index("Abusive")

# The corpora pooled with Ibrohim (2019) by default, and the files each is read from.
POOLED_FILES: dict[str, tuple[str, ...]] = {
    "aulia2019": (AULIA,),
    "news-comments-2019": (NEWS_COMMENTS,),
    "netifier": NETIFIER,
    "ibrohim2018": (IBROHIM2018,),
    "javanese": (JAVANESE,),
    "sundanese": (SUNDANESE,),
}


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    if not path.is_file():
        raise DataFileError(path, "not found; is SIAGA_DATA_DIR the shared data folder?")
    with path.open(encoding=encoding, newline="") as handle:
        return [{k: v or "" for k, v in row.items()} for row in csv.DictReader(handle)]


def _matrix(n: int, hate: Iterable[int] | None, abusive: Iterable[int] | None) -> np.ndarray:
    labels = np.full((n, len(COLUMNS)), -1, dtype=np.int8)
    if hate is not None:
        labels[:, HS] = np.fromiter(hate, dtype=np.int8, count=n)
    if abusive is not None:
        labels[:, AB] = np.fromiter(abusive, dtype=np.int8, count=n)
    return labels


def read_aulia(data_dir: Path) -> LabelledTexts:
    """Return the Aulia & Budi (2019) Facebook posts: hate speech (label 1) or not."""
    rows = _rows(data_dir / AULIA)
    hate = [int(r["label"].strip() == "1") for r in rows]
    return LabelledTexts([r["text"] for r in rows], _matrix(len(rows), hate, None), "aulia2019")


def read_news_comments(data_dir: Path) -> LabelledTexts:
    """Return the 2019 news comments: abusive (label 2 or 3), hate speech (label 3)."""
    from openpyxl import load_workbook

    path = data_dir / NEWS_COMMENTS
    if not path.is_file():
        raise DataFileError(path, "not found; is SIAGA_DATA_DIR the shared data folder?")
    rows = load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    header = [str(c) for c in next(rows)]
    if header[:2] != ["Kalimat", "label"]:
        raise DataFileError(path, f"expected columns Kalimat, label; found {header}")
    pairs = [(str(r[0] or ""), int(r[1] or 1)) for r in rows if r[0] is not None]
    texts, codes = [p[0] for p in pairs], [p[1] for p in pairs]
    labels = _matrix(len(texts), (int(c == 3) for c in codes), (int(c >= 2) for c in codes))
    return LabelledTexts(texts, labels, "news-comments-2019")


def read_netifier(data_dir: Path) -> LabelledTexts:
    """Return Netifier's train and test posts: hate speech = `sara` (defamation-only: unknown)."""
    rows = [r for relative in NETIFIER for r in _rows(data_dir / relative)]
    hate = [1 if r["sara"] == "1" else (-1 if r["pencemaran_nama_baik"] == "1" else 0)
            for r in rows]
    return LabelledTexts([r["original_text"] for r in rows], _matrix(len(rows), hate, None),
                         "netifier")


def _regional(relative: str, name: str) -> Callable[[Path], LabelledTexts]:
    def read(data_dir: Path) -> LabelledTexts:
        rows = _rows(data_dir / relative, "latin-1")
        labels = _matrix(len(rows), (int(r["hs"] == "1") for r in rows),
                         (int(r["uk"] == "1") for r in rows))
        return LabelledTexts([r["isi_tweet"] for r in rows], labels, name)
    return read


READERS: dict[str, Callable[[Path], LabelledTexts]] = {
    "aulia2019": read_aulia,
    "news-comments-2019": read_news_comments,
    "netifier": read_netifier,
    "ibrohim2018": read_ibrohim2018,
    "javanese": _regional(JAVANESE, "javanese"),
    "sundanese": _regional(SUNDANESE, "sundanese"),
}


def concat(parts: Iterable[LabelledTexts], source: str) -> LabelledTexts:
    """Return the texts and label rows of several sets, one after another."""
    parts = list(parts)
    texts = [t for p in parts for t in p.texts]
    labels = np.vstack([p.labels for p in parts]) if parts else np.zeros((0, len(COLUMNS)))
    return LabelledTexts(texts, labels.astype(np.int8), source)


def without(data: LabelledTexts, excluded: Iterable[str]) -> LabelledTexts:
    """Return the texts of `data` whose duplicate key is not among those of `excluded`."""
    from siaga.detect.toxicity.leakage import duplicate_key

    keys = {duplicate_key(t) for t in excluded}
    keep = np.array([duplicate_key(t) not in keys for t in data.texts], dtype=bool)
    return LabelledTexts([t for t, k in zip(data.texts, keep, strict=True) if k],
                         data.labels[keep], data.source)


def read_pooled(data_dir: Path, names: Iterable[str]) -> LabelledTexts:
    """Return the named corpora (keys of READERS) as one labelled set."""
    return concat((READERS[name](data_dir) for name in names), "pooled")
