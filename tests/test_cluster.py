"""Near-duplicate clustering of real tweets: copies and retellings join, others stay apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from siaga.detect.cluster import Clusterer, MinHasher
from siaga.detect.normalise import Normaliser
from siaga.store import Store
from siaga.store import signals as db
from tests.detect_helpers import real_tweets

T0 = datetime(2024, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tweets(data_dir: Path) -> list[str]:
    normaliser = Normaliser.from_data_dir(data_dir)
    texts = [t for t in real_tweets(data_dir, 3000, start=1000) if len(t.split()) >= 12]
    return normaliser.normalise_many(texts[:300])


def _variants(text: str) -> list[str]:
    words = text.split()
    return [
        "rt @user : " + text,
        text + " httpurl",
        " ".join(words[:-1]),  # last word dropped
        " ".join([*words[:3], "tolong", "sebarkan", *words[3:]]),
    ]


def test_copies_and_retellings_join_their_original(tweets: list[str]) -> None:
    clusterer = Clusterer()
    originals = clusterer.assign(tweets, [T0] * len(tweets), ["twitter"] * len(tweets),
                                 list(range(len(tweets))))
    assert len(set(originals)) >= len(tweets) - 3  # distinct real tweets stay apart
    texts = [v for t in tweets[:50] for v in _variants(t)]
    joined = clusterer.assign(texts, [T0 + timedelta(hours=1)] * len(texts),
                              ["facebook"] * len(texts), [None] * len(texts))
    expected = [originals[i] for i in range(50) for _ in range(4)]
    agree = sum(a == b for a, b in zip(joined, expected, strict=True))
    assert agree >= 0.95 * len(texts)
    state = clusterer.clusters[originals[0]]
    assert state.count >= 4 and state.sources["twitter"] == 1
    assert state.first_seen == T0 and state.last_seen == T0 + timedelta(hours=1)


def test_signatures_are_stable_and_estimate_similarity(tweets: list[str]) -> None:
    a = MinHasher().signatures(tweets[:20])
    b = MinHasher().signatures(tweets[:20])
    assert a.dtype == np.uint32 and a.shape == (20, 64) and (a == b).all()
    same = float(np.mean(a[0] == MinHasher().signatures([tweets[0] + " httpurl"])[0]))
    other = float(np.mean(a[0] == a[1]))
    assert same > 0.6 and other < 0.2


def test_short_and_empty_texts_get_clusters() -> None:
    ids = Clusterer().assign(["", "hoaks", "hoaks", "kpu curang"], [T0] * 4, ["x"] * 4,
                             [None] * 4)
    assert ids[1] == ids[2] and len(set(ids)) == 3


def test_clusters_survive_a_restart_through_the_store(store: Store, tweets: list[str]) -> None:
    first = Clusterer()
    ids = first.assign(tweets[:30], [T0] * 30, ["twitter"] * 30, [None] * 30)
    with store.engine.begin() as conn:
        db.save_clusters(conn, first.take_dirty())
    later = Clusterer()
    with store.engine.begin() as conn:
        later.add_existing(db.load_clusters(conn))
        later.next_id = db.max_cluster_id(conn) + 1
        again = later.assign(["rt @user : " + tweets[7], "sesuatu yang sama sekali baru"],
                             [T0 + timedelta(days=1)] * 2, ["rss", "rss"], [None, None])
        db.save_clusters(conn, later.take_dirty())
        stored = {s.id: s for s in db.load_clusters(conn)}
    assert again[0] == ids[7] and again[1] == max(ids) + 1
    assert stored[ids[7]].count == 2 and stored[ids[7]].sources == {"twitter": 1, "rss": 1}
    assert stored[ids[7]].last_seen == T0 + timedelta(days=1)
    assert stored[ids[7]].first_seen == T0


def test_clusters_cli_lists_the_largest(store: Store, tweets: list[str], tmp_path: Path) -> None:
    import json

    import typer.testing

    from siaga.cli import app

    clusterer = Clusterer()
    copies = [tweets[2], "rt @user : " + tweets[2], tweets[2] + " httpurl", tweets[5]]
    clusterer.assign(copies, [T0 + timedelta(minutes=i) for i in range(4)],
                     ["twitter", "twitter", "facebook", "twitter"], [None] * 4)
    with store.engine.begin() as conn:
        db.save_clusters(conn, clusterer.take_dirty())
    url = store.engine.url.render_as_string(hide_password=False)
    result = typer.testing.CliRunner().invoke(
        app, ["--database-url", url, "detect", "clusters", "--json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)  # the single tweet is not listed (min count 2)
    assert row["count"] == 3 and row["sources"] == {"twitter": 2, "facebook": 1}
    assert row["sample"] == tweets[2][:500]
    assert row["last_seen"] == (T0 + timedelta(minutes=2)).isoformat()
