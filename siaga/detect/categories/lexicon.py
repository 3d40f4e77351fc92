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
import yaml

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.stems import MIN_STEM, clear_stem_cache, word_forms
from siaga.detect.toxicity.normalise import normalise_tweet

LEXICON_DIR = Path(__file__).parent / "lexicons"
KINDS = ("strong", "weak", "near")
FEATURES_PER_CATEGORY = len(KINDS)
_SEEN_LIMIT = 300_000
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

Phrase = tuple[str, ...]


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

    index: dict[str, list[tuple[Phrase, int, str]]] = field(default_factory=dict)
    near_rules: list[NearRule] = field(default_factory=list)
    slots: int = 2 * len(CATEGORIES)
    colloquial: Mapping[str, str] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    cores: re.Pattern[str] | None = None
    _seen: dict[str, tuple[frozenset[str], list[tuple[Phrase, int, str]]]] = field(
        default_factory=dict, repr=False
    )

    def compile_cores(self) -> None:
        """Build the pre-filter of `_forms`: every lexicon word without its first letter.

        Peeling affixes (and restoring a nasalised first letter) leaves a stem whose tail is a
        substring of the token, so a token containing no word's tail can match no word
        except itself, and its (costly) affix forms need not be computed. Three-letter words
        keep their first letter (a two-letter tail would let almost every token through): a
        nasalised three-letter word is not matched, which no lexicon entry needs.
        """
        tails = {w[1:] if len(w) > MIN_STEM else w for w in self.words if len(w) >= MIN_STEM}
        longest_first = sorted(tails, key=len, reverse=True)
        self.cores = re.compile("|".join(re.escape(t) for t in longest_first))

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

    def _token(self, token: str) -> tuple[frozenset[str], list[tuple[Phrase, int, str]]]:
        """Return the forms of a token and the lexicon entries that may start at it (cached)."""
        known = self._seen.get(token)
        if known is not None:
            return known
        forms = self._forms(token)
        standard = self.colloquial.get(token)
        if standard is not None and " " not in standard:
            forms = forms | self._forms(standard)
        starts = [entry for form in forms for entry in self.index.get(form, ())]
        if len(self._seen) < _SEEN_LIMIT:
            self._seen[token] = (forms, starts)
        return forms, starts

    def split(self, text: str) -> list[str]:
        """Return the tokens of text as `hits` counts them (after normalisation)."""
        return _TOKEN.findall(normalise_tweet(text))

    def tokens(self, text: str) -> list[frozenset[str]]:
        """Return the word forms of each token of text (after normalisation)."""
        return [self._token(t)[0] for t in _TOKEN.findall(normalise_tweet(text))]

    def hits(self, text: str, normalised: bool = False) -> list[tuple[int, int, str]]:
        """Return (slot, token position, entry text) of every lexicon match in text.

        `normalised` says the text already went through `normalise_tweet`.
        """
        clean = text if normalised else normalise_tweet(text)
        infos = [self._token(t) for t in _TOKEN.findall(clean)]
        found: dict[tuple[int, int, str], None] = {}
        tokens: list[frozenset[str]] | None = None
        for i, (_, starts) in enumerate(infos):
            for phrase, slot, entry in starts:
                if len(phrase) > 1:
                    tokens = tokens or [forms for forms, _ in infos]
                    if not _continues(phrase, tokens, i):
                        continue
                found[(slot, i, entry)] = None
        return list(found)

    def counts(self, text: str, normalised: bool = False) -> npt.NDArray[np.float32]:
        """Return the strong, weak and near-rule match counts of each category (length 30)."""
        row = np.zeros(len(CATEGORIES) * FEATURES_PER_CATEGORY, dtype=np.float32)
        positions: dict[int, list[int]] = {}
        for slot, position, _ in self.hits(text, normalised):
            if slot < 2 * len(CATEGORIES):
                category, kind = divmod(slot, 2)
                row[category * FEATURES_PER_CATEGORY + kind] += 1
            else:
                positions.setdefault(slot, []).append(position)
        for rule in self.near_rules:
            if _near(positions.get(rule.any_slot), positions.get(rule.with_slot), rule.window):
                row[rule.category * FEATURES_PER_CATEGORY + 2] += 1
        return row

    def features(self, texts: Sequence[str], normalised: bool = False) -> npt.NDArray[np.float32]:
        """Return a (len(texts), 30) matrix of lexicon match counts."""
        if not texts:
            return np.zeros((0, len(CATEGORIES) * FEATURES_PER_CATEGORY), dtype=np.float32)
        return np.vstack([self.counts(t, normalised) for t in texts])

    def rule_labels(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
        """Return the lexicon-only decision: a strong phrase or a near rule matched."""
        shaped = features.reshape(len(features), len(CATEGORIES), FEATURES_PER_CATEGORY)
        return np.asarray((shaped[:, :, 0] + shaped[:, :, 2]) > 0)

    def clear_cache(self) -> None:
        """Forget the cached forms of tokens seen so far (and the shared stem cache)."""
        self._seen.clear()
        clear_stem_cache()

    def explain(self, text: str) -> dict[str, list[str]]:
        """Return, per category, the strong and weak lexicon entries found in text."""
        out: dict[str, list[str]] = {}
        for slot, _, entry in self.hits(text):
            if slot < 2 * len(CATEGORIES):
                out.setdefault(CATEGORIES[slot // 2], []).append(entry)
        return out


def _continues(phrase: Phrase, tokens: list[frozenset[str]], start: int) -> bool:
    if start + len(phrase) > len(tokens):
        return False
    return all(phrase[k] in tokens[start + k] for k in range(1, len(phrase)))


def _near(left: list[int] | None, right: list[int] | None, window: int) -> bool:
    if not left or not right:
        return False
    return any(0 < abs(a - b) <= window for a in left for b in right)


def _entries(data: dict[str, object], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise LexiconError(f"{path}: {key!r} must be a list of phrases")
    return [str(v) for v in value]


def _load_file(lexicon: Lexicon, path: Path, category: int) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
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
