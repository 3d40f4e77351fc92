"""Split text into the lowercase ASCII words the extractor matches on.

Every name the extractor knows is stored as the concatenation of its words ('Muko Muko',
'Muko-Muko' and 'Mukomuko' all become 'mukomuko'), so spacing and hyphens never matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Words:
    """The words of a text: `words` lowercase (abbreviations spelled out), `capital` per word
    True when it was written capitalised ('Bangko', not 'bangko' nor 'BANGKO')."""

    words: list[str]
    capital: list[bool]


def split_words(text: str) -> Words:
    """Return the words of `text`, folded to ASCII and lowercase, with their capitalisation."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    raw = _WORD.findall(text.translate(_APOSTROPHES))
    words = [ABBREVIATIONS.get(w, w) for w in map(str.lower, raw)]
    # A word in capitals ('CINA', 'MERANGIN') says nothing: tweets shout whole sentences.
    return Words(words, [w[0].isupper() and not w[1:2].isupper() for w in raw])


def name_words(name: str) -> list[str]:
    """Return the words of a name as `split_words` would read them."""
    return split_words(name).words
