"""Linking reports and opening cases, row by row: no link reveals a reporter, no case lands on
another agency's board, one alert makes one case (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from siaga.cases.privacy import REDACTED
from siaga.domain.access import Role
from siaga.domain.roles import Viewer
from siaga.server import create_app
from siaga.services.alert_cases import AlertCase, open_case_from_alert
from siaga.services.users import add_user
from siaga.settings import load_settings
from siaga.store import Store
from siaga.store.alerts import save_alert
from siaga.store.schema import cases
from tests import cases_support

region_store = cases_support.region_store
PASSWORD = "sandi-uji-yang-panjang"
ACCOUNTS = {"analis": (Role.ANALYST, None), "polres": (Role.AGENCY_OFFICER, "polres"),
            "polres.dua": (Role.AGENCY_OFFICER, "polres"),
            "bawaslu": (Role.AGENCY_OFFICER, "bawaslu"),
            "bawaslu.dua": (Role.AGENCY_OFFICER, "bawaslu"),
            "kpu": (Role.AGENCY_OFFICER, "kpu")}


@pytest.fixture
def client(region_store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """Return a client of an app over a store with one account per kind of user."""
    for name, (role, agency) in ACCOUNTS.items():
        add_user(region_store, name, PASSWORD, role, agency=agency)
    settings = load_settings(env={}, home=tmp_path / "home")
    with TestClient(create_app(settings, store=region_store)) as test_client:
        yield test_client


def _as(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def _report(client: TestClient, *, named: bool) -> int:
    body: dict[str, Any] = {"text": "Ada pembagian amplop di dekat TPS 03", "region": "15.02"}
    if named:
        body.update(reporter_name="Siti Aminah", reporter_contact="0812-0000-1111")
    else:
        body["anonymous"] = True
    sent = client.post("/api/v1/reports", json=body)
    assert sent.status_code == 201, sent.text
    queue = client.get("/api/v1/reports?limit=500", headers=_as(client, "analis")).json()
    return int(next(r["id"] for r in queue if r["receipt"] == sent.json()["receipt"]))


def _case_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def test_an_officer_cannot_reveal_a_reporter_by_linking(client: TestClient,
                                                        region_store: Store) -> None:
    named, nameless = _report(client, named=True), _report(client, named=False)
    polres = _as(client, "polres")
    before = _case_count(region_store)
    refused = client.post("/api/v1/cases", headers=polres, json={
        "type": "security", "title": "Ancaman di Bangko", "reports": [nameless, named]})
    assert refused.status_code == 403
    assert str(named) in refused.json()["detail"] and "analis" in refused.json()["detail"]
    assert _case_count(region_store) == before  # refused whole, nothing linked
    shown = client.get(f"/api/v1/reports/{named}", headers=polres).json()
    assert shown["reporter_name"] == REDACTED and shown["reporter_contact"] == REDACTED
    queue = client.get("/api/v1/reports?limit=500", headers=polres).json()
    assert "Siti" not in str(queue) and "0812" not in str(queue)

    # A report that names nobody is the officer's to link.
    own = client.post("/api/v1/cases", headers=polres, json={
        "type": "security", "title": "Ancaman di Bangko", "reports": [nameless]})
    assert own.status_code == 201 and own.json()["lead_agency"] == "polres"

    # The analyst routes the named report to Polres: then, and only then, Polres sees the
    # reporter (docs/access.md), and may link it to another of its cases; Bawaslu still may not.
    routed = client.post("/api/v1/cases", headers=_as(client, "analis"), json={
        "type": "security", "title": "Intimidasi pemilih", "reports": [named]})
    assert routed.status_code == 201
    assert client.get(f"/api/v1/reports/{named}", headers=polres).json()[
        "reporter_name"] == "Siti Aminah"
    again = client.post("/api/v1/cases", headers=polres, json={
        "type": "security", "title": "Lanjutan", "reports": [named]})
    assert again.status_code == 201
    bawaslu = _as(client, "bawaslu")
    assert client.post("/api/v1/cases", headers=bawaslu, json={
        "type": "money_politics", "title": "Amplop", "reports": [named]}).status_code == 403
    assert client.get(f"/api/v1/reports/{named}", headers=bawaslu).json()[
        "reporter_name"] == REDACTED


def test_unknown_reports_are_refused_by_id(client: TestClient) -> None:
    answer = client.post("/api/v1/cases", headers=_as(client, "analis"), json={
        "type": "security", "title": "x", "reports": [987654]})
    assert answer.status_code == 404 and "987654" in answer.json()["detail"]


def test_officers_open_cases_for_their_own_agency_only(client: TestClient,
                                                      region_store: Store) -> None:
    polres = _as(client, "polres")
    before = _case_count(region_store)
    refused = client.post("/api/v1/cases", headers=polres, json={
        "type": "money_politics", "title": "Amplop di Bangko", "region": "15.02"})
    assert refused.status_code == 403
    assert "bawaslu" in refused.json()["detail"] and "analis" in refused.json()["detail"]
    assert _case_count(region_store) == before
    own = client.post("/api/v1/cases", headers=polres, json={
        "type": "security", "title": "Ancaman bentrok", "region": "15.02"})
    assert own.status_code == 201
    listed = {c["id"] for c in client.get("/api/v1/cases", headers=polres).json()}
    assert own.json()["id"] in listed  # the opener sees what they opened
    routed = client.post("/api/v1/cases", headers=_as(client, "analis"), json={
        "type": "money_politics", "title": "Amplop di Bangko", "region": "15.02"})
    assert routed.status_code == 201 and routed.json()["lead_agency"] == "bawaslu"


def _alert(store: Store, category: str = "money_politics") -> int:
    with store.engine.begin() as conn:
        alert_id, opened = save_alert(conn, ("15.02", category), date(2024, 11, 20), 1, 9, 1.5,
                                      1e-5, "poisson", datetime(2024, 11, 20, 9, tzinfo=UTC))
    assert opened
    return alert_id


def test_one_alert_makes_one_case(client: TestClient, region_store: Store) -> None:
    alert_id = _alert(region_store)
    first = client.post(f"/api/v1/alerts/{alert_id}/case", headers=_as(client, "bawaslu"))
    assert first.status_code == 201 and first.json()["lead_agency"] == "bawaslu"
    second = client.post(f"/api/v1/alerts/{alert_id}/case", headers=_as(client, "bawaslu.dua"))
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    analyst = _as(client, "analis")
    assert client.post(f"/api/v1/alerts/{alert_id}/case",
                       headers=analyst).json()["id"] == first.json()["id"]
    supporting = client.post(f"/api/v1/alerts/{alert_id}/case", headers=_as(client, "polres"))
    assert supporting.status_code == 200  # Polres supports money-politics cases: it sees it
    other = client.post(f"/api/v1/alerts/{alert_id}/case", headers=_as(client, "kpu"))
    assert other.status_code == 409 and f"#{first.json()['id']}" in other.json()["detail"]
    assert _case_count(region_store) == 1

    # The alert page links to the case instead of offering to open another.
    page = client.get(f"/peringatan/{alert_id}", headers=analyst).text
    assert f'href="/kasus/{first.json()["id"]}"' in page and 'id="alert-case"' not in page
    fresh = _alert(region_store, "asn_neutrality")
    assert 'id="alert-case"' in client.get(f"/peringatan/{fresh}", headers=analyst).text


def test_an_officer_cannot_open_another_agencys_case_from_an_alert(
        client: TestClient, region_store: Store) -> None:
    alert_id = _alert(region_store)
    answer = client.post(f"/api/v1/alerts/{alert_id}/case", headers=_as(client, "polres"))
    assert answer.status_code == 403 and "analis" in answer.json()["detail"]
    assert _case_count(region_store) == 0


def test_racing_officers_get_one_case(region_store: Store, tmp_path: Path) -> None:
    cw = cases_support.make_casework(region_store, tmp_path / "home", cases_support.Clock())
    alert_id = _alert(region_store)
    officers = [Viewer(f"bawaslu.{i}", Role.AGENCY_OFFICER, "bawaslu") for i in range(4)]
    start = threading.Barrier(len(officers))
    made: list[AlertCase] = []
    failed: list[BaseException] = []

    def open_it(viewer: Viewer) -> None:
        start.wait()
        try:
            made.append(open_case_from_alert(cw, alert_id, viewer.name, sample="amplop",
                                             viewer=viewer))
        except BaseException as exc:  # reported below, with the others
            failed.append(exc)

    threads = [threading.Thread(target=open_it, args=(v,)) for v in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert len({m.case.id for m in made}) == 1 and sum(m.created for m in made) == 1
    assert _case_count(region_store) == 1
