"""Province and regency names that are also ordinary words, found from the data.

'Serang' is a city and 'serang' the verb of 'saling serang' (attacking each other); 'batu',
'agam', 'bungo', 'solo', 'benteng' likewise. Such a name counts as a place only with place
context (see `resolve.place_context`). The names are found, not listed: a name of a province or
regency (bare, short or its seat) is ordinary when it is in the ordinary-word list, or when
edited news text (the news NER corpus's training part, where names are capitalised) writes it
wholly in lowercase ('medan perang', 'puncak', 'tebing tinggi'). A short hand list
(`places.AMBIGUOUS_PLACE_NAMES`) adds the verbs and regional words that corpus is too small to
show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from siaga.detect.extract.gazetteer import FLAGS, PREFIXED, RegionGazetteer
from siaga.detect.extract.places import AMBIGUOUS_PLACE_NAMES
from siaga.detect.extract.words import name_words, split_words

MIN_LOWERCASE_USES = 1
"""Lowercase uses in edited news that make a place name an ordinary word."""


def _high_keys(gaz: RegionGazetteer) -> set[str]:
    """Return the index keys naming a province or regency without its kind word."""
    levels = gaz.levels
    return {
        key
        for key, values in gaz.index.values.items()
        if any(levels[v // FLAGS] <= 1 and v % FLAGS != PREFIXED for v in values)
    }


def lowercase_uses(gaz: RegionGazetteer, keys: set[str], sentences: Iterable[str]) -> Counter[str]:
    """Return how often each key is written wholly in lowercase in the sentences."""
    uses: Counter[str] = Counter()
    for sentence in sentences:
        words = split_words(sentence)
        for start, end, _values in gaz.index.scan(words.words):
            key = "".join(words.words[start:end])
            if key in keys and all(words.is_lower(i) for i in range(start, end)):
                uses[key] += 1
    return uses


def ambiguous_names(
    gaz: RegionGazetteer, common: frozenset[str], sentences: Iterable[str]
) -> frozenset[str]:
    """Return the index keys of province and regency names that are also ordinary words."""
    keys = _high_keys(gaz)
    uses = lowercase_uses(gaz, keys, sentences)
    found = {key for key, count in uses.items() if count >= MIN_LOWERCASE_USES}
    found |= keys & common
    found |= {"".join(name_words(n)) for n in AMBIGUOUS_PLACE_NAMES} & keys
    return frozenset(found)
