"""Find regions by name, tolerant of administrative prefixes, spacing and spelling.

Names are reduced to keys: lowercase words without punctuation or accents, abbreviations spelled
out ('kab' -> 'kabupaten'), joined without spaces ('Muko-Muko' -> 'mukomuko'). A regency also
gets a core key without its 'Kabupaten'/'Kota' prefix, a province without 'Provinsi'/'DKI', and so
on, but only where the prefix belongs to the entry's level: the district 'Kota Mukomuko' keeps its
'Kota'. A query is reduced the same way; its leading prefix words become a hint of the kind of
region meant, which boosts the regions of that kind and excludes nothing.

Matching comes in three tiers, best first: the whole key equal, the key starting with the query,
and fuzzy similarity (rapidfuzz over all keys of a level at once, on space-free keys and on
keys with their words sorted). In the first two tiers hits agreeing with the hint come first,
then higher administrative levels, then (prefix tier) closer matches; in the fuzzy tier the
score plus a bonus for agreeing with the hint decides, then the level. Ties go to the lower code.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from siaga.domain.regions import Level, RegionCodeError, ancestors_of, is_city

FUZZY_CUTOFF = 70.0
"""Fuzzy scores below this (0..100) are not hits."""
HINT_BONUS = 10.0
"""Points a fuzzy hit gains when its kind agrees with the prefix words of the query."""
POOL_MARGIN = 10
"""Candidates gathered per level and pass beyond the number of hits asked for."""

_EXACT, _PREFIX, _FUZZY = 0, 1, 2
_LEVEL_RANK = {Level.PROVINCE: 0, Level.REGENCY: 1, Level.DISTRICT: 2, Level.VILLAGE: 3}
_NON_WORD = re.compile(r"[^0-9a-z]+")
_KEY_END = "{"  # sorts after every character a key can hold (0-9, a-z)


class _Kind(StrEnum):
    """What a prefix word says a region is; regencies split into kabupaten and kota."""

    PROVINCE = "province"
    KABUPATEN = "kabupaten"
    KOTA = "kota"
    DISTRICT = "district"
    VILLAGE = "village"


_ABBREVIATIONS = {
    "kab": "kabupaten",
    "kodya": "kota",
    "kotamadya": "kota",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "prov": "provinsi",
    "propinsi": "provinsi",
    "adm": "administrasi",
    "kep": "kepulauan",
}
# Leading word sequences naming the kind of region rather than the region, longest first, with
# the kind they hint (None: no hint) and the level of the regions whose names they may start.
_PREFIXES: tuple[tuple[tuple[str, ...], _Kind | None, Level], ...] = (
    (("kabupaten",), _Kind.KABUPATEN, Level.REGENCY),
    (("kota",), _Kind.KOTA, Level.REGENCY),
    (("administrasi",), None, Level.REGENCY),
    (("kecamatan",), _Kind.DISTRICT, Level.DISTRICT),
    (("kelurahan",), _Kind.VILLAGE, Level.VILLAGE),
    (("desa",), _Kind.VILLAGE, Level.VILLAGE),
    (("provinsi",), _Kind.PROVINCE, Level.PROVINCE),
    (("daerah", "khusus", "ibukota"), _Kind.PROVINCE, Level.PROVINCE),
    (("daerah", "khusus"), _Kind.PROVINCE, Level.PROVINCE),
    (("daerah", "istimewa"), _Kind.PROVINCE, Level.PROVINCE),
    (("dki",), _Kind.PROVINCE, Level.PROVINCE),
)
_PREFIX_STARTS = tuple(sorted({words[0] for words, _kind, _level in _PREFIXES}))


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A region as the gazetteer knows it: its current name and older names (aliases)."""

    code: str
    name: str
    level: Level
    parent_code: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One region found by `Gazetteer.search`.

    `parent_names` holds the names of the enclosing regions, nearest first; `score` is 0..100
    (100 for an exact match); `matched` is the name or alias that matched.
    """

    code: str
    name: str
    level: Level
    parent_names: tuple[str, ...]
    score: float
    matched: str


def _words(text: str) -> list[str]:
    """Return the lowercase ASCII words of a text, abbreviations spelled out, no apostrophes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = _NON_WORD.sub(" ", ascii_text.lower().replace("'", "").replace("`", ""))
    return [_ABBREVIATIONS.get(word, word) for word in cleaned.split()]


def _leading_prefix(words: Sequence[str]) -> tuple[int, _Kind | None, Level] | None:
    """Return (word count, hinted kind, level) of the prefix the words start with, if any.

    A prefix counts only when at least one word follows it.
    """
    for prefix, kind, level in _PREFIXES:
        if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
            return len(prefix), kind, level
    return None


def _sorted_words(words: Sequence[str]) -> str:
    """Return the words sorted and joined by spaces: the key for word-order-blind comparison."""
    return " ".join(sorted(words))


