"""Benchmark: score the whole nation's 822,116 Pemilu 2024 TPS, TPS → village → … → province.

Every TPS gets a synthetic value for every indicator of the framework (seeded, so each run sees
the same data). Prints JSON with, per framework:
- `full_recompute_s`: Siaga's engine from raw values to scores, classes, indicator counts and
  TPS rawan counts at all five levels (median of several runs);
- `baseline_full_recompute_s`: a straightforward pandas group-by implementation of the same
  scoring, measured in the same run on the same data, and whether both agree;
- `incremental_update_s`: one new TPS observation re-scored along its path (median of many).
Run: `make bench-risk` (or `python benchmarks/risk_index.py`). Needs SIAGA_DATA_DIR.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

# One core, as the aim is stated: set before numpy loads its BLAS.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402 - after the thread settings
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.domain.elections import PollingStation  # noqa: E402
from siaga.domain.risk import IndicatorKind, UnitLevel  # noqa: E402
from siaga.elections.polling_stations import TPS_FILE, read_polling_stations  # noqa: E402
from siaga.risk.engine import RawValues  # noqa: E402
from siaga.risk.framework import Framework, load_frameworks  # noqa: E402
from siaga.risk.hierarchy import Hierarchy  # noqa: E402
from siaga.risk.index import RiskIndex  # noqa: E402

LEVEL_COLUMNS = {UnitLevel.VILLAGE: 13, UnitLevel.DISTRICT: 8, UnitLevel.REGENCY: 5,
                 UnitLevel.PROVINCE: 2}


def national_tree(data_dir: Path) -> Hierarchy:
    """Return the tree of every TPS under KPU's village codes, with a synthetic DPT each.

    Overseas TPS keep KPU's pseudo-province 99, so all 822,116 are scored.
    """
    codes, villages = [], []
    for item in read_polling_stations(data_dir / TPS_FILE):
        if isinstance(item, PollingStation):
            codes.append(item.code)
            villages.append(item.village_code)
    rng = np.random.default_rng(7)
    voters = rng.integers(150, 600, size=len(codes)).astype(np.float64)
    return Hierarchy.build(np.array(codes), np.array(villages), voters)


def synthetic_values(framework: Framework, n: int, rng: np.random.Generator) -> np.ndarray:
    """Return an n x indicators matrix of raw values: mostly zero, sometimes occurring."""
    columns = []
    for ind in framework.indicators:
        occurs = rng.random(n) < 0.08
        if ind.kind is IndicatorKind.BINARY:
            values = occurs.astype(np.float32)
        elif ind.kind is IndicatorKind.COUNT:
            values = occurs * rng.integers(1, 6, size=n)
        else:
            values = occurs * rng.integers(1, 30, size=n)
        columns.append(values.astype(np.float32))
    return np.column_stack(columns)


def siaga_full(framework: Framework, tree: Hierarchy, raw: RawValues) -> RiskIndex:
    """Score with Siaga's engine, from the latest raw value of every TPS and indicator."""
    return RiskIndex(framework, tree, raw)


