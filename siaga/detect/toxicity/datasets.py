"""Readers for the labelled text corpora and lexicons in the shared data directory.

Every file of the Ibrohim family is latin-1 (it is not valid UTF-8). Labels are an int8 matrix
with one column per entry of `labels.LABELS`; -1 marks a label the corpus does not annotate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from siaga.datafiles.problems import DataFileError
from siaga.detect.toxicity.labels import COLUMNS, FOLDS

SPLITS_DIR = "text/indobertweet-hs1-splits/data"
IBROHIM2019 = "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv"
IBROHIM2019_SLANG = "text/ibrohim2019-multilabel-hate-speech/new_kamusalay.csv"
IBROHIM2019_ABUSIVE_WORDS = "text/ibrohim2019-multilabel-hate-speech/abusive.csv"
IBROHIM2018 = "text/ibrohim2018-abusive/re_dataset_two_labels.csv"
COLLOQUIAL = "text/colloquial-lexicon/colloquial-indonesian-lexicon.csv"
PARTS = ("train", "dev", "test")

LabelMatrix = npt.NDArray[np.int8]


@dataclass(frozen=True)
class LabelledTexts:
    """Texts with a label matrix (rows = texts, columns = `LABELS`, -1 = not annotated)."""

    texts: list[str]
    labels: LabelMatrix
    source: str

    def __len__(self) -> int:
        return len(self.texts)

    def column(self, index: int) -> npt.NDArray[np.int8]:
        """Return one label column (0/1, or -1 where not annotated)."""
        return self.labels[:, index]


@dataclass(frozen=True)
class Fold:
    """One fold of the IndoBERTweet HS1 benchmark: train, dev (model choice) and test."""

    number: int
    train: LabelledTexts
    dev: LabelledTexts
    test: LabelledTexts


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DataFileError(path, "not found; is SIAGA_DATA_DIR the shared data folder?")
    return pd.read_csv(path, encoding="latin-1", keep_default_na=False)


def _ibrohim_frame(frame: pd.DataFrame, source: str, path: Path) -> LabelledTexts:
    missing = [c for c in ("Tweet", *COLUMNS) if c not in frame.columns]
    if missing:
        raise DataFileError(path, f"missing columns {missing}")
    labels = frame[list(COLUMNS)].to_numpy(dtype=np.int8)
    return LabelledTexts([str(t) for t in frame["Tweet"]], labels, source)


def read_split(data_dir: Path, fold: int, part: str) -> LabelledTexts:
    """Return one part ('train', 'dev' or 'test') of one benchmark fold (0-4)."""
    if part not in PARTS or not 0 <= fold < FOLDS:
        raise ValueError(f"no split {part}{fold}")
    path = data_dir / SPLITS_DIR / f"{part}{fold}.csv"
    return _ibrohim_frame(_read_csv(path), f"indobertweet-hs1/{part}{fold}", path)


def read_fold(data_dir: Path, fold: int) -> Fold:
    """Return the train, dev and test parts of one benchmark fold."""
    train, dev, test = (read_split(data_dir, fold, part) for part in PARTS)
    return Fold(fold, train, dev, test)


def read_ibrohim2019(data_dir: Path) -> LabelledTexts:
    """Return the whole Ibrohim & Budi (2019) corpus: 13,169 tweets, all twelve labels."""
    path = data_dir / IBROHIM2019
    return _ibrohim_frame(_read_csv(path), "ibrohim2019", path)


def read_ibrohim2018(data_dir: Path) -> LabelledTexts:
    """Return the Ibrohim & Budi (2018) tweets, annotated for `abusive` only (2 = abusive)."""
    path = data_dir / IBROHIM2018
    frame = _read_csv(path)
    labels = np.full((len(frame), len(COLUMNS)), -1, dtype=np.int8)
    labels[:, COLUMNS.index("Abusive")] = (frame["Label"].astype(int) == 2).to_numpy()
    return LabelledTexts([str(t) for t in frame["Tweet"]], labels, "ibrohim2018")


def read_abusive_words(data_dir: Path) -> frozenset[str]:
    """Return the Ibrohim (2019) list of abusive words and phrases, lower-cased."""
    path = data_dir / IBROHIM2019_ABUSIVE_WORDS
    if not path.is_file():
        raise DataFileError(path, "not found")
    lines = path.read_text("latin-1").splitlines()[1:]  # the first line is the header
    return frozenset(line.strip().lower() for line in lines if line.strip())


def read_colloquial_lexicon(data_dir: Path) -> dict[str, str]:
    """Return slang -> standard word, from the colloquial lexicon, then the Ibrohim slang list.

    Only single-word slang is kept, and the first mapping of a slang form wins; forms that
    map to themselves are dropped.
    """
    lexicon: dict[str, str] = {}
    frame = _read_csv(data_dir / COLLOQUIAL)
    pairs = list(zip(frame["slang"], frame["formal"], strict=True))
    path = data_dir / IBROHIM2019_SLANG
    if not path.is_file():
        raise DataFileError(path, "not found")
    with path.open(encoding="latin-1", newline="") as handle:
        pairs += [(row[0], row[1]) for row in csv.reader(handle) if len(row) >= 2]
    for slang, formal in pairs:
        key, value = str(slang).strip().lower(), str(formal).strip().lower()
        if key and value and " " not in key and key != value:
            lexicon.setdefault(key, value)
    return lexicon
