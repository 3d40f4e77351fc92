"""Turn matched region names into regions, using the rest of the text and an optional scope.

Every indexed form of a name starts from a base confidence set by its level and how it was
written (table `BASE`): a province or regency named alone is likely meant, a village named alone
rarely is (thousands of village names are ordinary words or repeat across the country), a name
after 'Desa'/'Kecamatan'/'Kabupaten' is. A district or village name not written capitalised
loses half; one that is an ordinary word ('jadi', 'pasar') is no place at all unless written
after its prefix; a province or regency named by a lowercase ordinary word keeps a third, and
one whose name is also an ordinary word in any case ('Serang', 'Batu': `ambiguous`) needs place
context ('warga Serang', 'ke Batu', capitalised in mid-sentence) to count at all. Then
each candidate region gains from the other names in the text that agree with the hierarchy (an
enclosing region named elsewhere: much; an enclosed one: a little) and from lying inside the
scope. Per mention the best candidate wins if it is clearly ahead; two candidates level with
each other (the same village name in two regencies, and nothing in the text to tell them apart)
leave the mention unresolved, except that a kabupaten and a kota of the same name ('Bandung')
give the kota at lower confidence. Mentions below `MIN_CONFIDENCE` are dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from siaga.detect.extract.gazetteer import BARE, CAPITAL, FLAGS, PREFIXED, SHORT, RegionGazetteer
from siaga.detect.extract.places import NOT_PLACES, NOT_PLACES_LOWERCASE, PLACE_CUES
from siaga.detect.extract.words import Words
from siaga.domain.regions import is_city

MIN_CONFIDENCE = 0.3
"""Mentions whose best candidate scores below this are not reported."""
BASE: tuple[dict[int, float], ...] = (
    {BARE: 0.85, PREFIXED: 0.95, SHORT: 0.8, CAPITAL: 0.7},  # province
    {BARE: 0.8, PREFIXED: 0.95, SHORT: 0.75, CAPITAL: 0.7},  # regency / city
    {BARE: 0.25, PREFIXED: 0.85, SHORT: 0.25, CAPITAL: 0.25},  # district
    {BARE: 0.2, PREFIXED: 0.75, SHORT: 0.2, CAPITAL: 0.2},  # village
)
"""Base confidence by level (index) and how the name was written (flag)."""
UNCAPITALISED_FACTOR = 0.5
"""Kept of the base by a district or village name written in lowercase or in capitals."""
COMMON_FACTOR = 0.35
"""Kept of the base by a province or regency named by a single ordinary word ('batu',
'padang') not written capitalised. A district or village named so is dropped outright, and so
is any single word written twice in a row ('buru-buru')."""
ENCLOSING_BONUS = 0.35
"""Gained by a candidate when a region enclosing it is named elsewhere in the text."""
FULL_SUPPORT = 0.7
"""Base from which a mention lends the full bonus to the regions it encloses or lies in."""
PROVINCE_SHARE = 0.4
"""Part of `ENCLOSING_BONUS` given when only the province is named: a province holds thousands
of villages, so naming it says little about which one is meant."""
ENCLOSED_BONUS = 0.1
"""Gained by a candidate when a region inside it is named elsewhere in the text."""
SCOPE_BONUS = 0.25
"""Gained by a candidate inside the scope (or enclosing it)."""
TPS_VILLAGE = 0.75
"""Base of a capitalised village name right after a TPS number, as if written after 'Desa'."""
SEAT_BONUS = 0.1
"""Gained by a district or village whose name is also the seat of its regency."""
CLEAR_LEAD = 0.2
"""A lead over the runner-up of at least this keeps the full score; a smaller one costs half
the shortfall; a lead under `TIE` leaves the mention unresolved."""
TIE = 0.02
CITY_OVER_REGENCY = 0.75
"""Kept of its score by a city chosen over the kabupaten of the same name."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A region chosen for the words `start`..`end` of the text."""

    start: int
    end: int
    entry: int
    confidence: float


@functools.lru_cache(maxsize=1 << 17)
def _ancestors(code: str) -> tuple[str, ...]:
    """Return the codes of the regions enclosing `code`, province first."""
    size = len(code)
    return tuple(code[:n] for n in (2, 5, 8) if n < size)


def _reduplicated(words: Sequence[str], position: int) -> bool:
    """Return True when the word at `position` is repeated right before or after it."""
    word = words[position]
    return (position > 0 and words[position - 1] == word) or (
        position + 1 < len(words) and words[position + 1] == word
    )


_KIND_WORDS = frozenset(["desa", "kelurahan", "kecamatan", "kades", "lurah", "camat"])
_NOT_PLACE_STARTS = frozenset(p[0] for p in (*NOT_PLACES, *NOT_PLACES_LOWERCASE))


