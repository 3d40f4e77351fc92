"""Mark the words of a text that made its categories: the lexicon entries found in it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from markupsafe import Markup

from siaga.detect.categories.lexicon import Lexicon

_WORD = re.compile(r"[\w][\w'-]*", re.UNICODE)


def matched_words(text: str, lexicon: Lexicon) -> set[str]:
    """Return the normalised tokens of text that lexicon entries (phrases whole) matched."""
    tokens = lexicon.split(text)
    words: set[str] = set()
    for _, position, entry in lexicon.hits(text):
        words.update(tokens[position:position + len(entry.split())])
    return words


def mark(text: str, words: Iterable[str]) -> Markup:
    """Return text, HTML-escaped, with every word of `words` (any case) inside <mark>."""
    wanted = {w.lower() for w in words}
    out: list[str] = []
    last = 0
    for found in _WORD.finditer(text):
        # "[DEMO]" marks invented demo texts; it is a label, not a word the models matched.
        label = text[found.start() - 1:found.start()] == "[" and text[found.end():][:1] == "]"
        if found.group(0).lower() in wanted and not label:
            out.append(escape(text[last:found.start()]))
            out.append(f"<mark>{escape(found.group(0))}</mark>")
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))
