"""Per-category thresholds chosen for precision first (a false flag costs an officer's time).

For each category the threshold is the lowest score at which the flagged texts of the
calibration data reach the target precision (so recall is as high as that precision allows);
where no threshold reaches it, the one with the best F0.5 (precision weighed twice recall).
Thresholds chosen on the dev split of the real-text dev set are stored in `thresholds.json`
beside this module and override the out-of-fold ones at training; the file is part of the
model's cache key.

The same file names the categories whose lexicon rule is joined to the model ("rule union": a
strong phrase raises the score to the rule's 0.8). They are chosen on the dev split too, one at
a time, while each raises micro-F1 by at least half a point and keeps the share of passages about
none of the ten left unlabelled at `NONE_KEPT` or more: on news the rule finds camps attacking
each other that the model, trained mostly on posts, misses.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from siaga.detect.categories.labels import CATEGORIES

THRESHOLDS_FILE = Path(__file__).with_name("thresholds.json")
TARGET_PRECISION = 0.8
MIN_POSITIVES = 3  # fewer positives than this in the calibration data: keep the other choice
# Never below this: a score under it is no evidence of anything.
FLOOR = 0.2
NONE_KEPT = 0.8  # the share of `none` passages a rule union must leave unlabelled
MIN_GAIN = 0.005  # micro-F1 a rule union must add on the dev split


def precision_first(scores: npt.NDArray[np.float64], truth: npt.NDArray[np.int8],
                    target: float = TARGET_PRECISION) -> float | None:
    """Return the lowest threshold whose flags reach `target` precision (else the best F0.5
    one), halfway to the next lower score; None with fewer than MIN_POSITIVES positives."""
    if int(truth.sum()) < MIN_POSITIVES:
        return None
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(truth[order])
    flagged = np.arange(1, len(truth) + 1)
    precision, recall = hits / flagged, hits / truth.sum()
    reaching = np.flatnonzero((precision >= target) & (truth[order] == 1))
    if len(reaching):
        best = int(reaching[-1])
    else:
        f05 = 1.25 * precision * recall / np.maximum(0.25 * precision + recall, 1e-12)
        best = int(np.argmax(f05))
    following = scores[order[best + 1]] if best + 1 < len(order) else 0.0
    return max(FLOOR, float((scores[order[best]] + following) / 2))


def choose(scores: npt.NDArray[np.float64], truth: npt.NDArray[np.int8],
           fallback: npt.NDArray[np.float64]) -> dict[str, float]:
    """Return {category: threshold} chosen precision-first, `fallback` where too few positives."""
    out = {}
    for j, name in enumerate(CATEGORIES):
        value = precision_first(scores[:, j], truth[:, j])
        out[name] = round(float(fallback[j] if value is None else value), 4)
    return out


def _micro_f1_and_none_kept(flags: npt.NDArray[np.bool_],
                            truth: npt.NDArray[np.int8]) -> tuple[float, float]:
    """Return (micro-F1, share of rows without a true category left without a flag)."""
    hits = int((flags & (truth == 1)).sum())
    said, real = int(flags.sum()), int(truth.sum())
    f1 = 2 * hits / (said + real) if said + real else 0.0
    nones = truth.sum(axis=1) == 0
    kept = float((~flags[nones].any(axis=1)).mean()) if nones.any() else 1.0
    return f1, kept


def choose_rule_union(scores: npt.NDArray[np.float64], rule: npt.NDArray[np.bool_],
                      truth: npt.NDArray[np.int8], thresholds: dict[str, float]) -> list[str]:
    """Return the categories whose lexicon rule joins the model's flags (greedy, best first),
    each raising micro-F1 by MIN_GAIN and keeping NONE_KEPT of the `none` rows unlabelled."""
    flags = scores >= np.array([thresholds[name] for name in CATEGORIES])
    best, _ = _micro_f1_and_none_kept(flags, truth)
    chosen: list[str] = []
    while True:
        trials = []
        for j, name in enumerate(CATEGORIES):
            if name in chosen:
                continue
            trial = flags.copy()
            trial[:, j] |= rule[:, j]
            f1, kept = _micro_f1_and_none_kept(trial, truth)
            if kept >= NONE_KEPT and f1 >= best + MIN_GAIN:
                trials.append((f1, name, trial))
        if not trials:
            return chosen
        best, name, flags = max(trials, key=lambda t: t[0])
        chosen.append(name)


def read_rule_union(path: Path = THRESHOLDS_FILE) -> list[str]:
    """Return the stored rule-union categories (empty when there is no file or entry)."""
    if not path.is_file():
        return []
    found = json.loads(path.read_text("utf-8")).get("rule_union", [])
    unknown = set(found) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{path}: unknown categories {sorted(unknown)}")
    return [str(name) for name in found]


def read_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    """Return the stored {category: threshold} (empty when there is no file)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text("utf-8"))
    found = data.get("thresholds", {})
    unknown = set(found) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{path}: unknown categories {sorted(unknown)}")
    return {k: float(v) for k, v in found.items()}


def write_thresholds(values: dict[str, float], note: dict[str, object],
                     path: Path = THRESHOLDS_FILE) -> None:
    """Store thresholds with a note of how they were chosen (atomically)."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({**note, "thresholds": values}, indent=2) + "\n", "utf-8")
    partial.replace(path)


def choose_on_devset(data_dir: Path, devset_dir: Path) -> dict[str, object]:
    """Train the category model as served (without stored thresholds), score the dev split
    of the real-text dev set and return the thresholds chosen there with a note."""
    from siaga.detect.categories.cache import train_from_data
    from siaga.detect.devset import flags_of, load_devset
    from siaga.detect.toxicity.normalise import normalise_tweet

    model = train_from_data(data_dir, ignore_stored=True)
    passages = [p for p in load_devset(devset_dir) if p.label.split == "dev"]
    texts = [p.text for p in passages]
    scores = model.predict_proba(texts)
    chosen = choose(scores, flags_of(passages), model.thresholds)
    lexical = model.lexicon.features([normalise_tweet(t) for t in texts], normalised=True)
    union = choose_rule_union(scores, model.lexicon.rule_labels(lexical), flags_of(passages),
                              chosen)
    return {"chosen_on": f"real-text dev set, dev split ({len(passages)} passages)",
            "target_precision": TARGET_PRECISION, "min_positives": MIN_POSITIVES,
            "none_kept": NONE_KEPT, "rule_union": union, "thresholds": chosen}


def main() -> None:
    """Choose the thresholds on the dev split and write thresholds.json (SIAGA_DATA_DIR and
    SIAGA_DEVSET_DIR name the shared data and the dev-set text cache)."""
    import os

    note = choose_on_devset(Path(os.environ["SIAGA_DATA_DIR"]),
                            Path(os.environ["SIAGA_DEVSET_DIR"]))
    values = note.pop("thresholds")
    write_thresholds(values, note)  # type: ignore[arg-type]
    print(json.dumps({**note, "thresholds": values}, indent=2))


if __name__ == "__main__":
    main()
