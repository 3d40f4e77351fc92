"""A dictionary of multi-word phrases matched against a word list, longest match first.

A phrase is stored under the concatenation of its words. Scanning keeps, besides the keys, the
set of every concatenation of a phrase's leading words, so a scan extends a match word by word
only while some phrase can still be completed: the cost is a few set look-ups per word of the
text, however many phrases there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import compress
from typing import Generic, TypeVar

T = TypeVar("T")


class PhraseIndex(Generic[T]):
    """Phrases (as word lists) mapped to values; see `scan`."""

    def __init__(self) -> None:
        self.values: dict[str, list[T]] = {}
        self.prefixes: set[str] = set()

    def add(self, words: Sequence[str], value: T) -> None:
        """Add a phrase; a phrase added twice keeps every value, without repeats."""
        if not words:
            return
        key = ""
        for word in words:
            key += word
            self.prefixes.add(key)
        found = self.values.setdefault(key, [])
        if value not in found:
            found.append(value)

    def add_prefixes(self, words: Iterable[str]) -> None:
        """Allow a phrase to be reached through another split into words (no new phrase)."""
        key = ""
        for word in words:
            key += word
            self.prefixes.add(key)

    def scan(self, words: Sequence[str]) -> list[tuple[int, int, Sequence[T]]]:
        """Return (start, end, values) of the longest phrases found, left to right, not overlapping.

        `start` and `end` are word positions (end exclusive).
        """
        found: list[tuple[int, int, Sequence[T]]] = []
        prefixes, values = self.prefixes, self.values
        count, resume = len(words), 0
        # Most words start no phrase: find the few that may in one pass, then try only those.
        for i in compress(range(count), map(prefixes.__contains__, words)):
            if i < resume:
                continue  # inside the phrase found last
            key, best_end, best = words[i], 0, None
            j = i
            while True:
                hit = values.get(key)
                if hit is not None:
                    best_end, best = j + 1, hit
                j += 1
                if j >= count:
                    break
                key += words[j]
                if key not in prefixes:
                    break
            if best is not None:
                found.append((i, best_end, best))
                resume = best_end
        return found
