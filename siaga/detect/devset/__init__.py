"""The real-text dev set: hand labels of real election passages, joined with their texts.

Only the labels are in the repository (`labels.csv`: id, URL, SHA-256 and length of each
passage, its split and its labels). The texts live in a local cache outside it,
`<devset dir>/passages.jsonl` (one JSON object per line: id, url, text), rebuilt by
`scripts/devset_rebuild.py` from the saved look-up answers. See docs/categories.md,
"Real-text dev set".
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.labels import CATEGORIES

LABELS_FILE = Path(__file__).with_name("labels.csv")
PASSAGES_FILE = "passages.jsonl"
SPLITS = ("dev", "test")
NONE = "none"
COLUMNS = (
    "id", "url", "sha256", "length", "split", "query", "categories", "regions", "agencies",
    "pairs", "attack_target", "attack_source",
)  # fmt: skip


class DevsetError(ValueError):
    """A dev-set label file or text cache that cannot be used; the message says what to do."""


@dataclass(frozen=True)
class DevLabel:
    """One labelled passage as `labels.csv` holds it (no text)."""

    id: str
    url: str
    sha256: str
    length: int
    split: str
    query: str
    categories: tuple[str, ...]
    regions: tuple[str, ...]
    agencies: tuple[str, ...]
    pairs: tuple[str, ...]
    attack_target: tuple[str, ...]
    attack_source: tuple[str, ...]


@dataclass(frozen=True)
class DevPassage:
    """A labelled passage with its text."""

    label: DevLabel
    text: str

    @property
    def flags(self) -> list[int]:
        """Return the passage's ten 0/1 category flags, in CATEGORIES order."""
        return [int(name in self.label.categories) for name in CATEGORIES]


@dataclass(frozen=True)
class CacheCheck:
    """What a text cache holds against the labels: missing ids and altered passages."""

    missing: tuple[str, ...]
    altered: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Return whether every labelled passage is present and unaltered."""
        return not self.missing and not self.altered


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of a passage's UTF-8 bytes (what `labels.csv` records)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parts(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(";") if part)


def _label_of(row: dict[str, str], where: str) -> DevLabel:
    categories = _parts(row["categories"])
    unknown = [c for c in categories if c not in CATEGORIES and c != NONE]
    if unknown or not categories or (NONE in categories and len(categories) > 1):
        raise DevsetError(f"{where}: bad categories {row['categories']!r}")
    if row["split"] not in SPLITS:
        raise DevsetError(f"{where}: split must be dev or test, not {row['split']!r}")
    return DevLabel(
        id=row["id"], url=row["url"], sha256=row["sha256"], length=int(row["length"]),
        split=row["split"], query=row["query"],
        categories=tuple(c for c in categories if c != NONE),
        regions=_parts(row["regions"]), agencies=_parts(row["agencies"]),
        pairs=_parts(row["pairs"]), attack_target=_parts(row["attack_target"]),
        attack_source=_parts(row["attack_source"]),
    )  # fmt: skip


def read_labels(path: Path = LABELS_FILE) -> list[DevLabel]:
    """Return every label of `labels.csv`; a bad row fails with its file and line."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise DevsetError(f"{path}: columns must be {','.join(COLUMNS)}")
        labels, seen = [], set()
        for line, row in enumerate(reader, start=2):
            where = f"{path} line {line}"
            try:
                label = _label_of(row, where)
            except (KeyError, ValueError) as exc:
                raise DevsetError(f"{where}: {exc}") from exc
            if label.id in seen:
                raise DevsetError(f"{where}: duplicate id {label.id}")
            seen.add(label.id)
            labels.append(label)
    return labels


def read_texts(cache_file: Path) -> dict[str, str]:
    """Return {id: text} of a passages.jsonl cache; a bad line fails with its number."""
    texts = {}
    with cache_file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                texts[str(row["id"])] = str(row["text"])
            except (ValueError, KeyError, TypeError) as exc:
                raise DevsetError(f"{cache_file} line {number}: not a passage ({exc})") from exc
    return texts


def check_texts(labels: Iterable[DevLabel], texts: dict[str, str]) -> CacheCheck:
    """Return which labelled passages are missing from `texts` and which differ from the
    recorded SHA-256 or length."""
    missing, altered = [], []
    for label in labels:
        text = texts.get(label.id)
        if text is None:
            missing.append(label.id)
        elif len(text) != label.length or sha256_text(text) != label.sha256:
            altered.append(label.id)
    return CacheCheck(tuple(missing), tuple(altered))


def _listed(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def load_devset(devset_dir: Path, labels_file: Path = LABELS_FILE) -> list[DevPassage]:
    """Return every labelled passage joined with its text from `devset_dir/passages.jsonl`.

    Fails with a `DevsetError` naming the cache file when it is missing, and naming the
    passages whose text is missing or does not match its recorded SHA-256 and length.
    """
    cache_file = devset_dir / PASSAGES_FILE
    if not cache_file.is_file():
        raise DevsetError(
            f"no dev-set text cache at {cache_file}: rebuild it with "
            "`python scripts/devset_rebuild.py` or set SIAGA_DEVSET_DIR to a folder holding "
            f"{PASSAGES_FILE}"
        )
    labels = read_labels(labels_file)
    texts = read_texts(cache_file)
    check = check_texts(labels, texts)
    if not check.ok:
        problems = []
        if check.missing:
            problems.append(f"{len(check.missing)} missing ({_listed(check.missing)})")
        if check.altered:
            problems.append(
                f"{len(check.altered)} altered, SHA-256 or length differ ({_listed(check.altered)})"
            )
        raise DevsetError(f"dev-set cache {cache_file}: " + "; ".join(problems))
    return [DevPassage(label, texts[label.id]) for label in labels]


def flags_of(passages: Sequence[DevPassage]) -> npt.NDArray[np.int8]:
    """Return the (n, 10) 0/1 truth matrix of passages, in CATEGORIES order."""
    flags = np.array([p.flags for p in passages], dtype=np.int8)
    return flags.reshape(len(passages), len(CATEGORIES))


def default_devset_dir(home: Path, configured: Path | None) -> Path:
    """Return the dev-set cache folder: the configured one, else `home/devset`."""
    return configured if configured is not None else home / "devset"