def _not_a_place(words: Words, start: int) -> bool:
    """Return True when the words at `start` begin a phrase that names no place ('Metro TV')."""
    if words.words[start] not in _NOT_PLACE_STARTS:
        return False
    for phrases, lowercase_only in ((NOT_PLACES, False), (NOT_PLACES_LOWERCASE, True)):
        for phrase in phrases:
            if tuple(words.words[start : start + len(phrase)]) != phrase:
                continue
            if not lowercase_only or not words.is_capital(start):
                return True
    return False


def place_context(words: Words, start: int) -> bool:
    """Return True when the name at `start` is written as a place: after a place cue ('warga',
    'ke', 'Pilkada', 'Polres'; 'di' before a capitalised name), or capitalised in mid-sentence
    (after a word in lowercase: a title-case headline's 'Saling Serang' is not)."""
    if start == 0:
        return False
    before = words.words[start - 1]
    if before in PLACE_CUES:
        return True
    return words.is_capital(start) and (before == "di" or words.is_lower(start - 1))


def _bases(
    gaz: RegionGazetteer,
    words: Words,
    match: tuple[int, int, Sequence[int]],
    common: frozenset[str],
    village_slots: frozenset[int],
    ambiguous: frozenset[str] = frozenset(),
) -> dict[int, float]:
    """Return entry -> base confidence for one matched name."""
    start, end, values = match
    single = end - start == 1
    word = words.words[start]
    if single and _reduplicated(words.words, start):
        return {}  # 'buru-buru' (in a hurry) is not Kabupaten Buru
    if _not_a_place(words, start):
        return {}
    # 'saling serang' (attacking each other) is not Kota Serang: such names need place context
    bare_ordinary = (
        (word if single else "".join(words.words[start:end])) in ambiguous
        and not place_context(words, start)
    )
    lower_common = single and word in common
    capital = words.is_capital(start)
    after_tps = start in village_slots and capital and not lower_common
    ordinary_after_kind = (
        end - start == 2
        and words.words[start] in _KIND_WORDS
        and words.words[end - 1] in common
        and not words.is_capital(end - 1)
    )
    found: dict[int, float] = {}
    seats: list[str] = []
    for value in values:
        entry, flag = divmod(value, FLAGS)
        if flag == PREFIXED and (single or ordinary_after_kind):
            continue  # 'desanya' (his village), 'kelurahan yang ...' (the kelurahan that ...)
        level = gaz.levels[entry]
        if bare_ordinary and flag != PREFIXED and level <= 1:
            continue
        base = BASE[level][flag]
        if flag != PREFIXED:
            if level >= 2 and lower_common:
                continue  # an ordinary word is no district or village, whatever the context
            if level >= 2 and not capital:
                base *= UNCAPITALISED_FACTOR
            if lower_common and not capital:
                base *= COMMON_FACTOR
        if after_tps and level == 3:
            base = max(base, TPS_VILLAGE)
        if base > found.get(entry, 0.0):
            found[entry] = base
        if flag == CAPITAL:
            seats.append(gaz.codes[entry] + ".")
    for seat in seats:
        # A seat's name that is also a district or village name means the one in its regency.
        for entry in found:
            if gaz.codes[entry].startswith(seat):
                found[entry] += SEAT_BONUS
    return found


