"""Severity of one signal, 0..1, from its category scores, toxicity and aggravating factors."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from siaga.detect.affixes import AffixMatcher

_PEOPLE_WORDS = ("orang", "warga", "massa", "pendukung", "simpatisan", "pemuda", "relawan",
                 "peserta", "anggota", "jiwa")
_PEOPLE = re.compile(
    r"\b(?:\d{2,}(?:[.,]\d{3})*|puluhan|ratusan|ribuan)\s+"
    rf"(?:{'|'.join(_PEOPLE_WORDS)})\b"
)
_TPS = re.compile(r"\btps\s*-?\s*\d{1,3}\b")
# A category whose evidence reports the risk looked for and not found weighs this much of its
# score: the label stays (the forum follows the topic), the severity is low.
NOT_FOUND_WEIGHT = 0.2


@dataclass(frozen=True)
class SeverityRules:
    """Weights of the severity formula (the `severity` section of the alert rules)."""

    weights: Mapping[str, float]
    toxicity_weight: float
    violence_bonus: float
    tps_bonus: float
    crowd_bonus: float
    violence_words: tuple[str, ...]
    crowd_words: tuple[str, ...]


class SeverityScorer:
    """Scores signals; the word lists are matched with their affixes and reduplication."""

    def __init__(self, rules: SeverityRules) -> None:
        self.rules = rules
        # One matcher for both lists: each text is tokenised once.
        self.words = AffixMatcher((*rules.violence_words, *rules.crowd_words))
        self.violence = frozenset(w.lower() for w in rules.violence_words)
        self.crowd = frozenset(w.lower() for w in rules.crowd_words)
        self.bonus = {"violence": rules.violence_bonus, "tps": rules.tps_bonus,
                      "crowd": rules.crowd_bonus}

    def factors(self, normalised: str, tps_named: bool) -> list[str]:
        """Return the aggravating factors found: 'violence', 'tps', 'crowd'."""
        roots = self.words.roots_in(normalised)
        found = []
        if roots & self.violence:
            found.append("violence")
        if tps_named or _names_tps(normalised):
            found.append("tps")
        if roots & self.crowd or _counts_people(normalised):
            found.append("crowd")
        return found

    def score(self, categories: Mapping[str, float], toxicity: float, normalised: str,
              tps_named: bool = False, not_found: Sequence[str] = ()) -> float:
        """Return the severity in [0, 1], rounded to three decimals (`not_found`: categories
        reported as looked for and not found, weighed by NOT_FOUND_WEIGHT)."""
        weights = [w * (NOT_FOUND_WEIGHT if k in not_found else 1.0)
                   for k, w in zip(categories, self.category_weights(list(categories)),
                                   strict=True)]
        base = max((w * v for w, v in zip(weights, categories.values(), strict=True)),
                   default=0.0)
        return self.from_base(base, toxicity, normalised, tps_named)

    def category_weights(self, keys: Sequence[str]) -> list[float]:
        """Return the weight of each category key, in order (0.5 for one without a weight).

        A batch's base scores are then the row maxima of scores times these weights.
        """
        return [self.rules.weights.get(k, 0.5) for k in keys]

    def from_base(self, base: float, toxicity: float, normalised: str,
                  tps_named: bool = False) -> float:
        """Return the severity in [0, 1] (three decimals) from the weighted category maximum."""
        value = 1 - (1 - base) * (1 - self.rules.toxicity_weight * toxicity)
        # Aggravating factors raise a signal that is already about something, not small talk.
        if value >= 0.2:
            value += sum(self.bonus[f] for f in self.factors(normalised, tps_named))
        return round(min(1.0, max(0.0, value)), 3)


def _names_tps(text: str) -> bool:
    """Return whether the text names a polling station ('tps 05', 'TPS-3' lower-cased)."""
    # A match starts at an occurrence of "tps": the search starts at the first one (a search
    # from a position still sees the letter before it, so the word boundary is kept).
    first = text.find("tps")
    return first >= 0 and _TPS.search(text, first) is not None


def _counts_people(text: str) -> bool:
    """Return whether the text counts people ('ratusan warga', '50 orang')."""
    # Most texts name none of the people words: substring tests rule them out sooner than the
    # regex, which tries every position.
    return any(word in text for word in _PEOPLE_WORDS) and _PEOPLE.search(text) is not None
