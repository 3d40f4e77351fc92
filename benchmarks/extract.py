"""Benchmark: the extractor against a naive name scan, on real tweets, in the same run.

The extractor finds region names through its phrase index (a few set look-ups per word). The
baseline does what one writes first: lowercase the text and test `name in text` for every name
the gazetteer knows (91,599 regions: provinces, regencies, districts, villages), which finds
names (and many false substrings) but resolves nothing; a second baseline scans only the
7,837 province, regency and district names. All run on one core over the 13,169 tweets of the
Ibrohim 2019 data set (the extractor on all of them, best of three rounds; the baselines on the
first tweets, as they are slow). Also reported: the time to build the national gazetteer from
the data files and to load it from the cache. Prints JSON.
Run: `SIAGA_DATA_DIR=/work/shared/data .venv/bin/python benchmarks/extract.py`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.detect.extract import Extractor
from siaga.detect.extract.build import compile_data

TWEETS = "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv"
ROUNDS = 3
BASELINE_SAMPLE = 300


def _tweets(data_dir: Path) -> list[str]:
    with (data_dir / TWEETS).open(encoding="latin-1", newline="") as handle:
        return [row["Tweet"] for row in csv.DictReader(handle)]


def _timed_extract(extractor: Extractor, texts: list[str]) -> tuple[float, int]:
    """Return (best seconds over ROUNDS, region mentions found) for extracting every text."""
    best, found = float("inf"), 0
    for _round in range(ROUNDS):
        start = time.perf_counter()
        found = sum(len(extractor.extract(text).regions) for text in texts)
        best = min(best, time.perf_counter() - start)
    return best, found


def _naive(names: list[str], texts: list[str]) -> tuple[float, int]:
    """Return (seconds, names found) of the per-name substring scan."""
    start = time.perf_counter()
    found = 0
    for text in texts:
        lower = text.lower()
        found += sum(1 for name in names if name in lower)
    return time.perf_counter() - start, found


def main() -> dict[str, Any]:
    """Run the benchmark and return its figures."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))
    texts = _tweets(data_dir)
    start = time.perf_counter()
    compile_data(data_dir)
    build_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as cache:
        Extractor.from_data_dir(data_dir, Path(cache))  # fills the cache
        start = time.perf_counter()
        extractor = Extractor.from_data_dir(data_dir, Path(cache))
        load_seconds = time.perf_counter() - start
    seconds, regions = _timed_extract(extractor, texts)
    gaz = extractor.data.regions
    names = [
        " ".join(name.lower().replace("kabupaten ", "").replace("kota ", "").split())
        for name in gaz.names
    ]
    upper = [name for name, level in zip(names, gaz.levels, strict=True) if level < 3]
    sample = texts[:BASELINE_SAMPLE]
    all_seconds, all_found = _naive(names, sample)
    upper_seconds, upper_found = _naive(upper, sample)
    ours_rate = len(texts) / seconds
    all_rate, upper_rate = len(sample) / all_seconds, len(sample) / upper_seconds
    return {
        "texts": len(texts),
        "gazetteer_regions": len(gaz.codes),
        "build_seconds": round(build_seconds, 2),
        "cache_load_seconds": round(load_seconds, 3),
        "extractor_texts_per_second": round(ours_rate),
        "extractor_region_mentions": regions,
        "baseline": "per-name `in` scan of the lowercased text",
        "baseline_texts": len(sample),
        "baseline_all_names": len(names),
        "baseline_all_texts_per_second": round(all_rate, 1),
        "baseline_all_raw_hits": all_found,
        "baseline_upper_names": len(upper),
        "baseline_upper_texts_per_second": round(upper_rate, 1),
        "baseline_upper_raw_hits": upper_found,
        "speedup_vs_all_names": round(ours_rate / all_rate, 1),
        "speedup_vs_upper_names": round(ours_rate / upper_rate, 1),
        "rounds": ROUNDS,
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
