"""The index cache: built once per revision, never stale after a write, shared under load."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from siaga.domain.risk import Observation, ObservationSource, UnitLevel
from siaga.risk.cache import ResultCache
from siaga.risk.framework import get_framework
from siaga.server import create_app
from siaga.services import risk as service
from siaga.services.maps import risk_map
from siaga.settings import load_settings
from siaga.store import Store, revisions
from siaga.store.events import set_region_dpt, set_tps_dpt
from siaga.store.risk import insert_observations
from siaga.store.schema import polling_stations
from tests.conftest import login_headers

FRAMEWORK = "tps-rawan-pilkada-2024"
REGENCY = "17.06"  # Mukomuko; the form test in test_risk_api writes in Merangin


def test_single_flight_builds_once_for_concurrent_misses() -> None:
    cache, calls = ResultCache(), []

    def build() -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to miss at once
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_build("k", build)))
               for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 16 and len(calls) == 1
    assert cache.misses == 1 and cache.hits == 15


def test_least_recently_used_entry_is_dropped_and_failures_are_not_kept() -> None:
    cache = ResultCache(max_entries=2)
    cache.get_or_build("a", lambda: 1)
    cache.get_or_build("b", lambda: 2)
    cache.get_or_build("a", lambda: 0)  # a is now the most recent
    cache.get_or_build("c", lambda: 3)  # b goes
    assert cache.get_or_build("b", lambda: 20) == 20
    assert cache.get_or_build("c", lambda: 0) == 3

    def broken() -> int:
        raise ValueError("no TPS")

    with pytest.raises(ValueError):
        cache.get_or_build("d", broken)
    assert cache.get_or_build("d", lambda: 4) == 4


def test_every_write_to_the_index_inputs_bumps_the_revision(world: Store) -> None:
    framework = get_framework(FRAMEWORK)
    with world.engine.begin() as conn:
        start = revisions.current(conn)
        moment = service.moment_of("2020-01-01", REGENCY)
        assert moment is not None
        observation = Observation(framework.id, framework.indicators[0].id, UnitLevel.REGENCY,
                                  REGENCY, 1.0, moment, ObservationSource.FORM, "test:revision")
        insert_observations(conn, [observation])
        after_observation = revisions.current(conn)
        insert_observations(conn, [observation])  # already stored: nothing written
        after_repeat = revisions.current(conn)
        t = polling_stations.c
        tps = conn.execute(select(t.code, t.voters).where(t.region_code.startswith(REGENCY + "."))
                           .limit(1)).one()
        set_tps_dpt(conn, [(tps.code, tps.voters or 0)])
        after_tps = revisions.current(conn)
        set_region_dpt(conn, "test-election", [("17.06.01", 1000, "test")])
        after_region = revisions.current(conn)
        conn.rollback()
    assert after_observation == start + 1 and after_repeat == after_observation
    assert after_tps == after_observation + 1 and after_region == after_tps + 1


def test_cached_results_equal_fresh_ones_and_follow_writes(world: Store) -> None:
    framework = get_framework(FRAMEWORK)
    cache = ResultCache()
    with world.engine.connect() as conn:
        fresh_rows, _ = service.score_table(conn, framework, UnitLevel.DISTRICT, REGENCY)
        cached_rows, meta = service.score_table(conn, framework, UnitLevel.DISTRICT, REGENCY,
                                                cache=cache)
        again, _ = service.score_table(conn, framework, UnitLevel.DISTRICT, REGENCY, cache=cache)
        drawn = risk_map(conn, framework, REGENCY, cache=cache)
        fresh_map = risk_map(conn, framework, REGENCY)
    assert cached_rows == fresh_rows and again is cached_rows and meta["as_of"]
    assert drawn.svg == fresh_map.svg and drawn.rows == fresh_map.rows
    target = fresh_rows[-1]["code"]  # the lowest district: an observation must raise it
    with world.engine.begin() as conn:
        outcome = service.record_observation(
            conn, framework, target, "intimidation_history", "ya",
            source=ObservationSource.FORM, evidence="test:cache-follows-writes",
            observed_at=service.moment_of("2026-11-20", REGENCY))
    assert outcome == "recorded"
    with world.engine.connect() as conn:
        after, _ = service.score_table(conn, framework, UnitLevel.DISTRICT, REGENCY, cache=cache)
        fresh_after, _ = service.score_table(conn, framework, UnitLevel.DISTRICT, REGENCY)
        redrawn = risk_map(conn, framework, REGENCY, cache=cache)
    assert after == fresh_after and after != cached_rows
    score = {r["code"]: r["score"] for r in after}
    assert score[target] > {r["code"]: r["score"] for r in cached_rows}[target]
    assert redrawn.svg != drawn.svg


def test_routes_answer_from_the_cache_and_compress(world: Store, tmp_path: Path) -> None:
    app = create_app(load_settings(env={}, home=tmp_path), store=world)
    client, headers = TestClient(app), login_headers(world)
    url = f"/api/v1/risk/scores?level=district&scope={REGENCY}"
    first = client.get(url, headers=headers)
    hits = app.state.risk_cache.hits
    second = client.get(url, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["rows"] == second.json()["rows"]
    assert app.state.risk_cache.hits > hits
    svg = client.get(f"/api/v1/risk/map.svg?scope={REGENCY}",
                     headers={**headers, "Accept-Encoding": "gzip"})
    assert svg.status_code == 200 and svg.headers["content-encoding"] == "gzip"
    assert svg.text.startswith("<svg")  # the client undid the compression
    page = client.get(f"/peta/{REGENCY}", headers=headers)
    assert page.status_code == 200 and 'data-layer="signals"' in page.text
