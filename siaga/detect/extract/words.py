"""Split text into the lowercase ASCII words the extractor matches on.

Every name the extractor knows is stored as the concatenation of its words ('Muko Muko',
'Muko-Muko' and 'Mukomuko' all become 'mukomuko'), so spacing and hyphens never matter.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9A-Za-z]+")
_APOSTROPHES = str.maketrans("", "", "'`\u2019")

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


_ABBREVIATED = re.compile(r"\b(?:" + "|".join(ABBREVIATIONS) + r")\b")


class Words:
    """The words of a text: `words` lowercase, abbreviations spelled out; `text` the folded
    lowercase text they come from. `is_capital` tells how a word was written."""

    __slots__ = ("_raw", "_source", "text", "words")

    def __init__(self, source: str) -> None:
        self._source = source
        self._raw: list[str] | None = None
        lower = source.lower()
        if _ABBREVIATED.search(lower) is not None:
            lower = _ABBREVIATED.sub(lambda m: ABBREVIATIONS[m.group(0)], lower)
        self.text = lower
        self.words: list[str] = _WORD.findall(lower)

    def is_capital(self, position: int) -> bool:
        """Return True when the word at `position` was written capitalised ('Bangko', not
        'bangko' nor 'BANGKO': tweets shout whole sentences)."""
        if self._raw is None:
            self._raw = _WORD.findall(self._source)
        word = self._raw[position]
        return word[0].isupper() and not word[1:2].isupper()


def split_words(text: str) -> Words:
    """Return the words of `text`, folded to ASCII and lowercase."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return Words(text.translate(_APOSTROPHES))


def name_words(name: str) -> list[str]:
    """Return the words of a name as `split_words` would read them."""
    return split_words(name).words