def unplaced_words(gaz: RegionGazetteer, common: frozenset[str]) -> frozenset[str]:
    """Return the ordinary words that, matched alone, name no region whatever the text says.

    `_bases` never takes a single ordinary word for a district or village, nor a one-word
    match for a prefixed form ('desanya'): a word all of whose indexed forms are such gets
    no candidate. Most matches in ordinary text are these words ('jadi', 'pasar').
    """
    values = gaz.index.values
    return frozenset(
        word
        for word in common
        if word in values
        and all(gaz.levels[v // FLAGS] >= 2 or v % FLAGS == PREFIXED for v in values[word])
    )


def resolve_regions(
    gaz: RegionGazetteer,
    words: Words,
    matches: Sequence[tuple[int, int, Sequence[int]]],
    common: frozenset[str],
    scope: str | None = None,
    village_slots: frozenset[int] = frozenset(),
    unplaced: frozenset[str] = frozenset(),
    ambiguous: frozenset[str] = frozenset(),
) -> list[Resolved]:
    """Return the region chosen for each matched name that clears `MIN_CONFIDENCE`.

    `unplaced` (see `unplaced_words`) lets one-word matches that can name no region be left
    out unexamined; the result is the same without it. `ambiguous` are the index keys of
    province and regency names that are ordinary words: they name those regions only with
    place context (`place_context`).
    """
    text = words.words
    matches = [m for m in matches if m[1] - m[0] > 1 or text[m[0]] not in unplaced]
    bases = [_bases(gaz, words, m, common, village_slots, ambiguous) for m in matches]
    codes = gaz.codes
    # code -> the two best (base, mention number) from different mentions, for every candidate
    # (`named`) and every region enclosing one (`inside`). `_score` looks up only candidates'
    # ancestors in `named` and candidates in `inside`: nothing else is kept.
    candidates = {codes[entry] for found in bases for entry in found}
    enclosing = {parent for code in candidates for parent in _ancestors(code)}
    named: dict[str, _TopTwo] = {}
    inside: dict[str, _TopTwo] = {}
    for number, found in enumerate(bases):
        for entry, base in found.items():
            code = codes[entry]
            if code in enclosing:
                _keep(named, code, base, number)
            for parent in _ancestors(code):
                if parent in candidates:
                    _keep(inside, parent, base, number)
    chosen: list[Resolved] = []
    for number, found in enumerate(bases):
        if not found:
            continue
        scored = [
            (_score(codes[entry], base, number, named, inside, scope), entry)
            for entry, base in found.items()
        ]
        pick = _city_over_regency(scored, codes) or _pick(scored)
        if pick is not None:
            start, end, _values = matches[number]
            chosen.append(Resolved(start, end, pick[1], pick[0]))
    return chosen


_TopTwo = list[tuple[float, int]]
"""The best and second-best (base, mention number), from two different mentions."""


def _keep(table: dict[str, _TopTwo], code: str, base: float, number: int) -> None:
    """Record a base for `code`, keeping only the best two from different mentions."""
    top = table.setdefault(code, [])
    for position, (old, other) in enumerate(top):
        if other == number:
            if base > old:
                top[position] = (base, number)
                top.sort(reverse=True)
            return
    top.append((base, number))
    top.sort(reverse=True)
    del top[2:]


def _elsewhere(top: _TopTwo | None, number: int) -> float:
    """Return the best base from a mention other than `number` (0 when none)."""
    for base, other in top or ():
        if other != number:
            return base
    return 0.0


def _score(
    code: str,
    base: float,
    number: int,
    named: dict[str, _TopTwo],
    inside: dict[str, _TopTwo],
    scope: str | None,
) -> float:
    """Return a candidate's score: its base plus what the other mentions and the scope add.

    Support from a mention is in proportion to that mention's own base, full from
    `FULL_SUPPORT` up, so a doubtful mention lends little.
    """
    up = 0.0
    for ancestor in _ancestors(code):
        top = named.get(ancestor)
        if top is not None:  # mostly none: a text seldom names a place and its region
            share = PROVINCE_SHARE if len(ancestor) == 2 else 1.0
            up = max(up, _elsewhere(top, number) * share)
    down = _elsewhere(inside.get(code), number)
    score = (
        base
        + ENCLOSING_BONUS * min(1.0, up / FULL_SUPPORT)
        + ENCLOSED_BONUS * min(1.0, down / FULL_SUPPORT)
    )
    if scope is not None and (
        code == scope or code.startswith(scope + ".") or scope.startswith(code + ".")
    ):
        score += SCOPE_BONUS
    return min(0.99, score)


def _city_over_regency(
    scored: list[tuple[float, int]], codes: Sequence[str]
) -> tuple[float, int] | None:
    """Return the city, at `CITY_OVER_REGENCY` of its score, when a plain name ('Bandung',
    'Bekasi', 'Malang') ties a kabupaten with the kota of the same name; else None.

    Said alone, such a name mostly means the city; the lowered confidence says it may not.
    """
    if len(scored) < 2:
        return None
    ranked = sorted(scored, reverse=True)
    (top, first), (second, other) = ranked[0], ranked[1]
    if top - second >= TIE or (len(ranked) > 2 and top - ranked[2][0] < TIE):
        return None
    pair = sorted((codes[first], codes[other]))
    if not (len(pair[0]) == len(pair[1]) == 5 and pair[0][:2] == pair[1][:2]):
        return None
    if is_city(pair[0]) or not is_city(pair[1]):
        return None
    city = first if codes[first] == pair[1] else other
    confidence = round(top * CITY_OVER_REGENCY, 3)
    return (confidence, city) if confidence >= MIN_CONFIDENCE else None


def _pick(scored: list[tuple[float, int]]) -> tuple[float, int] | None:
    """Return (confidence, entry) of the clear winner, or None."""
    if not scored:
        return None
    scored.sort(reverse=True)
    top, entry = scored[0]
    if len(scored) > 1:
        lead = top - scored[1][0]
        if lead < TIE:
            return None
        if lead < CLEAR_LEAD:
            top -= (CLEAR_LEAD - lead) / 2
    if top < MIN_CONFIDENCE:
        return None
    return round(top, 3), entry
