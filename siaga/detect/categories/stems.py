"""Light, candidate-generating stemming of Indonesian words, formal and colloquial.

Instead of choosing one stem (which needs a dictionary), `word_forms` returns every plausible
form left after peeling inflectional and derivational affixes: "dibagi-bagikan" gives
{"dibagi-bagikan", "dibagi", "bagikan", "bagi", ...}; "nyerang" gives {"nyerang", "serang"};
"memukuli" gives {"memukuli", "pukul", ...}. A lexicon entry matches a word when their form
sets meet, so the over-generation only matters if a bogus form is itself a lexicon word.
"""

from __future__ import annotations

import re

MIN_STEM = 3
_VOWELS = frozenset("aeiou")
_PARTICLES = ("nya", "lah", "kah", "pun", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "in", "i")
# prefix -> initial letters restored after it ("" = none), and whether the rest must start
# with a vowel (the nasal forms that swallow the first consonant: memukul <- pukul).
_PREFIXES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("meng", ("", "k"), False),
    ("meny", ("s",), True),
    ("mem", ("", "p"), False),
    ("men", ("", "t"), False),
    ("me", ("",), False),
    ("peng", ("", "k"), False),
    ("peny", ("s",), True),
    ("pem", ("", "p"), False),
    ("pen", ("", "t"), False),
    ("per", ("",), False),
    ("pe", ("",), False),
    ("di", ("",), False),
    ("ter", ("",), False),
    ("ber", ("",), False),
    ("be", ("",), False),
    ("ke", ("",), False),
    ("se", ("",), False),
    ("nge", ("",), False),  # colloquial: ngebakar <- bakar
    ("ng", ("", "k"), True),  # ngancam <- ancam, ngampanye <- kampanye
    ("ny", ("s", "c"), True),  # nyerang <- serang, nyoblos <- coblos
    ("m", ("p",), True),  # milih <- pilih, mukul <- pukul (not before "e": me- is formal)
    ("n", ("t",), True),  # nolak <- tolak
)

_cache: dict[str, frozenset[str]] = {}
_CACHE_LIMIT = 200_000
_PART = re.compile(r"[a-z0-9]+")


def _strip_suffixes(word: str) -> set[str]:
    forms = {word}
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= MIN_STEM:
            forms.add(word[: -len(particle)])
    for form in list(forms):
        for suffix in _DERIVATIONAL:
            if form.endswith(suffix) and len(form) - len(suffix) >= MIN_STEM:
                forms.add(form[: -len(suffix)])
    return forms


def _strip_prefixes(word: str, depth: int = 2) -> set[str]:
    forms = {word}
    if depth == 0:
        return forms
    for prefix, restores, needs_vowel in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        if len(rest) < MIN_STEM or (needs_vowel and rest[0] not in _VOWELS):
            continue
        if prefix == "m" and rest[0] == "e":  # "merangin" is a place, not "perang" + -in
            continue
        for initial in restores:
            forms |= _strip_prefixes(initial + rest, depth - 1)
    return forms


def _single_forms(word: str) -> set[str]:
    forms: set[str] = set()
    for unprefixed in _strip_prefixes(word):
        forms |= _strip_suffixes(unprefixed)
    forms |= _strip_suffixes(word)
    return forms


def word_forms(token: str) -> frozenset[str]:
    """Return the token and every form left after peeling its affixes (and reduplication)."""
    cached = _cache.get(token)
    if cached is not None:
        return cached
    forms = _single_forms(token)
    if "-" in token:  # reduplication and hyphenated compounds: each part stands for the word
        for part in _PART.findall(token):
            forms |= _single_forms(part)
    result = frozenset(forms)
    if len(_cache) < _CACHE_LIMIT:
        _cache[token] = result
    return result


def clear_stem_cache() -> None:
    """Forget every memoised token (to measure cold-start speed, or to free memory)."""
    _cache.clear()
