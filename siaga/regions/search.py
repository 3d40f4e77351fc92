"""Find regions by name, tolerant of administrative prefixes, spacing and spelling.

Every name gets two keys without spaces or punctuation: the full name ('kabupatenmerangin') and
its core without the administrative prefix ('merangin'). A query is matched on both, exactly,
as a prefix, and fuzzily (rapidfuzz over all keys at once), then ranked.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from siaga.domain.regions import Level, ancestors_of

# Leading words that say what kind of region is meant, with the kind they point to.
HINTS: dict[str, str] = {
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "kota": "kota",
    "kodya": "kota",
    "kec": "district",
    "kecamatan": "district",
    "desa": "village",
    "kel": "village",
    "kelurahan": "village",
    "prov": "province",
    "provinsi": "province",
    "propinsi": "province",
}
_CANONICAL = {
    "kab": "kabupaten",
    "kodya": "kota",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "prov": "provinsi",
    "propinsi": "provinsi",
}
_LEVEL_RANK = {Level.PROVINCE: 0, Level.REGENCY: 1, Level.DISTRICT: 2, Level.VILLAGE: 3}
FUZZY_CUTOFF = 70.0
FUZZY_POOL = 60


def words(text: str) -> list[str]:
    """Return the lowercase words of a text, punctuation removed."""
    return re.sub(r"[^0-9a-z]+", " ", text.lower()).split()


def split_hint(tokens: list[str]) -> tuple[str | None, list[str]]:
    """Return the kind hinted by leading words ('kab.', 'kota', …) and the remaining words."""
    hint = None
    rest = list(tokens)
    while len(rest) > 1 and rest[0] in HINTS:
        hint = hint or HINTS[rest[0]]
        rest = rest[1:]
        if rest and rest[0] == "administrasi":  # 'Kota Administrasi Jakarta Pusat'
            rest = rest[1:]
    return hint, rest


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A region as the gazetteer knows it, with other names it goes by."""

    code: str
    name: str
    level: Level
    parent_code: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One region found by a search."""

    code: str
    name: str
    level: Level
    parent_names: tuple[str, ...]
    score: float
    matched: str


def _kind(entry: GazetteerEntry) -> str:
    if entry.level is Level.REGENCY:
        return "kota" if int(entry.code[3:5]) >= 71 else "kabupaten"
    return entry.level.value


@dataclass(frozen=True, slots=True)
class _Key:
    entry: int
    text: str  # the name or alias this key came from
    full: bool  # True for the full-name key, False for the core key


class Gazetteer:
    """An in-memory index of region names, searched with `search`."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self.entries = list(entries)
        self.names = {e.code: e.name for e in self.entries}
        self.kinds = [_kind(e) for e in self.entries]
        self.keys: list[_Key] = []
        strings: list[str] = []
        for index, entry in enumerate(self.entries):
            for text in dict.fromkeys((entry.name, *entry.aliases)):
                tokens = [_CANONICAL.get(t, t) for t in words(text)]
                for key, full in (("".join(tokens), True), ("".join(split_hint(tokens)[1]), False)):
                    if key:
                        self.keys.append(_Key(index, text, full))
                        strings.append(key)
        self.strings = strings
        self.exact: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(strings):
            self.exact[key].append(i)
        self.sorted_keys = sorted((key, i) for i, key in enumerate(strings))

    def _prefixed(self, query: str, limit: int = 200) -> list[int]:
        start = bisect.bisect_left(self.sorted_keys, (query, -1))
        found = []
        for key, i in self.sorted_keys[start : start + limit]:
            if not key.startswith(query):
                break
            found.append(i)
        return found

    def _candidates(self, full: str, core: str) -> dict[int, tuple[int, float, int]]:
        """Return key index -> (tier, score, key index) for every plausible key."""
        found: dict[int, tuple[int, float, int]] = {}

        def offer(i: int, tier: int, score: float) -> None:
            if i not in found or found[i][:2] < (tier, score):
                found[i] = (tier, score, i)

        for i in self.exact.get(full, []):
            offer(i, 4, 100.0)
        for i in self.exact.get(core, []):
            offer(i, 3, 100.0)
        for query in {full, core}:
            for i in self._prefixed(query):
                offer(i, 2, 100.0 * len(query) / len(self.strings[i]))
            for _key, score, i in process.extract(
                query,
                self.strings,
                scorer=fuzz.ratio,
                processor=None,
                limit=FUZZY_POOL,
                score_cutoff=FUZZY_CUTOFF,
            ):
                offer(i, 1, float(score))
        return found

    def search(self, text: str, limit: int = 10, level: Level | None = None) -> list[SearchHit]:
        """Return up to `limit` regions matching `text`, best first; raise ValueError if empty."""
        tokens = [_CANONICAL.get(t, t) for t in words(text)]
        if not tokens:
            raise ValueError(f"nothing to search for in {text!r}: give part of a region name")
        hint, rest = split_hint(tokens)
        full, core = "".join(tokens), "".join(rest)
        best: dict[int, tuple[tuple[float, ...], _Key, float]] = {}
        for tier, score, i in self._candidates(full, core).values():
            key = self.keys[i]
            entry = self.entries[key.entry]
            if level is not None and entry.level is not level:
                continue
            agrees = hint is not None and self.kinds[key.entry] == hint
            rank = (-tier, -int(agrees), -score, _LEVEL_RANK[entry.level], float(key.entry))
            if key.entry not in best or rank < best[key.entry][0]:
                best[key.entry] = (rank, key, score)
        ordered = sorted(best.values(), key=lambda item: item[0])[:limit]
        return [self._hit(key, score) for _rank, key, score in ordered]

    def _hit(self, key: _Key, score: float) -> SearchHit:
        entry = self.entries[key.entry]
        parents = tuple(self.names.get(c, c) for c in ancestors_of(entry.code))
        return SearchHit(entry.code, entry.name, entry.level, parents, round(score, 1), key.text)
