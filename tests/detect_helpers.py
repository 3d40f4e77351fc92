"""Helpers shared by the detection tests: real texts of the shared data, written as inputs."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from siaga.detect.toxicity.datasets import read_ibrohim2019


def real_tweets(data_dir: Path, count: int, start: int = 0) -> list[str]:
    """Return `count` tweets of the Ibrohim (2019) corpus from row `start` on (read, not copied)."""
    return read_ibrohim2019(data_dir).texts[start:start + count]


def write_jsonl(path: Path, records: Iterable[object]) -> Path:
    """Write one JSON value per line (a record, or a raw string written as is)."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
