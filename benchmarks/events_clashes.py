"""Benchmark: rival-event clash detection for a province's campaign season.

Synthetic events (seeded) are placed at the real village centroids of Jambi (province 15, from
the shared villages file), spread over the 60 days of the Pilkada 2024 campaign (25 Sep to
23 Nov 2024) between 08:00 and 20:00 WIB, lasting 1-4 hours, each run by one of 2-4 pairs of
its regency's contest. Prints JSON with, per size:
- `sweep_s`: Siaga's time sweep with numpy haversine (`find_rival_clashes`), best of 3;
- `naive_s`: every pair tested in Python (`naive_rival_clashes`), measured in the same run on
  the same events (only up to `NAIVE_LIMIT` events, as it grows with n squared), and whether
  both found the same pairs.
Run: `python benchmarks/events_clashes.py` (needs SIAGA_DATA_DIR).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.events.clashes import (
    EventArrays,
    find_rival_clashes,
    naive_rival_clashes,
)

SIZES = (1_000, 3_000, 10_000, 50_000)
NAIVE_LIMIT = 3_000
MAX_KM, BUFFER_S = 2.0, 2 * 3600
CAMPAIGN_START = 1727197200  # 2024-09-25T00:00+07:00


def jambi_villages(data_dir: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return regency index, lat and lng of every village of province 15 with a centroid."""
    regency, lat, lng = [], [], []
    with (data_dir / "villages" / "village_centroids.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kode"].startswith("15.") and row["lat"] and row["lng"]:
                regency.append(int(row["kode"][3:5]))
                lat.append(float(row["lat"]))
                lng.append(float(row["lng"]))
    return np.array(regency), np.array(lat), np.array(lng)


def synthetic_events(n: int, villages: tuple[np.ndarray, ...], seed: int = 6) -> EventArrays:
    """Return n seeded events at village centroids over the campaign period."""
    rng = np.random.default_rng(seed)
    regency, lat, lng = villages
    at = rng.integers(0, regency.size, n)
    pairs_in = 2 + regency % 3  # 2-4 pairs per regency contest
    day = rng.integers(0, 60, n)
    start = CAMPAIGN_START + day * 86400 + rng.integers(8 * 3600, 20 * 3600, n)
    return EventArrays(regency[at].astype(np.int64), 1 + rng.integers(0, 10_000, n) %
                       pairs_in[at], start, start + rng.integers(3600, 4 * 3600, n), lat[at],
                       lng[at])


def best_of(runs: int, task: object) -> tuple[float, object]:
    """Return the fastest wall time of `runs` calls of `task` and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = task()  # type: ignore[operator]
        best = min(best, time.perf_counter() - began)
    return best, result


def main() -> None:
    """Measure and print JSON."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))
    villages = jambi_villages(data_dir)
    results = []
    for n in SIZES:
        events = synthetic_events(n, villages)
        sweep_s, found = best_of(3, lambda e=events: find_rival_clashes(e, MAX_KM, BUFFER_S))
        pairs = sorted(zip(found.first.tolist(), found.second.tolist(), strict=True))  # type: ignore[attr-defined]
        entry: dict[str, object] = {"events": n, "clashes": len(pairs),
                                    "sweep_s": round(sweep_s, 4)}
        if n <= NAIVE_LIMIT:
            naive_s, naive = best_of(1, lambda e=events: naive_rival_clashes(e, MAX_KM,
                                                                            BUFFER_S))
            entry.update({"naive_s": round(naive_s, 3), "speedup": round(naive_s / sweep_s, 1),
                          "same_pairs": sorted(naive) == pairs})  # type: ignore[arg-type]
        results.append(entry)
    print(json.dumps({"benchmark": "events_clashes", "province": "15 (Jambi)",
                      "villages": int(villages[0].size), "max_km": MAX_KM,
                      "buffer_hours": BUFFER_S / 3600, "results": results}, indent=2))


if __name__ == "__main__":
    main()
