"""The read-only events router, mounted on a bare app over the demo workspace."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from siaga.api.events import router
from siaga.settings import Settings
from siaga.store import Store


def _client(store: Store, home: Path) -> TestClient:
    app = FastAPI()
    app.state.store = store
    app.include_router(router(Settings(home=home)))
    return TestClient(app)


def test_routes_answer_from_the_services(demo_store: Store, tmp_path: Path) -> None:
    client = _client(demo_store, tmp_path)
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
