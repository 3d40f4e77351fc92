"""The read-only events routes of the app, over the demo workspace, as a signed-in analyst."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from siaga.api import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests.conftest import login_headers


def _client(store: Store, home: Path) -> TestClient:
    client = TestClient(create_app(load_settings(env={}, home=home), store=store))
    client.headers.update(login_headers(store))
    return client


def test_routes_answer_from_the_services(world: Store, tmp_path: Path) -> None:
    client = _client(world, tmp_path)
    events = client.get("/api/v1/events", params={"scope": "15.02"})
    assert events.status_code == 200 and events.json()["scope"] == "15.02"
    everywhere = client.get("/api/v1/events")
    assert everywhere.status_code == 200 and everywhere.json()["scope"] == "national"
    clashes = client.get("/api/v1/events/clashes", params={"scope": "15.02"}).json()
    assert clashes["max_km"] == 2.0 and clashes["warnings"] == []
    board = client.get("/api/v1/readiness/board", params={"scope": "17.06"}).json()
    assert len(board["districts"]) == 15
    gap = client.get("/api/v1/participation/gap", params={"scope": "17.06"}).json()
    assert gap["meta"]["units"] == 15
    bad = client.get("/api/v1/participation/gap", params={"scope": "17.6"})
    assert bad.status_code == 422 and "region code" in bad.json()["detail"]


def test_absurd_clash_parameters_are_refused(world: Store, tmp_path: Path) -> None:
    client = _client(world, tmp_path)
    huge = client.get("/api/v1/events/clashes", params={"buffer_hours": 1e18})
    assert huge.status_code == 422 and "buffer_hours" in huge.text
    far = client.get("/api/v1/events/clashes", params={"distance_km": -1})
    assert far.status_code == 422
