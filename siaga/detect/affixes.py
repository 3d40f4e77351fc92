"""Affix-aware matching of Indonesian words: a root matches its derived and reduplicated forms.

Indonesian builds words with prefixes (di-, me-/mem-/men-/meng-/meny-, ber-, ter-, pe-, ke-,
se-), suffixes (-kan, -i, -an), clitics and particles (-nya, -lah, -kah, -pun) and
reduplication ("bagi-bagi", "bagi2"). A lexicon of roots ("bagi", "ancam", "sebar") should
catch "dibagikan", "membagi-bagikan", "mengancam", "menyebarkan". The nasal prefixes replace
the root's first consonant (meny+sebar → menyebar, mem+pukul → memukul, men+tendang →
menendang, meng+kirim → mengirim), so those letters are restored as candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain

_PARTICLES = ("lah", "kah", "pun", "nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
_PLAIN_PREFIXES = ("di", "ke", "se", "ber", "be", "ter", "te", "per")
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)*|[a-z]+2\b")
_MIN_ROOT = 3
_WORD_CACHE = 200_000  # words whose analysis is kept


def _strip_suffixes(word: str) -> set[str]:
    forms = {word}
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= _MIN_ROOT:
            forms.add(word[: -len(particle)])
    for form in list(forms):
        for suffix in _SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= _MIN_ROOT:
                forms.add(form[: -len(suffix)])
    return forms


def _nasal(word: str, head: str) -> set[str]:
    # me(N)- and pe(N)-: the nasal may stand for a dropped first consonant of the root.
    rest = word[len(head) :]
    if len(rest) < _MIN_ROOT - 1:
        return set()
    nasal = head[2:]
    vowel = rest[0] in "aeiou"
    out = {rest}
    if nasal == "ny" and vowel:
        out.add("s" + rest)
    elif nasal == "m" and vowel:
        out.add("p" + rest)
    elif nasal == "n" and vowel:
        out.add("t" + rest)
    elif nasal == "ng" and vowel:
        out.add("k" + rest)
    elif nasal == "nge":
        out.add(rest)
    return out


def _strip_prefixes(word: str) -> set[str]:
    forms: set[str] = set()
    for head in ("menge", "meng", "meny", "mem", "men", "me", "penge", "peng", "peny", "pem",
                 "pen", "pe"):
        if word.startswith(head):
            forms |= _nasal(word, head) if len(head) > 2 else {word[2:]}
    for prefix in _PLAIN_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_ROOT:
            forms.add(word[len(prefix) :])
    return forms


def _unreduplicate(word: str) -> str:
    if word.endswith("2") and word[:-1].isalpha():
        return word[:-1]
    left, sep, right = word.partition("-")
    if sep and right and (left == right or right.startswith(left) or left.endswith(right)):
        return left if len(left) <= len(right) else right
    return word


@lru_cache(maxsize=100_000)
def root_candidates(word: str) -> frozenset[str]:
    """Return the word and every root it may be built from (prefixes, suffixes, reduplication)."""
    word = word.lower()
    base = _unreduplicate(word)
    out = {word, base}
    for form in _strip_suffixes(base):
        out.add(form)
        for inner in _strip_prefixes(form):
            out.add(inner)
            out |= _strip_suffixes(inner)
            out |= {x for deeper in _strip_prefixes(inner) for x in (deeper,)}
    if "-" in base:  # "membagi-bagikan": the reduplicated stem after the prefix
        for part in base.split("-"):
            out |= root_candidates(part)
    return frozenset(f for f in out if len(f) >= _MIN_ROOT)


class _WordRoots(dict[str, tuple[str, ...]]):
    """The lexicon roots in each whitespace-free piece of lower-cased text, found on look-up.

    Tokens never span whitespace, so a text's roots are those of its pieces, in order.
    """

    def __init__(self, matcher: AffixMatcher) -> None:
        super().__init__()
        self.matcher = matcher

    def __missing__(self, piece: str) -> tuple[str, ...]:
        found = tuple(root for root in map(self.matcher.root_of, _TOKEN.findall(piece))
                      if root is not None)
        if len(self) < _WORD_CACHE:
            self[piece] = found
        return found


class AffixMatcher:
    """Finds the roots of a lexicon in text, whatever affixes or reduplication they carry."""

    def __init__(self, roots: Iterable[str]) -> None:
        self.roots = frozenset(r.lower() for r in roots)
        self._seen: dict[str, str | None] = {}
        self._pieces = _WordRoots(self)
        # Every affixed form holds its root less the first letter (a nasal prefix may
        # replace that letter), so a word without any such piece needs no analysis.
        pieces = sorted({r[1:] for r in self.roots}, key=len, reverse=True)
        self._hint = re.compile("|".join(map(re.escape, pieces))) if pieces else None

    def root_of(self, word: str) -> str | None:
        """Return the lexicon root this word is built from, or None."""
        if word in self._seen:
            return self._seen[word]
        found: str | None = word if word in self.roots else None
        if found is None and self._hint is not None and self._hint.search(word):
            hits = root_candidates(word) & self.roots
            found = max(hits, key=len) if hits else None
        if len(self._seen) < _WORD_CACHE:
            self._seen[word] = found
        return found

    def find(self, text: str) -> list[str]:
        """Return the roots found in lower-cased text, in order of appearance (repeats kept)."""
        return list(chain.from_iterable(map(self._pieces.__getitem__, text.lower().split())))

    def roots_in(self, text: str) -> set[str]:
        """Return the set of roots found in text (what `find` returns, without order)."""
        # Most pieces hold no root: filtering their empty tuples out first spares an iterator
        # per piece.
        found = filter(None, map(self._pieces.__getitem__, text.lower().split()))
        return set(chain.from_iterable(found))
