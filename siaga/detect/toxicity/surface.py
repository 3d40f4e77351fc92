"""Surface features of a text that TF-IDF of lower-cased text cannot see: shouting, mentions,
retweets, length, punctuation, and how many words of the abusive-word list it holds."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from siaga.detect.toxicity.normalise import LINK_TOKEN, MENTION_TOKEN, flag_words

SURFACE_FEATURES: tuple[str, ...] = (
    "characters",
    "words",
    "mentions",
    "retweet",
    "upper_ratio",
    "abusive_words",
    "exclamations",
    "questions",
    "links",
)
_PLACEHOLDERS = re.compile(r"\\x[0-9a-fA-F]{2}|\\n|\bUSER\b|\bURL\b|^RT\b|@\w+|https?://\S+")
_TRIGGERS = ("\\", "USER", "URL", "RT", "@", "http")
"""Every placeholder match holds one of these."""


_ASCII_LOWER = bytes(range(97, 123))
_ASCII_UPPER = bytes(range(65, 91))
_NOT_LETTER = bytes(sorted(set(range(128)) - set(_ASCII_LOWER) - set(_ASCII_UPPER)))


def _upper_ratio(raw: str) -> float:
    """Return the share of the letters of raw text (placeholders aside) that are capitals."""
    # Placeholders are only looked for when one could be there: most posts have none.
    body = _PLACEHOLDERS.sub(" ", raw) if any(t in raw for t in _TRIGGERS) else raw
    if body.isascii():  # most posts: count with two C-level byte deletions
        letters = body.encode("ascii").translate(None, _NOT_LETTER)
        upper = len(letters.translate(None, _ASCII_LOWER))
        return upper / len(letters) if letters else 0.0
    count = sum(map(str.isalpha, body))
    return sum(map(str.isupper, body)) / count if count else 0.0


def surface_features(
    raw: Sequence[str], clean: Sequence[str], abusive_words: frozenset[str]
) -> npt.NDArray[np.float32]:
    """Return a texts x SURFACE_FEATURES matrix from the raw and normalised forms of texts."""
    rows = [
        (
            len(text),
            text.count(" ") + 1,
            text.count(MENTION_TOKEN),
            text.startswith("rt "),
            _upper_ratio(original),
            len(flag_words(text, abusive_words)),
            text.count("!"),
            text.count("?"),
            text.count(LINK_TOKEN),
        )
        for original, text in zip(raw, clean, strict=True)
    ]
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(SURFACE_FEATURES))
