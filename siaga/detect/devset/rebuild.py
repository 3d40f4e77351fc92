"""Rebuild the dev set's text cache from saved look-up answers, and list the look-ups.

An answer file (`<devset dir>/answers/<n>.json`) keeps what one look-up in the stored public
pages returned for the results that were used: `{"n", "query", "corpus", "results": [{"rank",
"url", "excerpt", "passages": [{"id", "start", "end"}]}]}`, where `excerpt` is the result's
excerpt (from its start up to the end of the last passage used) and each passage is
`excerpt[start:end]`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from siaga.detect.devset import (
    LABELS_FILE,
    PASSAGES_FILE,
    CacheCheck,
    DevLabel,
    DevsetError,
    check_texts,
    read_labels,
)

ANSWERS = "answers"


@dataclass(frozen=True)
class Lookup:
    """One look-up to make: its answer number, corpus and query."""

    number: int
    corpus: str
    query: str


def lookups(labels: list[DevLabel]) -> list[Lookup]:
    """Return the look-ups behind the labelled passages, in answer order (a passage id
    `qNNNr..` comes from answer NNN)."""
    found: dict[int, Lookup] = {}
    for label in labels:
        number = int(label.id[1:4])
        found.setdefault(number, Lookup(number, "pages", label.query))
    return [found[n] for n in sorted(found)]


def passages_of_answer(path: Path) -> list[dict[str, str]]:
    """Return the passages {id, url, text} that one answer file's offsets cut out."""
    try:
        answer = json.loads(path.read_text(encoding="utf-8"))
        rows = []
        for result in answer["results"]:
            excerpt = result["excerpt"]
            for cut in result["passages"]:
                start, end = int(cut["start"]), int(cut["end"])
                if not 0 <= start < end <= len(excerpt):
                    raise DevsetError(f"passage {cut['id']}: offsets {start}..{end} out of range")
                rows.append({"id": cut["id"], "url": result["url"], "text": excerpt[start:end]})
    except (ValueError, KeyError, TypeError) as exc:
        raise DevsetError(f"{path}: not a look-up answer ({exc})") from exc
    return rows


def rebuild_cache(devset_dir: Path, labels_file: Path = LABELS_FILE) -> CacheCheck:
    """Write `devset_dir/passages.jsonl` (atomically) from the answer files, keeping only
    labelled passages, and return what is missing or altered against the labels."""
    labels = read_labels(labels_file)
    wanted = {label.id: label for label in labels}
    answer_files = sorted((devset_dir / ANSWERS).glob("*.json"))
    if not answer_files:
        raise DevsetError(f"no look-up answers under {devset_dir / ANSWERS}")
    texts: dict[str, str] = {}
    rows = []
    for path in answer_files:
        for row in passages_of_answer(path):
            label = wanted.get(row["id"])
            if label is None or row["id"] in texts or row["url"] != label.url:
                continue
            texts[row["id"]] = row["text"]
            rows.append(row)
    _write_atomically(devset_dir / PASSAGES_FILE, rows)
    return check_texts(labels, texts)


def _write_atomically(target: Path, rows: list[dict[str, str]]) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".passages-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