@dataclass(frozen=True, slots=True)
class _Variant:
    """One reading of a query: its key after stripping some prefixes, and the kinds they hint."""

    key: str
    sorted_words: str
    multiword: bool
    hints: tuple[_Kind, ...]


def _query_variants(text: str) -> list[_Variant]:
    """Return the readings of a query, the literal one first and the fully stripped one last."""
    words = _words(text)
    if not words:
        raise ValueError(f"nothing to search for in {text!r}: give (part of) a region name")
    variants = [_Variant("".join(words), _sorted_words(words), len(words) > 1, ())]
    hints: tuple[_Kind, ...] = ()
    while (found := _leading_prefix(words)) is not None:
        count, kind, _level = found
        words = words[count:]
        hints = hints if kind is None else (*hints, kind)
        variants.append(_Variant("".join(words), _sorted_words(words), len(words) > 1, hints))
    return variants


def _entry_kind(entry: GazetteerEntry) -> _Kind:
    """Return the kind of an entry: its level, with regencies told apart as kabupaten or kota."""
    if entry.level is not Level.REGENCY:
        return _Kind(entry.level.value)
    words = _words(entry.name)
    if words and words[0] in (_Kind.KABUPATEN, _Kind.KOTA):
        return _Kind(words[0])
    try:
        return _Kind.KOTA if is_city(entry.code) else _Kind.KABUPATEN
    except (RegionCodeError, IndexError, ValueError):
        return _Kind.KABUPATEN


def _entry_keys(text: str, level: Level) -> list[tuple[list[str], bool]]:
    """Return the word lists to index for one name: the whole name, then it without prefixes.

    Only prefixes belonging to the level are dropped: a district keeps the 'Kota' of 'Kota
    Mukomuko'. The flag is True for the last list when its key still begins like a prefix word.
    """
    words = _words(text)
    found: list[tuple[list[str], bool]] = [(words, False)]
    while (prefix := _leading_prefix(words)) is not None and prefix[2] is level:
        words = words[prefix[0] :]
        found.append((words, False))
    last, _flag = found[-1]
    found[-1] = (last, "".join(last).startswith(_PREFIX_STARTS))
    return found


class _Choices:
    """Distinct key strings of one level, sorted, each with the entries (and texts) owning it."""

    def __init__(self, owners: dict[str, dict[int, str]]) -> None:
        self.strings = sorted(owners)
        self.owners = [tuple(owners[s].items()) for s in self.strings]
        self.position = {s: i for i, s in enumerate(self.strings)}
        self.lengths = [len(s) for s in self.strings]

    def exact(self, key: str) -> tuple[tuple[int, str], ...]:
        """Return the (entry index, text) pairs whose key equals `key`."""
        found = self.position.get(key)
        return () if found is None else self.owners[found]

    def prefixed(self, key: str, pool: int) -> list[int]:
        """Return positions of up to `pool` of the shortest strings that start with `key`."""
        low = bisect.bisect_right(self.strings, key)
        high = bisect.bisect_left(self.strings, key + _KEY_END, low)
        if high - low <= pool:
            return list(range(low, high))
        return heapq.nsmallest(pool, range(low, high), key=self.lengths.__getitem__)

    def similar(self, key: str, pool: int) -> list[tuple[int, float]]:
        """Return (position, score) of up to `pool` strings most like `key` (fuzz.ratio)."""
        if not self.strings:
            return []
        found = process.extract(
            key,
            self.strings,
            scorer=fuzz.ratio,
            processor=None,
            limit=pool,
            score_cutoff=FUZZY_CUTOFF,
        )
        return [(int(position), float(score)) for _string, score, position in found]


def _add(owners: dict[str, dict[int, str]], key: str, entry: int, text: str) -> None:
    """Record that `entry` owns `key` through `text`; the first text recorded is kept."""
    if key:
        owners.setdefault(key, {}).setdefault(entry, text)


