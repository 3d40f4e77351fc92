"""The compiled region gazetteer: every region of the code list under all the names it goes by.

Each region is indexed under its core name (without 'Kabupaten', 'Kota', 'Provinsi', ...), under
that name preceded by the words that say its kind ('kabupaten', 'kota', 'pemkab', 'bupati',
'kecamatan', 'camat', 'desa', 'kelurahan', 'kades', ...), under its short names and, for the
regencies of Jambi and Bengkulu, under the name of its seat. Each indexed form carries a flag
saying which of these it is; the resolver turns flags and context into a confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from siaga.detect.extract.phrases import PhraseIndex
from siaga.detect.extract.places import REGENCY_CAPITALS, SHORT_NAMES
from siaga.detect.extract.words import name_words
from siaga.domain.regions import Level, Region, is_city

BARE, PREFIXED, CAPITAL, SHORT = 0, 1, 2, 3
"""How a region was named: its name alone, with a word saying its kind, by its seat, by a
short name."""
FLAGS = 4
LEVELS = (Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE)

_PROVINCE_PREFIXES = (("provinsi",), ("pemprov",), ("gubernur",), ("pemerintah", "provinsi"))
_KABUPATEN_PREFIXES = (("kabupaten",), ("pemkab",), ("bupati",), ("pemerintah", "kabupaten"))
_KOTA_PREFIXES = (("kota",), ("pemkot",), ("walikota",), ("pemerintah", "kota"))
_DISTRICT_PREFIXES = (("kecamatan",), ("camat",))
_VILLAGE_PREFIXES = (
    ("desa",),
    ("kelurahan",),
    ("kades",),
    ("lurah",),
    ("kepala", "desa"),
    ("kepala", "kelurahan"),
)
_OFFICIAL_LEADS = (
    ("daerah", "khusus", "ibukota"),
    ("daerah", "istimewa"),
    ("provinsi",),
    ("kabupaten",),
    ("kota",),
    ("administrasi",),
)


@dataclass
class RegionGazetteer:
    """Regions as parallel lists (index = entry number) and the phrase index over their names.

    Index values are `entry * FLAGS + flag`. `old_codes` maps a current village code to its code
    in the 2023 list (the one KPU's TPS codes use) where the two differ.
    """

    codes: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    index: PhraseIndex[int] = field(default_factory=PhraseIndex)
    entry_of: dict[str, int] = field(default_factory=dict)
    old_codes: dict[str, str] = field(default_factory=dict)

    def level(self, entry: int) -> Level:
        """Return the level of an entry."""
        return LEVELS[self.levels[entry]]


def core_words(region: Region) -> list[str]:
    """Return the words of a region's name without the words that say its kind.

    Districts and villages keep theirs: the district 'Kota Mukomuko' is named so.
    """
    words = name_words(region.name)
    if region.level in (Level.DISTRICT, Level.VILLAGE):
        return words
    stripped = True
    while stripped:
        stripped = False
        for lead in _OFFICIAL_LEADS:
            if len(words) > len(lead) and tuple(words[: len(lead)]) == lead:
                words, stripped = words[len(lead) :], True
    return words


def _prefixes_of(region: Region) -> Sequence[tuple[str, ...]]:
    if region.level is Level.PROVINCE:
        return _PROVINCE_PREFIXES
    if region.level is Level.REGENCY:
        return _KOTA_PREFIXES if is_city(region.code) else _KABUPATEN_PREFIXES
    if region.level is Level.DISTRICT:
        return _DISTRICT_PREFIXES
    return _VILLAGE_PREFIXES


def _add_name(
    gazetteer: RegionGazetteer,
    entry: int,
    words: list[str],
    prefixes: Sequence[tuple[str, ...]],
    flag: int,
    splittable: bool,
) -> None:
    """Index one name bare (with `flag`) and after each kind prefix (as PREFIXED)."""
    index = gazetteer.index
    index.add(words, entry * FLAGS + flag)
    for prefix in prefixes:
        index.add([*prefix, *words], entry * FLAGS + PREFIXED)
    if splittable and len(words) == 1:
        # 'Mukomuko' is often written 'Muko Muko': let a scan reach it through any split.
        word = words[0]
        for cut in range(2, len(word) - 1):
            for prefix in ((), *prefixes):
                index.add_prefixes([*prefix, word[:cut], word[cut:]])


def build_regions(
    regions: Iterable[Region], old_codes: dict[str, str] | None = None
) -> RegionGazetteer:
    """Return the gazetteer of the given regions (current list) with capitals and short names."""
    gazetteer = RegionGazetteer(old_codes=dict(old_codes or {}))
    for region in regions:
        entry = len(gazetteer.codes)
        gazetteer.codes.append(region.code)
        gazetteer.names.append(region.name)
        gazetteer.levels.append(LEVELS.index(region.level))
        gazetteer.entry_of[region.code] = entry
        high = region.level in (Level.PROVINCE, Level.REGENCY)
        _add_name(gazetteer, entry, core_words(region), _prefixes_of(region), BARE, high)
        full = name_words(region.name)
        if high and full != core_words(region):
            gazetteer.index.add(full, entry * FLAGS + PREFIXED)
    for code, names in SHORT_NAMES.items():
        _add_extra(gazetteer, code, names, SHORT)
    for code, names in REGENCY_CAPITALS.items():
        _add_extra(gazetteer, code, names, CAPITAL)
    return gazetteer


def _add_extra(gazetteer: RegionGazetteer, code: str, names: Iterable[str], flag: int) -> None:
    """Index hand-written names of a region; a code absent from the list is skipped."""
    entry = gazetteer.entry_of.get(code)
    if entry is None:
        return
    for name in names:
        words = name_words(name)
        gazetteer.index.add(words, entry * FLAGS + flag)
        if flag == CAPITAL:
            # 'Kecamatan Bangko' is still the seat: it helps choose the district in Merangin.
            for prefix in _DISTRICT_PREFIXES + _VILLAGE_PREFIXES:
                gazetteer.index.add([*prefix, *words], entry * FLAGS + flag)
        for cut in range(2, len(words[0]) - 1) if len(words) == 1 else ():
            gazetteer.index.add_prefixes([words[0][:cut], words[0][cut:]])
