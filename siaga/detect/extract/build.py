"""Build the extractor's compiled data from the data directory, and cache it.

Building reads the 2025 and 2023 code lists and the Pilkada 2024 pairs through the project's
readers (about five seconds for the whole country); the result is pickled under the cache
directory, named by the SHA-256 of every input file, so a changed data file means a rebuild and
an unchanged one a load of well under a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from siaga.datafiles.manifest import sha256_of
from siaga.datafiles.problems import DataFileError
from siaga.detect.extract.agencies import AGENCIES, CAPITALS_ONLY, ROLES
from siaga.detect.extract.gazetteer import RegionGazetteer, build_regions
from siaga.detect.extract.ordinary import ambiguous_names
from siaga.detect.extract.pairs import PairGazetteer, build_pairs
from siaga.detect.extract.phrases import PhraseIndex
from siaga.detect.extract.places import AMBIGUOUS_PLACE_NAMES, REGENCY_CAPITALS, SHORT_NAMES
from siaga.detect.extract.terms import Term, build_terms
from siaga.domain.elections import CandidatePair
from siaga.domain.regions import Region
from siaga.elections.pilkada import PAIRS_FILE, read_pairs
from siaga.regions.codelist import (
    CODE_LIST_FILES,
    CURRENT_VINTAGE,
    ELECTION_VINTAGE,
    map_vintage,
    read_code_list,
)

FORMAT_VERSION = 8
"""Bumped whenever the compiled form changes, so older cache files are not read."""
REQUIRED_FILES = (
    CODE_LIST_FILES[CURRENT_VINTAGE],
    CODE_LIST_FILES[ELECTION_VINTAGE],
    PAIRS_FILE,
)
STOPWORDS_FILE = "text/stopwords/stopwords-iso/stopwords-id.txt"
# Only the training parts: the test parts are kept for measuring the extractor (benchmarks/).
NEWS_NER_FILES = tuple(f"text/ner/idner-news/{part}.txt" for part in ("train", "dev"))
TWEET_NER_FILES = tuple(f"text/ner/indobertweet-tweets/{part}.txt" for part in ("train", "dev"))
TPS_COUNTS_FILE = "polling-stations/kawalpemilu_tps_per_village.json"
OPTIONAL_FILES = (STOPWORDS_FILE, *NEWS_NER_FILES, *TWEET_NER_FILES, TPS_COUNTS_FILE)
MIN_ORDINARY_USES = 2
"""A word of the NER corpora counts as ordinary when tagged outside any name this many times
and at least four times as often as inside one."""

_ORDINARY = """air alam anak baru barat batu bukit damai gunung harapan indah jaya kampung karya
kota lama maju makmur merdeka muara mulya padang pantai pasar rantau sari sejahtera selatan
senang simpang sungai tanjung tengah teluk timur utara lubuk mekar sentosa bahagia lestari
subur tani bangun mandiri"""
ORDINARY_WORDS = frozenset(_ORDINARY.split())
"""Ordinary words that are also frequent village or district names (beside the stopword list
and the standard words of the colloquial lexicon, when those files are present)."""


@dataclass
class Compiled:
    """Everything the extractor needs, ready to pickle."""

    regions: RegionGazetteer
    pairs: PairGazetteer
    terms: PhraseIndex[Term]
    common: frozenset[str]
    skipped_rows: int
    ambiguous: frozenset[str] = frozenset()
    """Province and regency names (keys of the region index) that are also ordinary words
    ('serang', 'batu', 'agam'): see `siaga.detect.extract.ordinary.ambiguous_names`."""
    tps_numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """KPU village code (10 digits) -> [n] or [n, first, last]: regular TPS 1..n, special
    TPS first..last (KawalPemilu's Pemilu 2024 list); empty when the file is absent."""


def _require(data_dir: Path, relative: str) -> Path:
    path = data_dir / relative
    if not path.is_file():
        raise DataFileError(path, "file not found: the extractor needs it (see `siaga data check`)")
    return path


def _regions(path: Path) -> tuple[list[Region], int]:
    kept, skipped = [], 0
    for item in read_code_list(path):
        if isinstance(item, Region):
            kept.append(item)
        else:
            skipped += 1
    return kept, skipped


def _common_words(data_dir: Path) -> frozenset[str]:
    """Return ordinary words: the built-in list, stopwords, and words the NER corpora tag as
    outside names (the colloquial lexicon is no help here: its standard forms include places)."""
    words = set(ORDINARY_WORDS)
    stopwords = data_dir / STOPWORDS_FILE
    if stopwords.is_file():
        words.update(line.strip().lower() for line in stopwords.open(encoding="utf-8"))
    words.update(_ner_ordinary(data_dir))
    words.discard("")
    return frozenset(words)


def _ner_tokens(data_dir: Path) -> Iterator[tuple[str, bool]]:
    """Yield (lowercase token, inside a name) from the NER corpora present in the data dir."""
    for relative in NEWS_NER_FILES:  # CoNLL lines: token POS TAG
        path = data_dir / relative
        if path.is_file():
            for line in path.open(encoding="utf-8", errors="replace"):
                parts = line.split()
                if len(parts) >= 3:
                    yield parts[0].lower(), parts[-1] != "O"
    for relative in TWEET_NER_FILES:  # one tweet a line: token/TAG token/TAG ...
        path = data_dir / relative
        if path.is_file():
            for line in path.open(encoding="utf-8", errors="replace"):
                for item in line.split():
                    token, _slash, tag = item.rpartition("/")
                    if token:
                        yield token.lower(), tag != "O"


def _ner_ordinary(data_dir: Path) -> set[str]:
    """Return words the NER corpora mostly tag as outside any name (see MIN_ORDINARY_USES)."""
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for token, named in _ner_tokens(data_dir):
        if token.isalpha():
            (inside if named else outside)[token] += 1
    return {
        word
        for word, count in outside.items()
        if count >= MIN_ORDINARY_USES and inside[word] * 4 <= count
    }


def compile_data(data_dir: Path) -> Compiled:
    """Return the compiled gazetteers built from the files of `data_dir`."""
    current, skipped = _regions(_require(data_dir, CODE_LIST_FILES[CURRENT_VINTAGE]))
    old, skipped_old = _regions(_require(data_dir, CODE_LIST_FILES[ELECTION_VINTAGE]))
    changes = map_vintage(
        {r.code: r.name for r in old}, {r.code: r.name for r in current}, ELECTION_VINTAGE
    )
    to_current = {c.code: c.current_code for c in changes if c.current_code is not None}
    to_old = {new: code for code, new in to_current.items() if new != code and len(code) == 13}
    pairs: list[CandidatePair] = []
    for item in read_pairs(_require(data_dir, PAIRS_FILE)):
        if isinstance(item, CandidatePair):
            pairs.append(item)
        else:
            skipped += 1
    regions = build_regions(current, to_old)
    common = _common_words(data_dir)
    return Compiled(
        regions,
        build_pairs(pairs, to_current),
        build_terms(),
        common,
        skipped + skipped_old,
        ambiguous=ambiguous_names(regions, common, edited_sentences(data_dir)),
        tps_numbers=_tps_numbers(data_dir / TPS_COUNTS_FILE),
    )


def edited_sentences(data_dir: Path) -> Iterator[str]:
    """Yield the sentences of the edited news text present in the data dir: the training part
    of the news NER corpus, where names are capitalised. (The hoax-news articles are not used:
    they quote viral messages that write place names in lowercase.)"""
    for relative in NEWS_NER_FILES:  # CoNLL: one token a line, a blank line between sentences
        path = data_dir / relative
        if path.is_file():
            tokens: list[str] = []
            for line in path.open(encoding="utf-8", errors="replace"):
                parts = line.split()
                if parts:
                    tokens.append(parts[0])
                elif tokens:
                    yield " ".join(tokens)
                    tokens = []
            if tokens:
                yield " ".join(tokens)


def _tps_numbers(path: Path) -> dict[str, tuple[int, ...]]:
    """Return the TPS numbering per village from KawalPemilu's list (empty when absent)."""
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["tps"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataFileError(path, f"expected a JSON object with a 'tps' map: {exc}") from exc
    return {
        str(code): tuple(int(n) for n in numbers)
        for code, numbers in raw.items()
        if isinstance(numbers, list) and numbers and all(isinstance(n, int) for n in numbers)
    }


def inputs_digest(data_dir: Path) -> str:
    """Return a SHA-256 over the format version, the hand-written tables and the checksums of
    every input file: a change to any of them means a rebuild."""
    digest = hashlib.sha256(f"extract-v{FORMAT_VERSION}".encode())
    # Sets are sorted: their order changes from one process to the next.
    tables = (REGENCY_CAPITALS, SHORT_NAMES, AGENCIES, ROLES)
    words = (sorted(CAPITALS_ONLY), sorted(ORDINARY_WORDS), sorted(AMBIGUOUS_PLACE_NAMES))
    digest.update(repr((tables, *words)).encode())
    for relative in REQUIRED_FILES + OPTIONAL_FILES:
        path = data_dir / relative
        checksum = sha256_of(path) if path.is_file() else "absent"
        digest.update(f"{relative}={checksum}\n".encode())
    return digest.hexdigest()


def load_or_compile(data_dir: Path, cache_dir: Path | None) -> Compiled:
    """Return the compiled data, from the cache when it holds a build of the same inputs."""
    if cache_dir is None:
        return compile_data(data_dir)
    for relative in REQUIRED_FILES:
        _require(data_dir, relative)
    path = cache_dir / f"extract-{inputs_digest(data_dir)[:20]}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, Compiled):
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass  # a damaged or foreign cache file is rebuilt below
    compiled = compile_data(data_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as handle:
        pickle.dump(compiled, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)
    for stale in cache_dir.glob("extract-*.pickle"):
        if stale != path:
            stale.unlink(missing_ok=True)  # built from older inputs or an older format
    return compiled
