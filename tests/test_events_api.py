"""The read-only events routes of the app, over the demo workspace, as a signed-in analyst."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from siaga.server import create_app
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


def test_event_entered_in_a_form(world: Store, tmp_path: Path) -> None:
    from siaga.store.schema import campaign_events

    client = _client(world, tmp_path)
    body = {"candidate": "2", "type": "rapat umum", "region": "17.06.01",
            "start": "2026-12-01T09:00+07:00", "end": "2026-12-01T12:00+07:00",
            "expected_crowd": "800", "permit_status": "requested"}
    made = client.post("/api/v1/events", json=body)
    assert made.status_code == 201, made.text
    try:
        listed = client.get("/api/v1/events", params={"scope": "17.06"}).json()["days"]
        assert [e["id"] for e in listed["2026-12-01"]] == [made.json()["id"]]
        wrong = client.post("/api/v1/events", json={**body, "region": "17.99"})
        assert wrong.status_code == 422 and "17.99" in wrong.json()["detail"]
    finally:
        with world.engine.begin() as conn:
            conn.execute(campaign_events.delete().where(
                campaign_events.c.id == made.json()["id"]))


def test_csv_imports_over_http_number_bad_rows(world: Store, tmp_path: Path) -> None:
    from siaga.store.schema import campaign_events

    client = _client(world, tmp_path)
    csv_text = ("candidate,type,region,venue,lat,lng,start,end,expected_crowd,permit_status\n"
                "3,rally,17.06.01,Lapangan,,,2026-12-02T09:00+07:00,2026-12-02T11:00+07:00,"
                "500,issued\n"
                "3,rally,17.99.01,Lapangan,,,2026-12-02T09:00+07:00,2026-12-02T11:00+07:00,"
                "500,issued\n")
    sent = client.post("/api/v1/imports/events",
                       files={"file": ("kegiatan.csv", csv_text.encode(), "text/csv")})
    assert sent.status_code == 200, sent.text
    found = sent.json()
    try:
        assert found["stored"] == 1 and not found["seen_before"]
        assert len(found["problems"]) == 1 and "kegiatan.csv:3" in found["problems"][0]
        again = client.post("/api/v1/imports/events",
                            files={"file": ("kegiatan.csv", csv_text.encode(), "text/csv")})
        assert again.json()["seen_before"] and again.json()["stored"] == 0
    finally:
        with world.engine.begin() as conn:
            conn.execute(campaign_events.delete().where(campaign_events.c.venue == "Lapangan"))
    unknown = client.post("/api/v1/imports/spaceships",
                          files={"file": ("x.csv", b"a\n", "text/csv")})
    assert unknown.status_code == 404 and "events" in unknown.json()["detail"]
