"""The project's labelled set: category flags for real texts, kept by dataset and row only.

`labels/real.csv` has the columns dataset, row, check, then one 0/1 column per category.
`check` is the first 10 hex digits of the SHA-1 of the text as read, so a changed or
reordered data file is caught row by row instead of silently training on other texts.
`labels/project_written.csv` holds short texts the project wrote itself (text + flags): they
may help training but never count in evaluation.

The held-out part is fixed by a hash of the normalised text (about 30%): duplicates of one
text, which the corpora contain, always fall on the same side.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from siaga.datafiles.problems import DataFileError
from siaga.detect.categories.corpora import CORPORA, read_corpus
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.toxicity.normalise import normalise_tweet

LABEL_DIR = Path(__file__).parent / "labels"
REAL_LABELS = LABEL_DIR / "real.csv"
PROJECT_LABELS = LABEL_DIR / "project_written.csv"
HELD_OUT_PERCENT = 30
_SPLIT_SALT = "siaga-categories-split-v1"

Flags = npt.NDArray[np.int8]


def text_check(text: str) -> str:
    """Return the 10-hex-digit fingerprint stored with a label to detect changed data."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def is_held_out(text: str) -> bool:
    """Return whether a text belongs to the fixed held-out part (about 30% of texts)."""
    digest = hashlib.sha1(f"{_SPLIT_SALT}:{normalise_tweet(text)}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


@dataclass(frozen=True)
class LabelledSet:
    """Texts with a (n, 10) 0/1 flag matrix; `keys` are (dataset, row) or ("project", line)."""

    keys: list[tuple[str, int]]
    texts: list[str]
    flags: Flags

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, mask: npt.NDArray[np.bool_]) -> LabelledSet:
        """Return the rows where mask is true."""
        where = np.flatnonzero(mask)
        return LabelledSet(
            [self.keys[i] for i in where], [self.texts[i] for i in where], self.flags[where]
        )

    def concat(self, other: LabelledSet) -> LabelledSet:
        """Return this set followed by another."""
        return LabelledSet(
            self.keys + other.keys, self.texts + other.texts, np.vstack([self.flags, other.flags])
        )

    def held_out_mask(self) -> npt.NDArray[np.bool_]:
        """Return which rows are in the held-out part."""
        return np.array([is_held_out(t) for t in self.texts], dtype=bool)


def _flags(row: dict[str, str], where: str) -> list[int]:
    values = []
    for name in CATEGORIES:
        value = (row.get(name) or "").strip()
        if value not in ("0", "1"):
            raise DataFileError(where, f"column {name!r} must be 0 or 1, found {value!r}")
        values.append(int(value))
    return values


def _header(reader: csv.DictReader[str], path: Path, first: tuple[str, ...]) -> None:
    expected = [*first, *CATEGORIES]
    if reader.fieldnames != expected:
        raise DataFileError(path, f"expected columns {expected}, found {reader.fieldnames}")


def read_real_labels(data_dir: Path, path: Path = REAL_LABELS) -> LabelledSet:
    """Return the labelled real texts, read from SIAGA_DATA_DIR by dataset and row.

    Raises DataFileError naming the label file line when a dataset is unknown or missing, a
    row is out of range, or the text at a row no longer has the stored fingerprint.
    """
    keys, texts, flags = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _header(reader, path, ("dataset", "row", "check"))
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            name = row["dataset"]
            if name not in CORPORA:
                raise DataFileError(where, f"unknown dataset {name!r}; known: {list(CORPORA)}")
            corpus = read_corpus(data_dir, name)
            index = int(row["row"])
            if not 0 <= index < len(corpus):
                raise DataFileError(where, f"row {index} not in {name} ({len(corpus)} rows)")
            if text_check(corpus[index]) != row["check"]:
                raise DataFileError(
                    where, f"{name} row {index} is not the labelled text (data file changed?)"
                )
            keys.append((name, index))
            texts.append(corpus[index])
            flags.append(_flags(row, where))
    return LabelledSet(keys, texts, np.array(flags, dtype=np.int8).reshape(-1, len(CATEGORIES)))


def read_project_labels(path: Path = PROJECT_LABELS) -> LabelledSet:
    """Return the project's own example texts (training only, never evaluation)."""
    keys, texts, flags = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        _header(reader, path, ("text",))
        for line, row in enumerate(reader, start=2):
            keys.append(("project", line))
            texts.append(row["text"])
            flags.append(_flags(row, f"{path}:{line}"))
    return LabelledSet(keys, texts, np.array(flags, dtype=np.int8).reshape(-1, len(CATEGORIES)))
