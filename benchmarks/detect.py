"""Benchmark: the detection pipeline end to end on 100,000 posts built from the shared texts.

The stream replays every text of the shared corpora (about 33,000 tweets, posts, comments and
articles) with variations: retweet prefixes, hashtags, and region, TPS and candidate mentions
(real names of Merangin, Mukomuko and other regencies), spread over 30 days. Measured on one
core: storing the raw signals and processing them (normalise, classify, toxicity, extract,
cluster, store detections and facts in SQLite, evaluate the alert rules), in batches of 1,000;
the baseline is the same pipeline processing one signal at a time, in the same run. Then the
category model's precision, recall and F1 per category on the held-out labelled set.
Run: `make bench-detect` (first run trains the models, which is not timed). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.detect.alerts import load_rules
from siaga.detect.categories.corpora import CORPORA, read_corpus
from siaga.detect.categories.evaluate import evaluate_model, split_labels
from siaga.detect.cluster import Clusterer
from siaga.domain.signals import Signal, SourceKind, content_hash
from siaga.services.detect import build_pipeline, process_pending
from siaga.store import open_store
from siaga.store import signals as db
from siaga.store.alerts import alert_members, counted_signals

STREAM = 100_000
BASELINE = 2_000
BATCH = 1_000
START = datetime(2024, 10, 28, tzinfo=UTC)
PLACES = (
    "di Kabupaten Merangin", "warga Bangko", "Kec. Tabir", "Desa Pasar Bangko",
    "di Kab. Mukomuko", "Kecamatan Kota Mukomuko", "Kota Jambi", "di Kabupaten Bandung",
    "Kota Surabaya", "Kab. Sarolangun", "di Bengkulu", "Kabupaten Kerinci",
)
CANDIDATES = ("paslon 02", "nomor urut 1", "paslon nomor urut 3", "pasangan calon 01")
TAILS = ("#Pilkada2024", "#PilkadaDamai", "tolong sebarkan", "cek faktanya", "")


def corpus_texts(data_dir: Path) -> list[str]:
    """Return every non-empty text of the shared corpora, in a fixed order."""
    texts: list[str] = []
    for name in CORPORA:
        texts += [t for t in read_corpus(data_dir, name) if t.strip()]
    return texts


def stream(texts: list[str], count: int, seed: int = 7) -> list[Signal]:
    """Return `count` signals: the texts replayed with variations, ids b0, b1, ..."""
    rng = random.Random(seed)
    now = START + timedelta(days=31)
    out = []
    for i in range(count):
        text = texts[i % len(texts)]
        if i >= len(texts):  # replays: retweets, quotes, hashtags
            text = rng.choice(("RT @user: ", "", "Lihat ini: ")) + text
            text = f"{text} {rng.choice(TAILS)}".strip()
        if rng.random() < 0.6:
            text = f"{text} {rng.choice(PLACES)}"
        if rng.random() < 0.3:
            text = f"{text} {rng.choice(CANDIDATES)}"
        if rng.random() < 0.1:
            text = f"{text} TPS {rng.randint(1, 20):02d}"
        moment = START + timedelta(minutes=rng.randrange(30 * 24 * 60))
        author = f"akun{rng.randrange(20_000)}"
        out.append(Signal(SourceKind.JSONL, f"b{i}", content_hash(
            text, author=author, platform="twitter", published_at=moment), text, now,
            author=author, platform="twitter", published_at=moment, lang="id",
            origin=f"bench:{i}"))
    return out


def alert_precision(conn: Any, truth: dict[str, frozenset[str]]) -> dict[str, Any]:
    """Return how often what alerts count is right, judged on the stream's hand-labelled texts.

    `truth` maps a stream signal's source id to the hand labels of its text (held-out texts
    only: the served model never trained on them). A counted signal is right when its text
    carries the category; an alert is right when most of its hand-labelled signals do.
    """
    counted = [(sid, c) for sid, c in counted_signals(conn) if sid in truth]
    members: dict[tuple[int, str], list[bool]] = {}
    for alert, category, sid in alert_members(conn):
        if sid in truth:
            members.setdefault((alert, category), []).append(category in truth[sid])
    judged = [sum(v) * 2 > len(v) for v in members.values()]
    return {
        "labelled_signals_counted": len(counted),
        "counted_precision": round(sum(c in truth[s] for s, c in counted) / len(counted), 4)
        if counted else None,
        "alerts_with_labelled_signals": len(judged),
        "alert_precision": round(sum(judged) / len(judged), 4) if judged else None,
    }


def stream_truth(signals: list[Signal], texts: list[str],
                 data_dir: Path) -> dict[str, frozenset[str]]:
    """Return {source id: hand labels} of stream signals replaying a held-out labelled text."""
    from siaga.detect.categories.labels import CATEGORIES

    _, held_out = split_labels(data_dir)
    labels = {t: frozenset(c for c, f in zip(CATEGORIES, row, strict=True) if f)
              for t, row in zip(held_out.texts, held_out.flags.tolist(), strict=True)}
    return {s.source_id: labels[texts[i % len(texts)]] for i, s in enumerate(signals)
            if texts[i % len(texts)] in labels}


def run(pipeline: Any, signals: list[Signal], folder: Path, batch: int,
        truth: dict[str, frozenset[str]] | None = None) -> dict[str, Any]:
    """Store and process the signals in a fresh SQLite file; return timings and counts."""
    rules = load_rules()
    store = open_store(f"sqlite:///{folder / 'bench.db'}")
    pipeline.clusterer = Clusterer()
    pipeline.seconds.clear()
    started = time.perf_counter()
    with store.engine.begin() as conn:
        for first in range(0, len(signals), 10_000):
            db.insert_signals(conn, signals[first:first + 10_000])
    stored = time.perf_counter()
    report = process_pending(store, pipeline, rules, clock=lambda: START + timedelta(days=31),
                             batch_size=batch)
    total = time.perf_counter() - started
    stages = {k: round(v, 2) for k, v in pipeline.seconds.items()}
    with store.engine.connect() as conn:
        precision = alert_precision(conn, truth) if truth else {}
    store.dispose()
    return {
        "signals": report.processed,
        "seconds": round(total, 2),
        "signals_per_second": round(report.processed / total, 1),
        "stages_seconds": {"store_raw": round(stored - started, 2), **stages,
                           "store_results_and_alerts": round(
                               total - (stored - started) - sum(pipeline.seconds.values()), 2)},
        "clusters": pipeline.clusterer.next_id - 1,
        "alerts_opened": len(report.alerts.opened),
        **precision,
    }


def main() -> None:
    """Build the stream, run batched and one-at-a-time, evaluate categories; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--signals", type=int, default=STREAM, help="stream length")
    parser.add_argument("--baseline", type=int, default=BASELINE, help="one-at-a-time signals")
    args = parser.parse_args()
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))
    home = Path(os.environ.get("SIAGA_HOME", "var"))
    started = time.perf_counter()
    pipeline = build_pipeline(home, data_dir, load_rules())
    load_seconds = time.perf_counter() - started
    texts = corpus_texts(data_dir)
    signals = stream(texts, args.signals)
    with threadpool_limits(limits=1), tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "b").mkdir()
        (Path(tmp) / "s").mkdir()
        batched = run(pipeline, signals, Path(tmp) / "b", BATCH,
                      stream_truth(signals, texts, data_dir))
        single = run(pipeline, signals[:args.baseline], Path(tmp) / "s", 1)
        _, held_out = split_labels(data_dir)
        categories = evaluate_model(pipeline.categories, held_out)
    print(json.dumps({
        "benchmark": "detect",
        "corpus_texts": len(texts),
        "stream_signals": len(signals),
        "model_load_or_train_seconds": round(load_seconds, 1),
        "batched": batched,
        "baseline_one_at_a_time": single,
        "speedup": round(batched["signals_per_second"] / single["signals_per_second"], 2),
        "target_signals_per_second": 2000,
        "categories_held_out": categories,
    }, indent=2))


if __name__ == "__main__":
    main()
