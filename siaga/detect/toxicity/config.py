"""How a toxicity model is trained: a small frozen record, cheap to import (no scikit-learn)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ModelConfig:
    """How a model is trained. The defaults are the configuration measured in docs/model.md."""

    svm_c: float = 0.3
    char_low: int = 2
    char_high: int = 5
    char_bits: int = 20
    inner_folds: int = 5
    stacker_rounds: int = 150
    stacker_rate: float = 0.1
    clean_text: bool = True
    surface: bool = True
    seed: int = 0
    # Other shared corpora trained on beside the Ibrohim (2019) tweets (keys of
    # siaga.detect.toxicity.pooled.READERS); their duplicates of evaluation texts are removed.
    pooled: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the configuration as a JSON-ready dict."""
        return asdict(self)


QUICK_CONFIG = ModelConfig(inner_folds=2, char_high=4, char_bits=18)
"""A smaller, faster configuration for smoke tests and `--quick`; a few F1 points lower."""
