"""The project's own training texts: flagged, varied enough to matter, never evaluated."""

from __future__ import annotations

from pathlib import Path

from siaga.detect.categories.evaluate import split_labels
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.labelset import read_project_labels

PREFIX = "PROJECT-WRITTEN EXAMPLE: "
# The categories the news-register texts were written for (docs/categories.md).
WEAK = ("black_campaign", "violence_intimidation", "mass_mobilization", "logistics_admin",
        "participation")


def test_every_project_text_is_flagged_and_distinct() -> None:
    written = read_project_labels()
    assert all(text.startswith(PREFIX) and len(text) > len(PREFIX) + 20
               for text in written.texts)
    assert len(set(written.texts)) == len(written.texts)
    assert set(written.flags.ravel().tolist()) <= {0, 1}


def test_weak_categories_and_hard_negatives_have_the_written_support() -> None:
    written = read_project_labels()
    positives = dict(zip(CATEGORIES, written.flags.sum(axis=0).tolist(), strict=True))
    assert all(positives[name] >= 60 for name in WEAK), positives
    assert int((written.flags.sum(axis=1) == 0).sum()) >= 150


def test_project_texts_are_trained_on_and_never_held_out(data_dir: Path) -> None:
    training, held_out = split_labels(data_dir)
    assert not any(text.startswith(PREFIX) for text in held_out.texts)
    project = [text for text in training.texts if text.startswith(PREFIX)]
    assert project == read_project_labels().texts
