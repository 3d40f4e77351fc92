"""`siaga cluster stream` on the real standalone cluster: files arriving in a directory."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from benchmarks.scale_stream import START, burst, corpus_texts, posts, write_jsonl
from siaga.detect.alerts import load_rules
from siaga.store import open_store
from tests.conftest import new_store_url
from tests.test_cluster_spark import BURST_PLACE, _burst_texts

SPIKE_DAY = START + timedelta(days=8)


def _state(out: Path) -> tuple[list[str], Any, Any]:
    batches = sorted(p.name for p in (out / "batches").iterdir())
    counts = json.loads((out / "counts.json").read_text()) if (out / "counts.json").exists() \
        else {}
    alerts = json.loads((out / "alerts.json").read_text()) if (out / "alerts.json").exists() \
        else []
    return batches, counts, alerts


def _signals(url: str) -> int:
    store = open_store(url, migrate=False)
    with store.engine.connect() as conn:
        found = int(conn.exec_driver_sql("SELECT COUNT(*) FROM signals").scalar() or 0)
    store.dispose()
    return found


def test_stream_picks_up_new_files_and_opens_the_alert(
        spark: Any, data_dir: Path, detect_home: Path, pipeline: Any, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    from siaga.cluster.executor import JobSetup
    from siaga.cluster.stream import StreamSettings, run_stream

    texts = corpus_texts(data_dir)
    incoming = tmp_path / "incoming"
    # Replayed posts, most about none of the ten, and two the model labels, so the first
    # update has counts to judge (a category and day far from the spike).
    quiet = burst(_burst_texts(pipeline, texts, "hate_sara", 2), BURST_PLACE,
                  START + timedelta(days=1), prefix="h")
    day_one = [*posts(texts, 90, days=8, seed=11), *quiet]
    write_jsonl(incoming / "day-1.jsonl", day_one)
    url = new_store_url("postgresql", request, tmp_path)
    settings = StreamSettings(source=str(incoming), checkpoint=str(tmp_path / "checkpoint"),
                              out=str(tmp_path / "out"), load=url, available_now=True)
    setup = JobSetup(str(detect_home), str(data_dir), load_rules(), None, datetime.now(UTC))
    key = ("15.02", "money_politics", SPIKE_DAY.date().isoformat())

    run_stream(spark, settings, setup)
    batches, counts, alerts = _state(tmp_path / "out")
    assert len(batches) == 1 and counts
    assert key not in {(a["region_code"], a["category"], a["window_start"]) for a in alerts}
    first = _signals(url)
    assert first == len(day_one)

    spike = burst(_burst_texts(pipeline, texts, "money_politics", 5), BURST_PLACE, SPIKE_DAY)
    write_jsonl(incoming / "day-2.jsonl", [*spike, '{"id": "rusak"'])
    run_stream(spark, settings, setup)
    batches, counts, alerts = _state(tmp_path / "out")
    assert len(batches) == 2
    opened = {(a["region_code"], a["category"], a["window_start"]): a for a in alerts}
    assert key in opened and opened[key]["observed"] >= 3
    assert counts[f"{key[0]}|{key[1]}"][key[2]][0] == opened[key]["observed"]
    assert _signals(url) == first + 5
    problems = json.loads((tmp_path / "out" / "problems" / "batch_id=1.json").read_text())
    assert problems == [f"{incoming / 'day-2.jsonl'}:6: not valid JSON: Expecting ',' delimiter"]\
        or problems[0].startswith(f"{incoming / 'day-2.jsonl'}:6: not valid JSON")

    # A re-run over the same directory and checkpoint adds nothing.
    before = _state(tmp_path / "out")
    run_stream(spark, settings, setup)
    assert _state(tmp_path / "out") == before
    assert _signals(url) == first + 5
