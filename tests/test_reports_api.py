"""The public report routes through FastAPI's TestClient, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from tests import cases_support
from tests.cases_support import PNG

region_store = cases_support.region_store


@pytest.fixture
def client(region_store: Store, tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings(
        env={}, home=tmp_path / "home", report_limit_per_hour=3, attachment_max_bytes=1000
    )
    with TestClient(create_app(settings, region_store)) as test_client:
        yield test_client


def test_submit_then_check_status_by_receipt(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/reports",
        json={
            "text": "Ada serangan fajar di desa",
            "region": "15.02",
            "reporter_name": "Siti",
            "reporter_contact": "0812",
        },
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()["receipt"]
    status = client.get(f"/api/v1/reports/receipt/{receipt}")
    assert status.status_code == 200
    assert set(status.json()) == {"receipt", "status", "received_at"}
    assert status.json()["status"] == "new"
    assert "Siti" not in status.text and "serangan" not in status.text
    assert client.get("/api/v1/reports/receipt/SGA-XXXX-XXXX").status_code == 404


def test_refusals_are_precise(client: TestClient) -> None:
    unknown = client.post("/api/v1/reports", json={"text": "x", "region": "15.99"})
    assert unknown.status_code == 422 and "unknown region 15.99" in unknown.json()["detail"]
    bad = client.post("/api/v1/reports", json={"text": "x", "region": "abc"})
    assert bad.status_code == 422 and "not a region code" in bad.json()["detail"]
    missing = client.post("/api/v1/reports", json={"region": "15.02"})
    assert missing.status_code == 422 and "text" in missing.json()["detail"]
    big = base64.b64encode(PNG + bytes(2000)).decode()
    oversize = client.post(
        "/api/v1/reports",
        json={
            "text": "foto",
            "region": "15.02",
            "attachments": [{"filename": "a.png", "content_base64": big}],
        },
    )
    assert oversize.status_code == 413 and "limit 1,000" in oversize.json()["detail"]
    huge = client.post(
        "/api/v1/reports",
        content=b"{" + b" " * (16 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert huge.status_code == 413


def test_abuse_limit_per_sender(client: TestClient) -> None:
    for _ in range(3):
        assert (
            client.post("/api/v1/reports", json={"text": "a", "region": "1502"}).status_code == 201
        )
    limited = client.post("/api/v1/reports", json={"text": "a", "region": "1502"})
    assert limited.status_code == 429 and "limit 3" in limited.json()["detail"]


def test_small_attachment_is_stored_by_its_digest(client: TestClient, tmp_path: Path) -> None:
    answer = client.post(
        "/api/v1/reports",
        json={
            "text": "foto spanduk",
            "region": "17.06",
            "anonymous": True,
            "attachments": [
                {"filename": "a.png", "content_base64": base64.b64encode(PNG).decode()}
            ],
        },
    )
    assert answer.status_code == 201

    digest = hashlib.sha256(PNG).hexdigest()
    assert (tmp_path / "home" / "attachments" / digest[:2] / digest).read_bytes() == PNG


def test_a_resent_report_with_its_client_id_is_stored_once(client: TestClient,
                                                            region_store: Store) -> None:
    from sqlalchemy import func, select

    from siaga.store.schema import reports

    body = {"text": "Kotak suara dibuka sebelum waktunya", "region": "15.02",
            "client_id": "4f0c2a8e-1b7d-4c55-9a3e-77b1d2c3e4f5"}
    first = client.post("/api/v1/reports", json=body)
    again = client.post("/api/v1/reports", json=body)  # the browser never heard the answer
    assert first.status_code == 201 and again.status_code == 201, again.text
    assert again.json()["receipt"] == first.json()["receipt"]
    other = client.post("/api/v1/reports", json={**body, "client_id": "another-id-123"})
    assert other.json()["receipt"] != first.json()["receipt"]
    with region_store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(reports).where(
            reports.c.text == body["text"])).scalar_one()
    assert stored == 2
    refused = client.post("/api/v1/reports", json={**body, "client_id": "x y"})
    assert refused.status_code == 422 and "client_id" in refused.json()["detail"]


def test_the_unique_client_id_holds_in_the_database(region_store: Store) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.exc import IntegrityError

    from siaga.store.schema import reports

    row = {"status": "new", "channel": "public", "text": "x", "anonymous": True,
           "received_at": datetime.now(UTC), "client_id": "same-client-id"}
    with region_store.engine.begin() as conn:
        conn.execute(reports.insert().values(receipt="SGA-AAAA-AAAA", **row))
    with pytest.raises(IntegrityError), region_store.engine.begin() as conn:
        conn.execute(reports.insert().values(receipt="SGA-BBBB-BBBB", **row))


def test_a_receipt_is_found_without_its_prefix_or_dash(client: TestClient) -> None:
    receipt = client.post("/api/v1/reports", json={"text": "Ada intimidasi pemilih",
                                                   "region": "15.02"}).json()["receipt"]
    bare = receipt.removeprefix("SGA-")
    for typed in (bare, bare.lower(), bare.replace("-", ""), f"sga {bare}"):
        found = client.get(f"/api/v1/reports/receipt/{typed}")
        assert found.status_code == 200, typed
        assert found.json()["receipt"] == receipt
    page = client.get(f"/lapor/status?kode={bare.lower()}")
    assert receipt in page.text
