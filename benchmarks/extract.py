"""Benchmark: the extractor against a naive name scan, on real tweets, in the same run.

The extractor finds region names through its phrase index (a few set look-ups per word). The
baseline does what one writes first: lowercase the text and test `name in text` for every name
the gazetteer knows (91,599 regions: provinces, regencies, districts, villages), which finds
names (and many false substrings) but resolves nothing; a second baseline scans only the
7,837 province, regency and district names. All run on one core over the 13,169 tweets of the
Ibrohim 2019 data set (the extractor on all of them, best of three rounds; the baselines on the
first tweets, as they are slow). Also reported: the time to build the national gazetteer from
the data files and to load it from the cache.

Quality, on text the extractor never learnt from: the held-out test parts of two Indonesian NER
corpora (idner-news test, IndoBERTweet formal and informal tests; the ordinary-word list is built
from their training parts only). Location tags stand in for the missing gold regions:
`precision` is the share of region mentions lying on words tagged as a location; `recall` the
share of location spans whose words are a name in the gazetteer that a mention covers.
Prints JSON.
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
from siaga.detect.extract.words import split_words

TWEETS = "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv"
NEWS_TEST = "text/ner/idner-news/test.txt"
TWEET_TESTS = (
    "text/ner/indobertweet-tweets/test_formal.txt",
    "text/ner/indobertweet-tweets/test_informal.txt",
)
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


Sentence = tuple[list[str], list[bool]]
"""Tokens of a held-out sentence, and per token whether it is tagged as a location."""


def _news_sentences(path: Path) -> list[Sentence]:
    """Return the sentences of a CoNLL file (token POS TAG, blank line between sentences)."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[bool] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if len(parts) >= 3:
            tokens.append(parts[0])
            tags.append(parts[-1].endswith("LOC"))
        elif tokens:
            sentences.append((tokens, tags))
            tokens, tags = [], []
    return sentences


def _tweet_sentences(path: Path) -> list[Sentence]:
    """Return the tweets of a word/TAG file, one tweet a line."""
    sentences: list[Sentence] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        pairs = [item.rpartition("/") for item in line.split()]
        tokens = [token for token, _slash, _tag in pairs if token]
        tags = [tag == "LOCATION" for token, _slash, tag in pairs if token]
        if tokens:
            sentences.append((tokens, tags))
    return sentences


def _location_spans(sentence: Sentence) -> list[str]:
    """Return each run of location tokens as lowercase words joined by spaces."""
    spans: list[str] = []
    run: list[str] = []
    for token, is_location in [*zip(*sentence, strict=True), ("", False)]:
        if is_location:
            run.append(token)
        elif run:
            spans.append(" ".join(split_words(" ".join(run)).words))
            run = []
    return [span for span in spans if span]


def _covers(outer: str, inner: str) -> bool:
    return f" {inner} " in f" {outer} "


def _location_check(extractor: Extractor, sentences: list[Sentence]) -> dict[str, Any]:
    """Return precision and recall proxies of region mentions against location tags."""
    index = extractor.data.regions.index.values
    mentions = correct = findable = found = 0
    for sentence in sentences:
        spans = _location_spans(sentence)
        matched = [r.matched for r in extractor.extract(" ".join(sentence[0])).regions]
        mentions += len(matched)
        correct += sum(any(_covers(s, m) or _covers(m, s) for s in spans) for m in matched)
        gazetteer_spans = [s for s in spans if s.replace(" ", "") in index]
        findable += len(gazetteer_spans)
        found += sum(any(_covers(s, m) or _covers(m, s) for m in matched) for s in gazetteer_spans)
    return {
        "sentences": len(sentences),
        "region_mentions": mentions,
        "precision": round(correct / mentions, 3) if mentions else None,
        "location_spans_in_gazetteer": findable,
        "recall": round(found / findable, 3) if findable else None,
    }


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
        "held_out_news": _location_check(extractor, _news_sentences(data_dir / NEWS_TEST)),
        "held_out_tweets": _location_check(
            extractor, [s for p in TWEET_TESTS for s in _tweet_sentences(data_dir / p)]
        ),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
