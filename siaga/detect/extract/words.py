"""Split text into the lowercase ASCII words the extractor matches on.

Every name the extractor knows is stored as the concatenation of its words ('Muko Muko',
'Muko-Muko' and 'Mukomuko' all become 'mukomuko'), so spacing and hyphens never matter.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9A-Za-z]+")
_APOSTROPHES = ("'", "`", "\u2019")

ABBREVIATIONS = {
    "kab": "kabupaten",
    "kabupatan": "kabupaten",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "ds": "desa",
    "prov": "provinsi",
    "propinsi": "provinsi",
    "kodya": "kota",
    "kotamadya": "kota",
    "walkot": "walikota",
}
"""Abbreviated prefix words written out, so 'Kab. Merangin' reads as 'kabupaten merangin'."""
_ABBREVIATION_WORDS = frozenset(ABBREVIATIONS)


_ABBREVIATED = re.compile(r"\b(?:" + "|".join(ABBREVIATIONS) + r")\b")


class Words:
    """The words of a text: `words` lowercase, abbreviations spelled out; `text` the folded
    lowercase text they come from. `is_capital` tells how a word was written."""

    __slots__ = ("_raw", "text", "words")

    def __init__(self, source: str) -> None:
        """Split `source`, which must be ASCII (`split_words` folds text so)."""
        # `source` is ASCII (see split_words), so lowercasing keeps every word where it is and
        # the words as written, joined and lowercased in one go, are the lowercase words.
        self._raw: list[str] = _WORD.findall(source)
        lower = source.lower()
        words = " ".join(self._raw).lower().split()
        if not _ABBREVIATION_WORDS.isdisjoint(words):
            # Rare: spell abbreviations out with the regex, which, unlike the word split,
            # does not take '_' as the end of a word ('kab_x' stays as it is).
            lower = _ABBREVIATED.sub(lambda m: ABBREVIATIONS[m.group(0)], lower)
            words = _WORD.findall(lower)
        self.text = lower
        self.words = words

    def is_capital(self, position: int) -> bool:
        """Return True when the word at `position` was written capitalised ('Bangko', not
        'bangko' nor 'BANGKO': tweets shout whole sentences)."""
        word = self._raw[position]
        return word[0].isupper() and not word[1:2].isupper()


    def is_lower(self, position: int) -> bool:
        """Return True when the word at `position` was written starting in lowercase."""
        return self._raw[position][0].islower()


def split_words(text: str) -> Words:
    """Return the words of `text`, folded to ASCII and lowercase."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for apostrophe in _APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "")
    return Words(text)


def name_words(name: str) -> list[str]:
    """Return the words of a name as `split_words` would read them."""
    return split_words(name).words
