"""Agencies, officials' roles and TPS references found word by word."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from siaga.detect.extract.agencies import (
    AGENCIES,
    CANDIDACY_WORDS,
    CAPITALS_ONLY,
    OFFICE_TITLES,
    ROLES,
)
from siaga.detect.extract.phrases import PhraseIndex
from siaga.detect.extract.words import name_words

AGENCY, ROLE = "agency", "role"
RT_RW = "RT/RW"
MAX_TPS = 999


Term = tuple[str, str, str]
"""(kind, canonical name, form the text must hold in capitals or '')."""


def build_terms() -> PhraseIndex[Term]:
    """Return the phrase index of every agency and role form."""
    index: PhraseIndex[Term] = PhraseIndex()
    for kind, table in ((AGENCY, AGENCIES), (ROLE, ROLES)):
        for canonical, forms in table.items():
            for form in forms:
                needs = form if form in CAPITALS_ONLY else ""
                index.add(name_words(form), (kind, canonical, needs))
    return index


def find_terms(
    index: PhraseIndex[Term], words: Sequence[str], text: str
) -> tuple[list[str], list[str]]:
    """Return (agencies, roles) named in the words, canonical, in order, without repeats."""
    agencies: dict[str, None] = {}
    roles: dict[str, None] = {}
    for start, end, values in index.scan(words):
        for kind, canonical, needs in values:
            if needs and needs not in text:
                continue
            if kind == AGENCY and _candidacy(words, start, end):
                continue  # 'calon bupati' is a candidate, not the regency government
            (agencies if kind == AGENCY else roles)[canonical] = None
    # 'RT 05' or 'RW 3': a bare 'RT' is far more often a retweet marker.
    if RT_RW not in roles and ("rt" in words or "rw" in words) and any(
            word in ("rt", "rw") and following.isdigit()
            for word, following in itertools.pairwise(words)):
        roles[RT_RW] = None
    return list(agencies), list(roles)


def _candidacy(words: Sequence[str], start: int, end: int) -> bool:
    """Return True when the words at start..end are an office title ('bupati') written after a
    word of candidacy ('calon bupati', 'pilkada wali kota')."""
    if start == 0 or " ".join(words[start:end]) not in OFFICE_TITLES:
        return False
    return words[start - 1] in CANDIDACY_WORDS or (
        start > 1 and words[start - 1] == "wakil" and words[start - 2] in CANDIDACY_WORDS)


def find_tps(words: Sequence[str], text: str) -> list[tuple[int, int]]:
    """Return (TPS number, word position after the number) of each 'TPS 05' / 'TPS05'.

    `text` is the lowercase text of the words.
    """
    found: list[tuple[int, int]] = []
    if "tps" not in text:
        return found
    for position in [i for i, word in enumerate(words) if word.startswith("tps")]:
        word = words[position]
        if word == "tps" and position + 1 < len(words) and words[position + 1].isdigit():
            digits, end = words[position + 1], position + 2
        elif word.startswith("tps") and word[3:].isdigit():
            digits, end = word[3:], position + 1
        else:
            continue
        if len(digits) <= 3 and 0 < int(digits) <= MAX_TPS:
            found.append((int(digits), end))
    return found
