"""Observations entered in a form over HTTP count at once in the index."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests.conftest import login_headers

VILLAGE = "15.02.01.2001"


def test_field_form_observation_raises_the_village_and_is_explained(world: Store,
                                                                    tmp_path: Path) -> None:
    client = TestClient(create_app(load_settings(env={}, home=tmp_path), store=world))
    field = login_headers(world, "lapangan.uji")
    url = "/api/v1/risk/explain/" + VILLAGE
    before = client.get(url, headers=field).json()
    body = {"unit": VILLAGE, "indicator": "no_internet", "value": "ya",
            "evidence": "form:PKD-Jangkat-17", "observed_at": "2026-11-21T10:00+07:00"}
    made = client.post("/api/v1/risk/observations", headers=field, json=body)
    assert made.status_code == 201, made.text
    after = client.get(url, headers=field).json()
    driver = next(d for d in after["drivers"] if d["indicator"] == "no_internet")
    assert any(e["evidence"] == "form:PKD-Jangkat-17" and e["source"] == "form"
               and "lapangan.uji" in (e["note"] or "") for e in driver["evidence"])
    assert after["score"] >= before["score"]
    again = client.post("/api/v1/risk/observations", headers=field, json=body)
    assert again.status_code == 409  # never overwritten, and said so
    wrong = client.post("/api/v1/risk/observations", headers=field,
                        json={**body, "indicator": "alien_landing"})
    assert wrong.status_code == 422 and "alien_landing" in wrong.text
    elsewhere = client.post("/api/v1/risk/observations", headers=field,
                            json={**body, "unit": "15.02.99.9999"})
    assert elsewhere.status_code == 422 and "not in the workspace" in elsewhere.text