def pandas_full(framework: Framework, frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Score the straightforward way: normalise columns, then group by each level's code."""
    ids = [i.id for i in framework.indicators]
    norm = pd.DataFrame(index=frame.index)
    for ind in framework.indicators:
        col = frame[ind.id]
        if ind.kind is IndicatorKind.BINARY:
            norm[ind.id] = (col > 0).astype(float)
        elif ind.kind is IndicatorKind.COUNT:
            norm[ind.id] = (col / ind.cap).clip(0, 1)
        else:
            norm[ind.id] = (col / frame["voters"] * ind.per / ind.cap).clip(0, 1)
    weights = pd.Series({i.id: i.weight for i in framework.indicators})
    base = pd.DataFrame({"score": norm[ids].dot(weights) * 100, "voters": frame["voters"]})
    base["weighted"] = base["score"] * base["voters"]
    occurred = norm[ids] > 0
    base["rawan"] = occurred.any(axis=1).astype(int)
    out = {}
    for level in LEVEL_COLUMNS:
        key = frame[level.value]
        sums = base.groupby(key)[["weighted", "voters", "rawan"]].sum()
        result = pd.DataFrame({"score": sums["weighted"] / sums["voters"], "rawan": sums["rawan"]})
        result["indicators_occurred"] = occurred.groupby(key).any().sum(axis=1)
        bounds = framework.thresholds_for(level)
        result["class"] = pd.cut(result["score"], [-np.inf, bounds.medium, bounds.high, np.inf],
                                 right=False, labels=False)
        out[level.value] = result
    return out


def plain_weighted_means(frame: pd.DataFrame) -> list[pd.Series]:
    """Return voter-weighted means of a ready TPS score per level: the group-by floor."""
    weighted = frame["_score"] * frame["voters"]
    parts = pd.DataFrame({"w": weighted, "v": frame["voters"]})
    out = []
    for level in LEVEL_COLUMNS:
        sums = parts.groupby(frame[level.value]).sum()
        out.append(sums["w"] / sums["v"])
    return out


def timed(runs: int, work: object) -> tuple[float, object]:
    """Return the median seconds of `runs` calls and the last result."""
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()  # type: ignore[operator]
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def measure(framework: Framework, tree: Hierarchy, runs: int) -> dict[str, object]:
    """Return the figures for one framework over the national tree."""
    rng = np.random.default_rng(11)
    values = synthetic_values(framework, tree.size, rng)
    raw = RawValues(np.arange(values.shape[1]), {UnitLevel.TPS: values},
                    {UnitLevel.TPS: np.ones(values.shape, dtype=np.int64)})
    full_s, index = timed(runs, lambda: siaga_full(framework, tree, raw))
    village = tree.units[UnitLevel.VILLAGE][tree.leaf_unit[UnitLevel.VILLAGE]]
    frame = pd.DataFrame(values, columns=[i.id for i in framework.indicators])
    frame["voters"] = tree.weights
    for level, width in LEVEL_COLUMNS.items():
        frame[level.value] = village.astype(f"U{width}")
    base_s, base = timed(max(1, runs // 2), lambda: pandas_full(framework, frame))
    frame["_score"] = index.tps_score if isinstance(index, RiskIndex) else 0.0
    mean_s, _ = timed(runs, lambda: plain_weighted_means(frame))
    assert isinstance(index, RiskIndex) and isinstance(base, dict)
    agree = all(
        np.allclose(index.levels[lvl].score, base[lvl.value]["score"].to_numpy(), atol=1e-3)
        and np.array_equal(index.levels[lvl].occurred,
                           base[lvl.value]["indicators_occurred"].to_numpy())
        and np.array_equal(index.levels[lvl].rawan, base[lvl.value]["rawan"].to_numpy())
        for lvl in LEVEL_COLUMNS)
    updates = []
    for _ in range(300):
        leaf, column = int(rng.integers(tree.size)), int(rng.integers(values.shape[1]))
        start = time.perf_counter()
        index.observe(UnitLevel.TPS, leaf, column, float(rng.integers(0, 3)), 2)
        updates.append(time.perf_counter() - start)
    return {
        "indicators": len(framework.indicators),
        "observations": int(values.size),
        "full_recompute_s": round(full_s, 4),
        "baseline_full_recompute_s": round(base_s, 4),
        "speedup": round(base_s / full_s, 2),
        "baseline_weighted_mean_only_s": round(mean_s, 4),
        "incremental_update_s": round(statistics.median(updates), 6),
        "incremental_update_p95_s": round(float(np.percentile(updates, 95)), 6),
        "agree_with_baseline": bool(agree),
    }


def main() -> None:
    """Print the benchmark's JSON."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))
    started = time.perf_counter()
    tree = national_tree(data_dir)
    load_s = time.perf_counter() - started
    frameworks = load_frameworks()
    results = {fid: measure(frameworks[fid], tree, runs=5)
               for fid in ("tps-rawan-pilkada-2024", "ikp-pilkada-2024")}
    main_result = results["tps-rawan-pilkada-2024"]
    print(json.dumps({
        "tps": tree.size,
        "villages": int(tree.units[UnitLevel.VILLAGE].size),
        "full_recompute_s": main_result["full_recompute_s"],
        "incremental_update_s": main_result["incremental_update_s"],
        "baseline_full_recompute_s": main_result["baseline_full_recompute_s"],
        "frameworks": results,
        "read_tps_file_s": round(load_s, 2),
        "threads": os.environ.get("OMP_NUM_THREADS", "unset"),
    }, indent=2))


if __name__ == "__main__":
    main()
