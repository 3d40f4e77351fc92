"""Cases over HTTP: each agency officer sees and moves its own agency's cases; privacy by role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests.conftest import login_headers


@pytest.fixture
def app_client(world: Store, tmp_path: Path) -> Iterator[TestClient]:
    """Return a client of the app over the world store (no one signed in)."""
    with TestClient(create_app(load_settings(env={}, home=tmp_path), store=world)) as client:
        yield client


def _as(world: Store, username: str) -> dict[str, str]:
    return login_headers(world, username)


def test_agency_officers_see_and_move_only_their_agencys_cases(app_client: TestClient,
                                                                world: Store) -> None:
    analyst, bawaslu, polres = (_as(world, u) for u in ("analis.uji", "bawaslu.uji",
                                                        "polres.uji"))
    content = app_client.post("/api/v1/cases", headers=analyst, json={
        "type": "content_takedown", "title": "Video hoaks paslon 01", "region": "15.02"})
    security = app_client.post("/api/v1/cases", headers=analyst, json={
        "type": "security", "title": "Ancaman bentrok di Bangko", "region": "15.02.12"})
    assert content.status_code == security.status_code == 201
    content_id, security_id = content.json()["id"], security.json()["id"]
    assert content.json()["lead_agency"] == "diskominfo"
    assert "bawaslu" in content.json()["supporting_agencies"]
    assert security.json()["lead_agency"] == "polres"

    seen = {c["id"] for c in app_client.get("/api/v1/cases", headers=bawaslu).json()}
    assert content_id in seen and security_id not in seen
    hidden = app_client.get(f"/api/v1/cases/{security_id}", headers=bawaslu)
    assert hidden.status_code == 404
    refused = app_client.post(f"/api/v1/cases/{security_id}/move", headers=bawaslu,
                              json={"status": "in_progress"})
    assert refused.status_code == 404  # not even told it exists
    assert app_client.get(f"/api/v1/cases/{security_id}",
                          headers=analyst).json()["status"] == "open"

    page = app_client.get(f"/api/v1/cases/{security_id}", headers=polres).json()
    assert "in_progress" in page["next_statuses"]
    moved = app_client.post(f"/api/v1/cases/{security_id}/move", headers=polres,
                            json={"status": "in_progress", "note": "patroli dikirim"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    log = app_client.get(f"/api/v1/cases/{security_id}", headers=polres).json()["actions"]
    assert [a["kind"] for a in log] == ["opened", "status"] and log[-1]["actor"] == "polres.uji"
    illegal = app_client.post(f"/api/v1/cases/{security_id}/move", headers=polres,
                              json={"status": "taken_down"})
    assert illegal.status_code == 422

    chair = _as(world, "ketua.uji")
    assert app_client.get(f"/api/v1/cases/{security_id}", headers=chair).status_code == 200
    assert app_client.post(f"/api/v1/cases/{content_id}/move", headers=chair,
                           json={"status": "in_progress"}).status_code == 403


def test_reporter_identity_by_role_over_http(app_client: TestClient, world: Store) -> None:
    submitted = app_client.post("/api/v1/reports", json={
        "text": "Ada pembagian amplop di TPS 03 Pematang Kandis", "region": "15.02",
        "reporter_name": "Siti Aminah", "reporter_contact": "0812-0000-1111"})
    assert submitted.status_code == 201
    receipt = submitted.json()["receipt"]
    queue = app_client.get("/api/v1/reports?limit=500", headers=_as(world, "analis.uji")).json()
    mine = next(r for r in queue if r["receipt"] == receipt)
    assert mine["reporter_name"] == "Siti Aminah"
    chair_view = app_client.get(f"/api/v1/reports/{mine['id']}",
                                headers=_as(world, "ketua.uji")).json()
    assert chair_view["text"].startswith("Ada pembagian amplop")
    assert "Siti" not in str(chair_view) and "0812" not in str(chair_view)
    public = app_client.get(f"/api/v1/reports/receipt/{receipt}").json()
    assert set(public) <= {"receipt", "status", "received_at"} and public["status"] == "new"
    assert app_client.get(f"/api/v1/reports/{mine['id']}").status_code == 401
