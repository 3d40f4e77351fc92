"""A NUL character anywhere in a request's text is refused with 422, on both databases.

PostgreSQL cannot store NUL in text; before the guard, the fuzz test found a login with a
NUL username answering 500 there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from siaga.http.text_guard import holds_unstorable, unstorable_in_body
from siaga.server import create_app
from siaga.settings import load_settings
from siaga.store import Store
from siaga.store.schema import reports


@pytest.fixture(scope="module")
def client(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Return a client of an app over the world store."""
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("guard"))
    with TestClient(create_app(settings, store=world)) as test_client:
        yield test_client


def _report_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(reports)).scalar_one())


def test_json_login_with_nul_is_refused_not_a_server_error(client: TestClient) -> None:
    answer = client.post("/api/v1/auth/login", json={"username": "\x00", "password": "x"})
    assert answer.status_code == 422
    assert "NUL" in answer.json()["detail"]


def test_half_a_surrogate_pair_is_refused_and_a_whole_pair_passes(client: TestClient) -> None:
    half = client.post("/api/v1/auth/login", content=b'{"username": "a\\ud800", "password": "x"}',
                       headers={"content-type": "application/json"})
    assert half.status_code == 422 and "surrogate" in half.json()["detail"]
    emoji = client.post("/api/v1/auth/login", headers={"content-type": "application/json"},
                        content=b'{"username": "\\ud83d\\ude00", "password": "x"}')
    assert emoji.status_code == 401  # a whole pair is one character (an emoji)


def test_nul_deep_in_a_report_is_refused_and_nothing_is_stored(
        client: TestClient, world: Store) -> None:
    before = _report_count(world)
    answer = client.post("/api/v1/reports", json={
        "text": "ada politik uang", "region": "15.02",
        "attachments": [{"filename": "a\x00.png", "content_base64": "AA=="}]})
    assert answer.status_code == 422 and "(body)" in answer.json()["detail"]
    assert _report_count(world) == before


def test_form_and_query_with_nul_are_refused(client: TestClient) -> None:
    form = client.post("/masuk", data={"username": "a\x00b", "password": "x"},
                       follow_redirects=False)
    assert form.status_code == 422
    query = client.get("/api/v1/reports/receipt/abc?x=%00")
    assert query.status_code == 422 and "(query)" in query.json()["detail"]
    path = client.get("/api/v1/reports/receipt/a%00b")
    assert path.status_code == 422 and "(path)" in path.json()["detail"]


def test_text_that_only_looks_like_nul_passes_through(client: TestClient) -> None:
    # A literal backslash followed by "u0000" is ordinary text, not a NUL.
    answer = client.post("/api/v1/auth/login", json={"username": "a\\u0000", "password": "x"})
    assert answer.status_code == 401
    assert client.post("/masuk", data={"username": "a%00", "password": "x"},
                       follow_redirects=False).status_code != 422


def test_body_inspection_by_content_type() -> None:
    assert unstorable_in_body("application/json", b'{"a": ["x", {"b": "\\u0000"}]}') == "body"
    assert unstorable_in_body("application/json", b'{"\\u0000": 1}') == "body"
    assert unstorable_in_body("application/json", b'{"a": "\\\\u0000"}') is None
    assert unstorable_in_body("application/json", b'["\\uDFFF"]') == "body"
    assert unstorable_in_body("application/json", b'["\\ud83d\\ude00", "\\u00e9"]') is None
    assert unstorable_in_body("application/json; charset=utf-8", b"{bad \\u0000") is None
    assert unstorable_in_body("application/x-www-form-urlencoded", b"a=1&b=x%00y") == "body"
    assert unstorable_in_body("application/x-www-form-urlencoded", b"a=1%2500") is None
    assert unstorable_in_body("multipart/form-data; boundary=x", b"\x00\x00") is None
    assert holds_unstorable({"a": [1, None, {"b": ["\x00"]}]})
    assert holds_unstorable(["\udc80"]) and not holds_unstorable({"a": [1, "b", "\U0001f600"]})
