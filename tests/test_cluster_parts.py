"""The cluster job's parts that need no Spark: clusters per component, file parsing, alerts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from siaga.cluster.backfill import alerts_of
from siaga.cluster.executor import LINE_BITS, cluster_component, parse_files
from siaga.detect.alerts import load_rules, rises
from siaga.detect.cluster import Clusterer
from tests.detect_helpers import real_tweets


def _components(keys: list[list[int]]) -> list[int]:
    """Return per text the smallest text it is connected to through shared band keys."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[int, int], int] = {}
    for i, row in enumerate(keys):
        for band, key in enumerate(row):
            j = first.setdefault((band, key), i)
            a, b = root(i), root(j)
            parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(keys))]


def _component_frame(texts: list[str], moments: list[datetime]) -> pd.DataFrame:
    """Return the cluster stage's input rows for `texts`, with each text's component."""
    clusterer = Clusterer()
    components = _components(clusterer.band_keys(clusterer.hasher.signatures(texts)))
    return pd.DataFrame({"ord": range(len(texts)), "normalised": texts,
                         "moment": [m.isoformat() for m in moments], "source": "x",
                         "component": components})


def test_clusters_per_component_are_the_single_node_clusters(data_dir: Path) -> None:
    base = real_tweets(data_dir, 400, start=500)
    texts = [t.lower() for t in base]
    texts += [f"rt @user : {t.lower()} #pilkada" for t in base[:120]]
    texts += [f"{t.lower()} tolong sebarkan" for t in base[50:150]]
    moments = [datetime(2024, 11, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(len(texts))]
    single = Clusterer().assign(texts, moments, ["x"] * len(texts), [None] * len(texts))
    frame = _component_frame(texts, moments)
    opener: dict[int, int] = {}
    for _, part in frame.groupby("component"):
        judged = cluster_component(part.sample(frac=1, random_state=3))  # order is restored
        opener.update(zip(judged["ord"], judged["opener"], strict=True))
    mine: dict[int, set[int]] = defaultdict(set)
    theirs: dict[int, set[int]] = defaultdict(set)
    for i, cluster in enumerate(single):
        mine[opener[i]].add(i)
        theirs[cluster].add(i)
    assert sorted(map(sorted, mine.values())) == sorted(map(sorted, theirs.values()))
    assert len(theirs) < len(texts) - 150  # the replays joined their originals
    # Ids in the order of each cluster's first text are the single node's ids.
    ranks = {o: n for n, o in enumerate(sorted(mine), start=1)}
    assert [ranks[opener[i]] for i in range(len(texts))] == single


def test_components_judged_together_are_judged_as_alone(data_dir: Path) -> None:
    # The cluster stage hands a worker a bucket of whole components in one call.
    base = [t.lower() for t in real_tweets(data_dir, 300, start=900)]
    texts = base + [f"rt @user : {t} #pilkada" for t in base[:100]]
    moments = [datetime(2024, 11, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(len(texts))]
    frame = _component_frame(texts, moments)
    alone: dict[int, int] = {}
    for _, part in frame.groupby("component"):
        judged = cluster_component(part)
        alone.update(zip(judged["ord"], judged["opener"], strict=True))
    buckets = frame.assign(bucket=frame["component"] % 3)
    together: dict[int, int] = {}
    for _, part in buckets.groupby("bucket"):
        judged = cluster_component(part.sample(frac=1, random_state=5))
        together.update(zip(judged["ord"], judged["opener"], strict=True))
    assert together == alone
    assert sum(o != i for i, o in alone.items()) >= 90  # the replays joined their originals


def test_parse_files_names_bad_lines_and_orders_rows() -> None:
    good = {"id": "a", "text": "Ada serangan fajar di Bangko", "published_at": "2024-11-20"}
    content = "\n".join([json.dumps(good), '{"id": "b", "text": ', json.dumps({"id": "c"})])
    rows = next(parse_files({"file:/data/x.jsonl": 3}, datetime.now(UTC), iter([pd.DataFrame(
        {"path": ["file:/data/x.jsonl"], "content": [content.encode()]})])))
    assert rows["problem"].isna().tolist() == [True, False, False]
    assert rows["problem"][1].startswith("/data/x.jsonl:2: not valid JSON")
    assert rows["problem"][2] == "/data/x.jsonl:3: field 'text' is missing or empty"
    assert rows["ord"].tolist() == [(3 << LINE_BITS) | n for n in (1, 2, 3)]


def test_alerts_from_aggregates_use_the_single_node_rule() -> None:
    rules = load_rules()
    start = date(2024, 11, 1)
    counts = [("15.02", "money_politics", start + timedelta(days=d), n, 0.4 + d / 100)
              for d, n in enumerate([1, 0, 1, 1, 0, 1, 7])]
    found = alerts_of(counts, rules)
    daily = {("15.02", "money_politics"): {day: n for _, _, day, n, _ in counts}}
    touched = {(("15.02", "money_politics"), rules.window_of(day)) for _, _, day, _, _ in counts}
    expected = rises(daily, touched, start, rules)
    assert [(a["window_start"], a["observed"], a["expected"]) for a in found] == \
        [(r.window.isoformat(), r.verdict.observed, r.verdict.expected) for r in expected]
    assert [a["window_start"] for a in found] == [(start + timedelta(days=6)).isoformat()]
    assert found[0]["max_severity"] == 0.46
