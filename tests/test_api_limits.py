"""No input makes a 500: nesting, size, content types, dates out of range; a failure keeps the
connection; SQLite writers queue instead of failing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from siaga.http.errors import ErrorShield
from siaga.http.text_guard import DEFAULT_BODY_LIMIT, MAX_DEPTH
from siaga.server import create_app
from siaga.services.casework import writing
from siaga.settings import load_settings
from siaga.store import Store, open_store
from siaga.store.schema import campaign_events, reports, users
from tests.browser import running_server
from tests.conftest import login_headers


@pytest.fixture(scope="module")
def client(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Return a client of an app over the world store (no login)."""
    settings = load_settings(env={}, home=tmp_path_factory.mktemp("limits"))
    with TestClient(create_app(settings, store=world), raise_server_exceptions=False) as made:
        yield made


def _count(store: Store, table: Any = reports) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _nested(depth: int, inner: str = '"x"') -> bytes:
    return ("[" * depth + inner + "]" * depth).encode()


ROUTES = [("/api/v1/reports", False), ("/api/v1/auth/login", False), ("/api/v1/cases", True),
          ("/api/v1/events", True), ("/api/v1/reports/triage", True)]


@pytest.mark.parametrize("inner", ['"x"', '"\\u0000"'])
def test_deep_nesting_is_refused_on_every_json_route(client: TestClient, world: Store,
                                                     inner: str) -> None:
    before = _count(world)
    for path, signed_in in ROUTES:
        for body in (_nested(5_000, inner), b'{"text": ' + _nested(MAX_DEPTH + 1, inner) + b"}"):
            answer = client.post(path, content=body, headers={
                "content-type": "application/json",
                **(login_headers(world) if signed_in else {})})
            assert answer.status_code == 422, (path, answer.text)
            assert "nested deeper" in answer.json()["detail"]
    assert _count(world) == before
    shallow = client.post("/api/v1/auth/login", json={"username": [[["a"]]], "password": "x"})
    assert shallow.status_code == 422 and "nested" not in shallow.text  # the route's own check


def test_json_sent_as_text_plain_is_guarded_too(client: TestClient, world: Store) -> None:
    before = _count(world)
    body = json.dumps({"text": "spanduk hoaks\u0000 di pasar", "region": "15.02"}).encode()
    for kind in ("text/plain", "application/octet-stream", ""):
        answer = client.post("/api/v1/reports", content=body, headers={"content-type": kind})
        assert answer.status_code == 422 and "NUL" in answer.json()["detail"], kind
    deep = client.post("/api/v1/auth/login", content=_nested(3_000),
                       headers={"content-type": "text/plain"})
    assert deep.status_code == 422
    assert _count(world) == before


