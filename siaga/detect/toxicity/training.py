"""What the served model learns from: the whole Ibrohim (2019) corpus and its abusive words."""

from __future__ import annotations

from pathlib import Path

from siaga.detect.toxicity.datasets import (
    IBROHIM2019,
    IBROHIM2019_ABUSIVE_WORDS,
    LabelledTexts,
    read_abusive_words,
    read_ibrohim2019,
)

TRAINING_FILES: tuple[str, ...] = (IBROHIM2019, IBROHIM2019_ABUSIVE_WORDS)


def training_data(data_dir: Path) -> LabelledTexts:
    """Return every labelled text the served model is trained on."""
    return read_ibrohim2019(data_dir)


def abusive_words(data_dir: Path) -> frozenset[str]:
    """Return the abusive-word list the model counts in each text."""
    return read_abusive_words(data_dir)
