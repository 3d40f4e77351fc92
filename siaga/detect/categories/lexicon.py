"""The project's expert lexicons: loading the YAML files and matching them against texts.

Each category has a file in `lexicons/` with three kinds of entries: `strong` phrases (one is
enough to mark the category), `weak` words (suggestive only: a model feature) and `near` rules
(a word from `any` within `window` tokens of a word from `with`). Every word is matched on its
affix-stripped forms (see `stems.word_forms`), so one entry covers its affixed, reduplicated
and colloquial spellings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from siaga.datafiles.rules_yaml import YamlError, parse_text
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.stems import MIN_STEM, clear_stem_cache, word_forms
from siaga.detect.toxicity.normalise import normalise_tweet

LEXICON_DIR = Path(__file__).parent / "lexicons"
KINDS = ("strong", "weak", "near")
FEATURES_PER_CATEGORY = len(KINDS)
_SEEN_LIMIT = 300_000
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Phrase = tuple[str, ...]
Trie = dict[str, "Trie"]
Entry = tuple[Phrase, int, str]  # (entry words, slot, entry text as written)
WIDTH = len(CATEGORIES) * FEATURES_PER_CATEGORY  # columns of `counts` and `features`


class LexiconError(ValueError):
    """A lexicon file that does not have the expected shape."""


@dataclass(frozen=True)
class NearRule:
    """Two word lists whose members must occur within `window` tokens of each other."""

    category: int
    window: int
    any_slot: int
    with_slot: int


@dataclass
class Lexicon:
    """Compiled lexicons of all categories: an index from word form to the phrases it starts."""

    index: dict[str, list[Entry]] = field(default_factory=dict)
    near_rules: list[NearRule] = field(default_factory=list)
    slots: int = 2 * len(CATEGORIES)
    colloquial: Mapping[str, str] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    cores: re.Pattern[str] | None = None
    # Token caches, filled on use and never pickled. Most tokens start no entry: for them
    # only the token is kept (in `_seen`), which set operations skip at C speed. Forms are
    # kept only for the tokens a multi-word entry had to look at (`_following`).
    _seen: set[str] = field(default_factory=set, repr=False, compare=False)
    _starters: dict[str, tuple[Entry, ...]] = field(default_factory=dict, repr=False, compare=False)
    _following: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, object]:
        """Return the fields to pickle, with the token caches left out (rebuilt on use)."""
        caches = ("_seen", "_starters", "_following")
        return {name: value for name, value in self.__dict__.items() if name not in caches}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore a pickled lexicon with empty caches and a rebuilt pre-filter."""
        self.__dict__.update(state)  # older pickles also hold an (empty) dict as `_seen`
        self._seen, self._starters, self._following = set(), {}, {}
        if self.cores is not None:  # older pickles hold a much slower form of the same filter
            self.compile_cores()

    def compile_cores(self) -> None:
        """Build the pre-filter of `_forms`: every lexicon word without its first letter.

        Peeling affixes (and restoring a nasalised first letter) leaves a stem whose tail is a
        substring of the token, so a token containing no word's tail can match no word
        except itself, and its (costly) affix forms need not be computed. Three-letter words
        keep their first letter (a two-letter tail would let almost every token through): a
        nasalised three-letter word is not matched, which no lexicon entry needs.
        """
        tails = {w[1:] if len(w) > MIN_STEM else w for w in self.words if len(w) >= MIN_STEM}
        self.cores = re.compile(_trie_pattern(tails))

    def _forms(self, token: str) -> frozenset[str]:
        if self.cores is not None and not self.cores.search(token):
            return frozenset((token,))
        return word_forms(token)

    def _add(self, phrase_text: str, slot: int) -> None:
        words = _TOKEN.findall(phrase_text.lower())
        if not words:
            raise LexiconError(f"empty lexicon entry {phrase_text!r}")
        self.words.update(words)
        # Entries are written in base form: a token matches a word when the word is one of
        # the token's forms (matching form sets both ways would let "perang" match "serang").
        self.index.setdefault(words[0], []).append((tuple(words), slot, phrase_text))

    def _token_forms(self, token: str) -> frozenset[str]:
        """Return the forms of a token, with those of its standard word if it is slang."""
        forms = self._forms(token)
        standard = self.colloquial.get(token)
        if standard is not None and " " not in standard:
            forms = forms | self._forms(standard)
        return forms

    def _starts(self, token: str) -> tuple[Entry, ...]:
        """Return the lexicon entries that may start at a token not seen before (remembered)."""
        forms = self._token_forms(token)
        starts = tuple([entry for form in forms for entry in self.index.get(form, ())])
        if len(self._seen) < _SEEN_LIMIT:
            self._seen.add(token)
            if starts:
                self._starters[token] = starts
        return starts

    def _starting(self, words: list[str]) -> dict[str, tuple[Entry, ...]]:
        """Return {token: entries that may start at it} for the tokens of words starting any.

        Most tokens start nothing and were seen before: two set operations (in C) skip them
        without a Python step per token; only new tokens go through `_starts`.
        """
        unique = set(words)
        found = {word: self._starters[word] for word in self._starters.keys() & unique}
        for word in unique - self._seen:
            starts = self._starts(word)
            if starts:  # a new token, or one the full cache could not keep
                found[word] = starts
        return found

    def _forms_at(self, words: list[str], position: int) -> frozenset[str]:
        """Return the forms of the token at position (none past the end), remembered."""
        if position >= len(words):
            return frozenset()
        token = words[position]
        forms = self._following.get(token)
        if forms is None:
            forms = self._token_forms(token)
            if len(self._following) < _SEEN_LIMIT:
                self._following[token] = forms
        return forms

    def split(self, text: str) -> list[str]:
        """Return the tokens of text as `hits` counts them (after normalisation)."""
        return _TOKEN.findall(normalise_tweet(text))

    def tokens(self, text: str) -> list[frozenset[str]]:
        """Return the word forms of each token of text (after normalisation)."""
        return [self._token_forms(t) for t in _TOKEN.findall(normalise_tweet(text))]

    def hits(self, text: str, normalised: bool = False) -> list[tuple[int, int, str]]:
        """Return (slot, token position, entry text) of every lexicon match in text.

        Matches are in token order, each once. `normalised` says the text already went
        through `normalise_tweet`.
        """
        words = _TOKEN.findall(text if normalised else normalise_tweet(text))
        starting = self._starting(words)
        if not starting:
            return []
        found: dict[tuple[int, int, str], None] = {}
        for i in [i for i, word in enumerate(words) if word in starting]:
            following: frozenset[str] | None = None  # forms of the next token, once needed
            for phrase, slot, entry in starting[words[i]]:
                if len(phrase) > 1:
                    if following is None:
                        following = self._forms_at(words, i + 1)
                    # Most multi-word entries fail on their second word: test it in place.
                    if phrase[1] not in following or not self._continues(phrase, words, i):
                        continue
                found[(slot, i, entry)] = None
        return list(found)

    def _continues(self, phrase: Phrase, words: list[str], start: int) -> bool:
        """Return whether the tokens after `start` match the rest of a multi-word phrase."""
        if start + len(phrase) > len(words):
            return False
        return all(phrase[k] in self._forms_at(words, start + k) for k in range(1, len(phrase)))

    def counts(self, text: str, normalised: bool = False) -> npt.NDArray[np.float32]:
        """Return the strong, weak and near-rule match counts of each category (length 30)."""
        return np.array(self._count(self.hits(text, normalised)), dtype=np.float32)

    def _count(self, found: list[tuple[int, int, str]]) -> list[int]:
        """Return the 30 counts of `counts` for the hits `found`, as Python ints.

        Python ints because adding to a numpy scalar per hit costs several times more.
        """
        row = [0] * WIDTH
        positions: dict[int, list[int]] = {}
        for slot, position, _ in found:
            if slot < 2 * len(CATEGORIES):
                category, kind = divmod(slot, 2)
                row[category * FEATURES_PER_CATEGORY + kind] += 1
            else:
                positions.setdefault(slot, []).append(position)
        if not positions:  # no near-rule word in the text: no rule can fire
            return row
        for rule in self.near_rules:
            left, right = positions.get(rule.any_slot), positions.get(rule.with_slot)
            if left and right and _near(left, right, rule.window):
                row[rule.category * FEATURES_PER_CATEGORY + 2] += 1
        return row

    def features(self, texts: Sequence[str], normalised: bool = False) -> npt.NDArray[np.float32]:
        """Return a (len(texts), 30) matrix of lexicon match counts: `counts` of each text."""
        matrix = np.zeros((len(texts), WIDTH), dtype=np.float32)
        for i, text in enumerate(texts):
            found = self.hits(text, normalised)
            if found:
                matrix[i] = self._count(found)
        return matrix

    def rule_labels(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        """Return the lexicon-only decision: a strong phrase or a near rule matched."""
        shaped = features.reshape(len(features), len(CATEGORIES), FEATURES_PER_CATEGORY)
        return np.asarray((shaped[:, :, 0] + shaped[:, :, 2]) > 0)

    def clear_cache(self) -> None:
        """Forget what was learnt of the tokens seen so far (and the shared stem cache)."""
        self._seen.clear()
        self._starters.clear()
        self._following.clear()
        clear_stem_cache()

    def explain(self, text: str) -> dict[str, list[str]]:
        """Return, per category, the strong and weak lexicon entries found in text."""
        out: dict[str, list[str]] = {}
        for slot, _, entry in self.hits(text):
            if slot < 2 * len(CATEGORIES):
                out.setdefault(CATEGORIES[slot // 2], []).append(entry)
        return out


def _trie_pattern(words: set[str]) -> str:
    """Return a regex matching exactly the strings of words, their common prefixes factored.

    re tries the branches of a plain alternation one by one at every position; as a trie
    ("a(?:bu|ir)"), a search costs one branch per letter instead (about 8x faster here).
    Only whether a word occurs matters, so a word that extends another adds nothing.
    No words gives the empty pattern, which (like the empty alternation) matches anything.
    """
    trie: Trie = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # the end of a word

    def branch(node: Trie) -> str:
        if "" in node:
            return ""
        alternatives = [re.escape(c) + branch(child) for c, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    return branch(trie) if trie else ""


def _near(left: list[int], right: list[int], window: int) -> bool:
    """Return whether a position of left is within window (and not at) a position of right."""
    return any(0 < abs(a - b) <= window for a in left for b in right)


def _entries(data: dict[str, object], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise LexiconError(f"{path}: {key!r} must be a list of phrases")
    return [str(v) for v in value]


def _load_file(lexicon: Lexicon, path: Path, category: int) -> None:
    try:
        data = parse_text(path.read_text("utf-8"), str(path))
    except YamlError as exc:  # '<path>:<line>: not valid YAML (...)'
        raise LexiconError(str(exc)) from exc
    if not isinstance(data, dict) or data.get("category") != CATEGORIES[category]:
        raise LexiconError(f"{path}: expected 'category: {CATEGORIES[category]}'")
    for kind, offset in (("strong", 0), ("weak", 1)):
        for entry in _entries(data, kind, path):
            lexicon._add(entry, 2 * category + offset)
    for number, rule in enumerate(data.get("near", []) or [], start=1):
        if not isinstance(rule, dict) or not isinstance(rule.get("window"), int):
            raise LexiconError(f"{path}: near rule {number} needs 'window', 'any' and 'with'")
        any_slot, with_slot = lexicon.slots, lexicon.slots + 1
        lexicon.slots += 2
        for entry in _entries(rule, "any", path):
            lexicon._add(entry, any_slot)
        for entry in _entries(rule, "with", path):
            lexicon._add(entry, with_slot)
        lexicon.near_rules.append(NearRule(category, rule["window"], any_slot, with_slot))


def load_lexicon(
    directory: Path = LEXICON_DIR, colloquial: Mapping[str, str] | None = None
) -> Lexicon:
    """Return the compiled lexicons of all ten categories from `directory`/<category>.yaml.

    `colloquial` (slang -> standard word) lets a slang token also match its standard form.
    """
    lexicon = Lexicon(colloquial=dict(colloquial or {}))
    for category, name in enumerate(CATEGORIES):
        path = directory / f"{name}.yaml"
        if not path.is_file():
            raise LexiconError(f"{path}: lexicon of category {name!r} not found")
        _load_file(lexicon, path, category)
    lexicon.compile_cores()
    return lexicon
