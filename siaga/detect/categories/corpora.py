"""Readers of the real text corpora in the shared data, addressed by dataset name and row.

The project's labels name a text only by (dataset, row): the text itself stays in
SIAGA_DATA_DIR and is never copied into the repository. A row is the 0-based index of a data
record in the file, in file order, after the header.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from siaga.datafiles.problems import DataFileError

TEXT = "text"


def _csv_column(path: Path, column: str, encoding: str, delimiter: str = ",") -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise DataFileError(path, f"expected a column {column!r}, found {reader.fieldnames}")
        return [str(row[column] or "") for row in reader]


def _article(title: str, body: str) -> str:
    """Return the title and body of a blog post (the body is a Python-list string of paragraphs)."""
    body = body.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1].replace('","', "\n").strip('"')
    return f"{title.strip()}\n{body}"


def _stance2018(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return [_article(r["Judul Artikel"] or "", r["Isi Artikel"] or "") for r in reader]


def _stance2016(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [_article(r["title"] or "", r["content"] or "") for r in csv.DictReader(handle)]


def _news_comments(path: Path) -> list[str]:
    from openpyxl import load_workbook  # imported here: only this corpus needs it

    book = load_workbook(io.BytesIO(path.read_bytes()), read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [str(c) for c in next(rows)]
    if "Kalimat" not in header:
        raise DataFileError(path, f"expected a column 'Kalimat', found {header}")
    where = header.index("Kalimat")
    return [
        "" if r[where] is None else str(r[where]) for r in rows if any(c is not None for c in r)
    ]


def _pratiwi2017(path: Path) -> list[str]:
    """Return the news texts of the 600-article hoax set (latin-1, ';', multi-line quoted)."""
    with path.open(encoding="latin-1", newline="") as handle:
        reader = csv.reader(handle, delimiter=";")
        header = next(reader, None)
        if header is None or not header or header[0].strip() != "berita":
            raise DataFileError(path, f"expected a first column 'berita', found {header}")
        return [row[0] if row else "" for row in reader]


@dataclass(frozen=True)
class Corpus:
    """One labelled-text source: its file under the data directory and how to read its texts."""

    name: str
    relative: str
    read: Callable[[Path], list[str]]
    licence: str


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus(
            "ibrohim2019",
            f"{TEXT}/ibrohim2019-multilabel-hate-speech/re_dataset.csv",
            lambda p: _csv_column(p, "Tweet", "latin-1"),
            "CC BY-NC-SA 4.0",
        ),
        Corpus(
            "ibrohim2018",
            f"{TEXT}/ibrohim2018-abusive/re_dataset_two_labels.csv",
            lambda p: _csv_column(p, "Tweet", "latin-1"),
            "CC BY-NC-SA 4.0",
        ),
        Corpus(
            "news-comments-2019",
            f"{TEXT}/news-comments-abusive-2019/"
            "Abusive Language Detection on Indonesian Online News Comments Dataset .xlsx",
            _news_comments,
            "CC BY-SA 4.0 (per NusaCrowd)",
        ),
        Corpus(
            "netifier-train",
            f"{TEXT}/netifier-toxicity/data/raw/train.csv",
            lambda p: _csv_column(p, "original_text", "utf-8"),
            "CC BY-NC-SA 4.0 (per NusaCrowd)",
        ),
        Corpus(
            "netifier-test",
            f"{TEXT}/netifier-toxicity/data/raw/test.csv",
            lambda p: _csv_column(p, "original_text", "utf-8"),
            "CC BY-NC-SA 4.0 (per NusaCrowd)",
        ),
        Corpus(
            "aulia2019",
            f"{TEXT}/aulia2019-facebook-hate-speech/data/dataset.csv",
            lambda p: _csv_column(p, "text", "utf-8"),
            "none stated (research use)",
        ),
        Corpus(
            "stance2018",
            f"{TEXT}/stance-political-figures/dataset_stance_2_label_2018_building_by_rini.csv",
            _stance2018,
            "CC BY-NC-SA 4.0",
        ),
        Corpus(
            "stance2016",
            f"{TEXT}/stance-political-figures/dataset_stance_3_label_2016_building_by_cakra.csv",
            _stance2016,
            "CC BY-NC-SA 4.0",
        ),
        Corpus(
            "pratiwi2017",
            f"{TEXT}/pratiwi2017-hoax-news/news600.csv",
            _pratiwi2017,
            "CC BY 4.0",
        ),
    )
}


def corpus_path(data_dir: Path, name: str) -> Path:
    """Return the file a named corpus is read from."""
    if name not in CORPORA:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(CORPORA)}")
    return data_dir / CORPORA[name].relative


@lru_cache(maxsize=32)
def _cached(path: Path, size: int, mtime: float, name: str) -> tuple[str, ...]:
    return tuple(CORPORA[name].read(path))


def read_corpus(data_dir: Path, name: str) -> tuple[str, ...]:
    """Return every text of a named corpus, in file order (row i is element i)."""
    path = corpus_path(data_dir, name)
    if not path.is_file():
        raise DataFileError(path, f"dataset {name!r} not found; is SIAGA_DATA_DIR the shared data?")
    stat = path.stat()
    return _cached(path, stat.st_size, stat.st_mtime, name)
