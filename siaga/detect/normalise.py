"""Normalisation of Indonesian social text for the detection pipeline.

It builds on the tweet cleaning of the toxicity model (byte escapes, literal line breaks, HTML
entities, mention and link placeholders) and adds what matching needs: emoji kept or replaced
by a placeholder, letter runs shortened against a vocabulary, reduplication written out
("bagi2" → "bagi-bagi"), and colloquial words replaced by their standard forms. The original
text is never changed: callers keep it beside the normalised form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from siaga.detect.toxicity.datasets import read_colloquial_lexicon
from siaga.detect.toxicity.normalise import (
    LINK_TOKEN,
    MENTION_TOKEN,
    by_runs,
    decode_byte_escapes,
)

EMOJI_TOKEN = "emoji"
_LITERAL_BREAKS = re.compile(r"\\[nrt]")
_STRAY_ESCAPES = re.compile(r"\\x[0-9a-fA-F]?")  # escapes the corpora cut short
_PLACEHOLDERS = re.compile(r"(@\w+|\bUSER\b)|https?://\S+|www\.\S+|\bURL\b")
_PLACEHOLDER_TRIGGERS = ("@", "USER", "http", "www.", "URL")
"""Every placeholder match holds one of these."""
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]+[\ufe0f\u200d]*"
)
_JOINERS = re.compile("[\ufe0f\u200d\ufffd]")
_RUNS = re.compile(r"([^\d\W])\1{2,}")
_REDUPLICATED = re.compile(r"\b([a-z]{2,})2\b")
_WORD_SPLIT = re.compile(r"([a-z]+(?:-[a-z]+)*)")
_DOUBLES = re.compile(r"([a-z])\1")

# Words the lexicon would expand or rewrite but that matching needs as they are: election
# acronyms ("tps" → "tempat pemungutan suara" would hide a TPS reference) and placeholders.
KEEP_AS_IS = frozenset({
    "tps", "kpu", "kpud", "bawaslu", "panwas", "panwascam", "pkd", "kpps", "ppk", "pps", "asn",
    "pns", "dpt", "dptb", "dpk", "paslon", "capres", "cawapres", "cagub", "cabup", "pilkada",
    "pilpres", "pemilu", "sara", "hoax", "hoaks", "polres", "polda", "polsek", "kodim",
    "dandim", "koramil", "dprd", "tni", "polri", "brimob", "rt", "rw", "user", "httpurl",
    EMOJI_TOKEN, "kades", "camat", "lurah", "pj", "pjs",
})


class Normaliser:
    """Turns raw posts into the lower-cased, standardised form the classifiers and matchers read."""

    def __init__(self, lexicon: Mapping[str, str], *, emoji_placeholder: bool = False) -> None:
        self.lexicon = dict(lexicon)
        self.vocabulary = frozenset(self.lexicon.values())
        self.emoji_placeholder = emoji_placeholder
        self._cache: dict[str, str] = {}
        self._pieces: dict[str, str] = {}

    @classmethod
    def from_data_dir(cls, data_dir: Path, *, emoji_placeholder: bool = False) -> Normaliser:
        """Return a normaliser using the colloquial lexicon of the shared data."""
        return cls(_lexicon(data_dir.resolve()), emoji_placeholder=emoji_placeholder)

    def standard_word(self, word: str) -> str:
        """Return the standard form of one lower-cased word (itself when none is known)."""
        found = self._cache.get(word)
        if found is not None:
            return found
        if word in KEEP_AS_IS:
            return word
        result = self.lexicon.get(word)
        if result is None and _DOUBLES.search(word):
            # "mantaap" (letter runs are already cut to two): try every double as a single.
            single = _DOUBLES.sub(r"\1", word)
            result = self.lexicon.get(single) or (single if single in self.vocabulary else None)
        if result is None:
            result = word
        if len(self._cache) < 200_000:
            self._cache[word] = result
        return result

    def normalise(self, text: str) -> str:
        """Return the normalised form of one text (the original is left to the caller).

        Every step works inside a run of non-space characters (none of its patterns spans
        whitespace) and the result's whitespace is squeezed, so the text is normalised piece
        by piece, and a piece seen before (most words, 'RT', '@user:') costs one look-up.
        """
        text = text.strip()
        if text.endswith("'") and "\\x" in text:  # the corpora's bytes-repr artifact
            text = text[:-1]
        return by_runs(text, self._normalise_piece, self._pieces)

    def _normalise_piece(self, text: str) -> str:
        """Return the normalised form of a text with its trailing artifact already cut."""
        if "\\x" in text:
            text = _STRAY_ESCAPES.sub(" ", decode_byte_escapes(text))
        # Each step runs only when its trigger character is there: most posts need few.
        if "\\" in text:
            text = _LITERAL_BREAKS.sub(" ", text)
        if "&" in text:
            text = html.unescape(text)
        if any(trigger in text for trigger in _PLACEHOLDER_TRIGGERS):
            text = _PLACEHOLDERS.sub(_placeholder, text)
        if not text.isascii():
            text = _JOINERS.sub("", _EMOJI.sub(self._emoji, text))
        text = _RUNS.sub(_two_of_run, text.lower())
        if "2" in text:
            text = _REDUPLICATED.sub(r"\1-\1", text)
        # Split into separators and words (odd positions); look words up without a callback.
        parts = _WORD_SPLIT.split(text)
        cache, standard = self._cache, self.standard_word
        parts[1::2] = [cache[w] if w in cache else standard(w) for w in parts[1::2]]
        return " ".join("".join(parts).split())

    def normalise_many(self, texts: Sequence[str]) -> list[str]:
        """Return the normalised form of each text, in order."""
        return [self.normalise(t) for t in texts]

    def _emoji(self, match: re.Match[str]) -> str:
        return f" {EMOJI_TOKEN} " if self.emoji_placeholder else f" {match.group(0)} "


def _two_of_run(match: re.Match[str]) -> str:
    """Return two of the repeated letter (a function: a template is parsed at every call)."""
    return match.group(1) * 2


def _placeholder(match: re.Match[str]) -> str:
    return f" {MENTION_TOKEN} " if match.group(1) else f" {LINK_TOKEN} "


@lru_cache(maxsize=4)
def _lexicon(data_dir: Path) -> dict[str, str]:
    return read_colloquial_lexicon(data_dir)
