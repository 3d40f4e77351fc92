"""Cross-corpus hate-speech figures: train without a corpus, test on it.

For each held-out corpus the pooled model is trained on the Ibrohim (2019) tweets and every
other pooled corpus (texts duplicating a held-out text removed), and compared in the same run
with the model trained on the Ibrohim tweets alone. Both decide at the probability 0.5 (no
threshold is tuned on the held-out corpus); average precision says how well each ranks.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from siaga.detect.toxicity.config import ModelConfig
from siaga.detect.toxicity.datasets import LabelledTexts, read_abusive_words, read_ibrohim2019
from siaga.detect.toxicity.labels import HATE, LABEL_NAMES
from siaga.detect.toxicity.model import ToxicityModel, train_model
from siaga.detect.toxicity.pooled import HS, READERS, concat, read_pooled, without

# The held-out corpora of the table: the Facebook posts, the 2019 news comments, Netifier.
HELD_OUT = ("aulia2019", "news-comments-2019", "netifier")
CUT = 0.5


def _figures(model: ToxicityModel, test: LabelledTexts) -> dict[str, float]:
    truth = (test.labels[:, HS] == 1).astype(int)  # Netifier's defamation-only rows: not SARA
    scores = model.predict_proba(test.texts)[:, LABEL_NAMES.index(HATE)]
    said = scores >= CUT
    return {
        "f1": round(float(f1_score(truth, said)), 4),
        "precision": round(float(precision_score(truth, said, zero_division=0)), 4),
        "recall": round(float(recall_score(truth, said)), 4),
        "average_precision": round(float(average_precision_score(truth, scores)), 4),
        "texts": len(truth),
        "positives": int(truth.sum()),
    }


def cross_corpus(data_dir: Path, config: ModelConfig | None = None) -> dict[str, Any]:
    """Return per held-out corpus the hate F1 of the Ibrohim-only and the pooled model."""
    config = config or ModelConfig()
    corpora = config.pooled or tuple(READERS)
    words = read_abusive_words(data_dir)
    ibrohim = read_ibrohim2019(data_dir)
    rows: dict[str, Any] = {}
    with threadpool_limits(limits=1):
        alone = train_model(ibrohim, replace(config, pooled=()), abusive_words=words)
        for name in HELD_OUT:
            test = READERS[name](data_dir)
            others = [c for c in corpora if c != name]
            train = without(concat((ibrohim, read_pooled(data_dir, others)), "pooled"),
                            test.texts)
            pooled = train_model(train, config, abusive_words=words)
            rows[name] = {"trained_on": ["ibrohim2019", *others],
                          "ibrohim_only": _figures(alone, test),
                          "pooled_without_it": _figures(pooled, test)}
    mean = {k: round(float(np.mean([r[k]["f1"] for r in rows.values()])), 4)
            for k in ("ibrohim_only", "pooled_without_it")}
    return {"benchmark": "cross-corpus", "cut": CUT, "corpora": rows, "mean_f1": mean}
