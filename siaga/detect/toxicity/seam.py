"""The seam the detection pipeline calls: a toxicity score per text, whatever the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class ToxicityClassifier(Protocol):
    """Anything that scores texts for toxicity between 0 (clean) and 1 (hateful or abusive)."""

    def toxicity(self, texts: Sequence[str]) -> list[float]:
        """Return one toxicity score in [0, 1] per text, in order."""
        ...


class KeywordToxicity:
    """A stand-in classifier for tests and bare installs: 1.0 when a listed word occurs."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def toxicity(self, texts: Sequence[str]) -> list[float]:
        """Return 1.0 for texts holding any listed word (case-insensitive), else 0.0."""
        return [1.0 if self.words & set(t.lower().split()) else 0.0 for t in texts]
