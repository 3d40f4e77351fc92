"""Pilkada 2024 candidate pairs: the names they are called by, and ballot-number references.

A pair's names come from KPU's ballot text ('Dr. Drs. NALIM, S.H., M.M. - NILWAN YAHYA, S.E.'):
split into the two persons, degrees (after the first comma) and leading titles (Dr., H., Ir.,
Tgk., ...) dropped. Each person is indexed under the full name, the name without one-letter
initials, for names of three words or more their first and last, last two and first two words,
and, as short forms, each word of four letters or more that at most two candidates
in the country share ('Nalim', 'Nilwan'); first names such as Muhammad or Ahmad, borne by many,
are never short forms. The pair itself is indexed under its nicknames, one word of each
person's name joined ('Huda-Rahmadi', 'Romi Sudirman'), as the press and the campaigns call
it: two words together tell the pair apart even when each alone is common.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from siaga.detect.extract.phrases import PhraseIndex
from siaga.detect.extract.words import name_words
from siaga.domain.elections import CandidatePair, Office

FULL, SHORT_FORM = 1, 0
"""Index flags: the whole name, or one word of it."""
MAX_SHARED = 2
"""A word borne by more candidates than this is not a short form."""
_PERSON_SPLIT = re.compile(r"\s+-\s*|\s*-\s+")
_TITLE_WORDS = """dr drs dra h hj ir prof tgk kh ust ustadz hc ns apt letjen mayjen brigjen irjen
kombes kol purn habib st"""
_TITLES = frozenset(_TITLE_WORDS.split())


@dataclass(frozen=True, slots=True)
class Pair:
    """A candidate pair: its contest (region code, office), ballot number and ballot text."""

    contest_code: str
    office: Office
    number: int
    names: str


@dataclass
class PairGazetteer:
    """The pairs, the phrase index over their names (values `pair * 2 + flag`), and the pairs
    of each contest by ballot number."""

    pairs: list[Pair] = field(default_factory=list)
    index: PhraseIndex[int] = field(default_factory=PhraseIndex)
    by_contest: dict[str, dict[int, int]] = field(default_factory=dict)


def person_words(names: str) -> list[list[str]]:
    """Return the words of each person's name in a pair's ballot text, titles and degrees off."""
    people = []
    for part in _PERSON_SPLIT.split(names):
        words = name_words(part.split(",", 1)[0])
        while words and words[0] in _TITLES:
            words = words[1:]
        if words:
            people.append(words)
    return people


MIN_NICKNAME_WORD = 3
"""Shortest word of a person's name used in a pair nickname ('Edi' counts, 'M.' does not)."""


def nicknames(persons: list[list[str]]) -> list[list[str]]:
    """Return a pair's nicknames: every word of the first person's name followed by every
    word of the second's ('Choirul Huda' and 'Rahmadi' give 'choirul rahmadi', 'huda
    rahmadi'); none for a pair of other than two persons."""
    if len(persons) != 2:
        return []
    first, second = (
        [w for w in words if len(w) >= MIN_NICKNAME_WORD and not w.isdigit()] for words in persons
    )
    return [[one, two] for one in first for two in second if one != two]


def build_pairs(pairs: Iterable[CandidatePair], current: dict[str, str]) -> PairGazetteer:
    """Return the pair gazetteer; `current` maps a contest's region code to the current code."""
    gazetteer = PairGazetteer()
    people: list[tuple[int, list[str]]] = []
    for pair in pairs:
        code = current.get(pair.region_code, pair.region_code)
        number = len(gazetteer.pairs)
        gazetteer.pairs.append(Pair(code, pair.office, pair.number, pair.names))
        gazetteer.by_contest.setdefault(code, {})[pair.number] = number
        persons = person_words(pair.names)
        people.extend((number, words) for words in persons)
        for nickname in nicknames(persons):
            gazetteer.index.add(nickname, number * 2 + FULL)
    bearers = Counter(word for _n, words in people for word in set(words))
    for number, words in people:
        gazetteer.index.add(words, number * 2 + FULL)
        initials_off = [w for w in words if len(w) > 1]
        if len(initials_off) > 1:
            gazetteer.index.add(initials_off, number * 2 + FULL)
        if len(initials_off) > 2:  # 'Khofifah Parawansa', 'Indar Parawansa', 'Khofifah Indar'
            first, second, before_last, last = initials_off[:2] + initials_off[-2:]
            for two in ([first, last], [before_last, last], [first, second]):
                gazetteer.index.add(two, number * 2 + FULL)
        for word in initials_off:
            if len(word) >= 4 and bearers[word] <= MAX_SHARED and not word.isdigit():
                gazetteer.index.add([word], number * 2 + SHORT_FORM)
    return gazetteer
