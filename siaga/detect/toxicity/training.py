"""What the served model learns from: the whole Ibrohim (2019) corpus and the lexicons."""

from __future__ import annotations

from pathlib import Path

from siaga.detect.toxicity.datasets import (
    COLLOQUIAL,
    IBROHIM2019,
    IBROHIM2019_ABUSIVE_WORDS,
    IBROHIM2019_SLANG,
    LabelledTexts,
    read_ibrohim2019,
)

TRAINING_FILES: tuple[str, ...] = (IBROHIM2019,)
LEXICON_FILES: tuple[str, ...] = (COLLOQUIAL, IBROHIM2019_SLANG, IBROHIM2019_ABUSIVE_WORDS)


def training_data(data_dir: Path) -> LabelledTexts:
    """Return every labelled text the served model is trained on."""
    return read_ibrohim2019(data_dir)