class _LevelIndex:
    """The keys of all entries of one level, ready for exact, prefix and fuzzy lookup.

    `plain` holds the space-free keys, `lead` those of them that begin like a prefix word without
    having lost one ('kotamukomuko' of a district, 'kotabaru'), `sorted` the multi-word keys
    with their words sorted.
    """

    def __init__(self, level: Level, names: Iterable[tuple[int, Iterable[str]]]) -> None:
        plain: dict[str, dict[int, str]] = {}
        lead: dict[str, dict[int, str]] = {}
        by_sorted_words: dict[str, dict[int, str]] = {}
        for entry, texts in names:
            for text in texts:
                for words, leads in _entry_keys(text, level):
                    key = "".join(words)
                    _add(plain, key, entry, text)
                    if leads:
                        _add(lead, key, entry, text)
                    if len(words) > 1:
                        _add(by_sorted_words, _sorted_words(words), entry, text)
        self.plain, self.lead, self.sorted = (
            _Choices(plain),
            _Choices(lead),
            _Choices(by_sorted_words),
        )


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A region found while searching, with the rank it would take."""

    rank: tuple[int, float, int, float, str]
    entry: int
    score: float
    matched: str


class _Collector:
    """Gathers the best candidate per entry for one query."""

    def __init__(self, entries: Sequence[GazetteerEntry], kinds: Sequence[_Kind]) -> None:
        self.entries, self.kinds = entries, kinds
        self.best: dict[int, _Candidate] = {}

    def offer(
        self, owners: Iterable[tuple[int, str]], tier: int, score: float, variant: _Variant
    ) -> None:
        """Consider every (entry, text) pair as a hit of this tier, score and query reading."""
        for entry, text in owners:
            self._offer_one(entry, text, tier, score, variant)

    def _offer_one(self, entry: int, text: str, tier: int, score: float, variant: _Variant) -> None:
        """Keep this hit for the entry if it ranks better than the one kept so far."""
        kind = self.kinds[entry]
        agrees = all(hint is kind for hint in variant.hints)
        primary = HINT_BONUS * agrees + (score if tier == _FUZZY else 0.0)
        item = self.entries[entry]
        rank = (tier, -primary, _LEVEL_RANK[item.level], -score, item.code)
        current = self.best.get(entry)
        if current is None or rank < current.rank:
            self.best[entry] = _Candidate(rank, entry, score, text)

    def ranked(self, limit: int) -> list[_Candidate]:
        """Return the best `limit` candidates, best first."""
        return heapq.nsmallest(limit, self.best.values(), key=lambda c: c.rank)


class Gazetteer:
    """An in-memory index of region names (current names and aliases); see `search`.

    `entries` holds the entries given (the first one per code), `names` maps code -> name.
    """

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries: list[GazetteerEntry] = []
        self.names: dict[str, str] = {}
        for entry in entries:
            if entry.code not in self.names:
                self.entries.append(entry)
                self.names[entry.code] = entry.name
        self._kinds = [_entry_kind(entry) for entry in self.entries]
        self._levels = {level: _LevelIndex(level, self._names_of(level)) for level in Level}

    def _names_of(self, level: Level) -> list[tuple[int, tuple[str, ...]]]:
        """Return (entry index, distinct names and aliases) of every entry of the level."""
        return [
            (index, tuple(dict.fromkeys((entry.name, *entry.aliases))))
            for index, entry in enumerate(self.entries)
            if entry.level is level
        ]

    def __len__(self) -> int:
        """Return the number of regions held."""
        return len(self.entries)

    def search(self, text: str, limit: int = 10, level: Level | None = None) -> list[SearchHit]:
        """Return up to `limit` regions whose name or alias matches `text`, best first.

        Only regions of `level` are considered when it is given; a `limit` below 1 gives an
        empty list. Raise ValueError when `text` holds no letters or digits.
        """
        variants = _query_variants(text)
        if limit < 1:
            return []
        indexes = [self._levels[level]] if level is not None else list(self._levels.values())
        pool = limit + POOL_MARGIN
        found = _Collector(self.entries, self._kinds)
        for index in indexes:
            _exact_and_prefix(found, index, variants, pool)
        if len(found.best) < limit:
            for index in indexes:
                _fuzzy(found, index, variants, pool)
        return [self._hit(candidate) for candidate in found.ranked(limit)]

    def parent_names(self, code: str) -> tuple[str, ...]:
        """Return the names of the regions enclosing `code` that are held, nearest first."""
        return tuple(self.names[c] for c in ancestors_of(code) if c in self.names)

    def _hit(self, candidate: _Candidate) -> SearchHit:
        entry = self.entries[candidate.entry]
        score = max(0.0, min(100.0, round(candidate.score, 1)))
        return SearchHit(
            entry.code,
            entry.name,
            entry.level,
            self.parent_names(entry.code),
            score,
            candidate.matched,
        )


def _exact_and_prefix(
    found: _Collector, index: _LevelIndex, variants: list[_Variant], pool: int
) -> None:
    """Offer the keys of one level equal to, or starting with, any reading of the query."""
    for variant in variants:
        found.offer(index.plain.exact(variant.key), _EXACT, 100.0, variant)
        for position in index.plain.prefixed(variant.key, pool):
            score = float(fuzz.ratio(variant.key, index.plain.strings[position]))
            found.offer(index.plain.owners[position], _PREFIX, score, variant)


def _fuzzy(found: _Collector, index: _LevelIndex, variants: list[_Variant], pool: int) -> None:
    """Offer the keys of one level most similar to the query.

    The fully stripped reading is compared with every key, space-free and with sorted words; the
    readings that keep prefix words only with names that themselves start with such a word.
    """
    core = variants[-1]
    passes: list[tuple[_Choices, str, _Variant]] = [(index.plain, core.key, core)]
    if core.multiword:
        passes.append((index.sorted, core.sorted_words, core))
    passes.extend((index.lead, variant.key, variant) for variant in variants[:-1])
    for choices, key, variant in passes:
        for position, score in choices.similar(key, pool):
            found.offer(choices.owners[position], _FUZZY, score, variant)
