"""The labels the toxicity model predicts, with the Ibrohim & Budi (2019) column of each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Label:
    """One predicted label: our name, the source column, and its Indonesian name."""

    name: str
    column: str
    indonesian: str
    group: str


LABELS: tuple[Label, ...] = (
    Label("hate_speech", "HS", "ujaran kebencian", "main"),
    Label("abusive", "Abusive", "bahasa kasar", "main"),
    Label("target_individual", "HS_Individual", "sasaran: individu", "target"),
    Label("target_group", "HS_Group", "sasaran: kelompok", "target"),
    Label("type_religion", "HS_Religion", "jenis: agama", "type"),
    Label("type_race", "HS_Race", "jenis: ras/etnis", "type"),
    Label("type_physical", "HS_Physical", "jenis: fisik", "type"),
    Label("type_gender", "HS_Gender", "jenis: gender", "type"),
    Label("type_other", "HS_Other", "jenis: lainnya", "type"),
    Label("strength_weak", "HS_Weak", "kekuatan: lemah", "strength"),
    Label("strength_moderate", "HS_Moderate", "kekuatan: sedang", "strength"),
    Label("strength_strong", "HS_Strong", "kekuatan: kuat", "strength"),
)

LABEL_NAMES: tuple[str, ...] = tuple(label.name for label in LABELS)
COLUMNS: tuple[str, ...] = tuple(label.column for label in LABELS)
HATE, ABUSIVE = "hate_speech", "abusive"

# Kept here, free of heavy imports, so that the CLI can name them without loading scikit-learn.
FOLDS = 5
BENCHMARKS = ("indobertweet-hs1", "cross-corpus")


def label_named(name: str) -> Label:
    """Return the label with this name, or raise KeyError."""
    for label in LABELS:
        if label.name == name:
            return label
    raise KeyError(name)