def test_bodies_over_the_route_limit_are_refused_before_reading(client: TestClient) -> None:
    big = b'{"username": "' + b"a" * DEFAULT_BODY_LIMIT + b'", "password": "x"}'
    answer = client.post("/api/v1/auth/login", content=big,
                         headers={"content-type": "application/json"})
    assert answer.status_code == 413 and "limit" in answer.json()["detail"]
    lying = client.post("/api/v1/auth/login", content=b"{}", headers={
        "content-type": "application/json", "content-length": str(50 * DEFAULT_BODY_LIMIT)})
    assert lying.status_code == 413
    # A public report may carry attachments: 2 MiB is within its larger limit.
    report = {"text": "Laporan dengan lampiran besar", "region": "15.02",
              "attachments": [{"filename": "foto.txt",
                               "content_base64": "QUJD" * (DEFAULT_BODY_LIMIT // 2)}]}
    assert client.post("/api/v1/reports", json=report).status_code != 413


def test_an_event_at_year_one_plus_fourteen_hours_is_a_422(client: TestClient,
                                                           world: Store) -> None:
    body = {"candidate": "2", "type": "rapat umum", "region": "17.06.01",
            "start": "0001-01-01T00:00+14:00", "end": "0001-01-01T03:00+14:00"}
    before = _count(world, campaign_events)
    answer = client.post("/api/v1/events", json=body, headers=login_headers(world))
    assert answer.status_code == 422 and "start" in answer.json()["detail"]
    late = client.post("/api/v1/events", headers=login_headers(world),
                       json={**body, "start": "9999-12-31T23:00-12:00",
                             "end": "9999-12-31T23:59-12:00"})
    assert late.status_code == 422
    report = client.post("/api/v1/reports", json={"text": "laporan", "region": "15.02",
                                                  "occurred_at": "0001-01-01T00:00+14:00"})
    assert report.status_code == 422 and "occurred_at" in report.text
    assert _count(world, campaign_events) == before


def test_an_unhandled_exception_becomes_a_json_answer_not_a_raise() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("a bug")

    async def overflowing(scope: Any, receive: Any, send: Any) -> None:
        raise OverflowError("date value out of range")

    for app, status in ((broken, 500), (overflowing, 422)):
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any], sent: list[dict[str, Any]] = sent) -> None:
            sent.append(message)

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        call = ErrorShield(app)({"type": "http", "method": "GET", "path": "/x"}, receive, send)
        # In a thread of its own: a browser test earlier in the session may have left an event
        # loop running in this one, where asyncio.run refuses to start.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, call).result()
        assert sent[0]["status"] == status
        assert "detail" in json.loads(sent[1]["body"])


def _exchange(sock: socket.socket, request: bytes) -> tuple[int, bytes]:
    """Send one request on an open connection; return the status and the body of the answer."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, rest = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return int(head.split(b" ")[1]), rest[:length]


def _post(path: str, body: bytes, kind: str = "application/json") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def test_a_real_server_keeps_the_connection_and_stops_a_chunked_flood(
    tmp_path: Path, regions_db: Path
) -> None:
    import shutil

    shutil.copy(regions_db, tmp_path / "siaga.db")
    with running_server(None, tmp_path) as base:
        address = urlsplit(base)
        with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
            for request in (_post("/api/v1/reports", _nested(10_000, '"\\u0000"')),
                            _post("/api/v1/auth/login", _nested(10_000)),
                            _post("/api/v1/reports", b'{"text": "x\\u0000"}', "text/plain")):
                status, _ = _exchange(sock, request)
                assert status == 422
            status, body = _exchange(sock, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert status == 200 and json.loads(body)["status"] == "ok"
        # A chunked body with no length: refused once past the limit, long before its end.
        with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
            sock.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            chunk = b"a" * 65536
            sent = 0
            sock.setblocking(False)
            answer = b""
            while sent < 100 * 1024 * 1024 and b"\r\n\r\n" not in answer:
                try:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    pass
                with contextlib.suppress(BlockingIOError):
                    answer += sock.recv(65536)
            assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
            assert sent < 8 * DEFAULT_BODY_LIMIT


def test_sixteen_sqlite_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'siaga.db'}")
    failures: list[str] = []
    go = threading.Barrier(17)

    def hold_the_lock() -> None:
        with writing(store) as conn:
            go.wait()
            conn.exec_driver_sql("SELECT 1")
            threading.Event().wait(6)  # longer than sqlite3's 5 s default wait for a lock

    def writer(n: int) -> None:
        go.wait()
        try:
            with writing(store) as conn:
                conn.execute(users.insert().values(
                    username=f"penulis{n}", display_name="x", password_hash="x",
                    role="analyst", active=True, created_at=func.now()))
        except Exception as exc:  # any failure is what the test counts
            failures.append(str(exc))

    threads = [threading.Thread(target=hold_the_lock)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _count(store, users) == 16
    store.dispose()


def test_an_infinite_number_is_echoed_in_a_422_not_a_500(store: Store, tmp_path: Path) -> None:
    app = create_app(load_settings(env={}, home=tmp_path), store=store)
    with TestClient(app, raise_server_exceptions=False) as fresh:
        for body in (b"1e999999", b'{"username": 1e999999, "password": "x"}', b"[NaN]"):
            answer = fresh.post("/api/v1/auth/login", content=body,
                                headers={"content-type": "application/json"})
            assert answer.status_code == 422, (body, answer.text)
            assert answer.json()["detail"]
