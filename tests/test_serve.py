"""`siaga serve` as started by `make run`: a real server process answering over HTTP."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from siaga.server import create_app
from siaga.settings import load_settings
from tests.browser import running_server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path, regions_db: Path) -> Iterator[str]:
    """Start `siaga serve` (as `make run` does: the default SQLite under SIAGA_HOME)."""
    shutil.copy(regions_db, tmp_path / "siaga.db")
    with running_server(None, tmp_path) as base:
        yield base


def _admin_session(base: str, home: Path) -> httpx.Client:
    """Create an admin with the CLI (password on stdin) and return a client logged in as it."""
    env = {**os.environ, "SIAGA_HOME": str(home)}
    env.pop("SIAGA_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "siaga", "users", "add", "kepala", "--role", "admin",
                    "--password-stdin"], input="sandi-admin-panjang\n", text=True, env=env,
                   check=True, capture_output=True)
    client = httpx.Client(base_url=base, timeout=10)
    form = client.get("/masuk").text  # the login form carries its own CSRF token
    csrf = form.split('name="csrf" value="')[1].split('"')[0]
    answer = client.post("/masuk", data={"username": "kepala", "password": "sandi-admin-panjang",
                                         "csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/"  # home picks the page
    return client


def test_status_page_lists_what_is_loaded(server: str, tmp_path: Path) -> None:
    assert httpx.get(server + "/status", timeout=10).status_code == 303  # the public: to login
    client = _admin_session(server, tmp_path)
    page = client.get("/status")
    client.close()
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        '<tr data-table="regions"><td>Wilayah</td><td class="n">91.599</td>' in page.text
    )  # Indonesian by default, with Indonesian thousands separators
    tps_row = '<tr data-table="polling_stations"><td>TPS</td>'
    assert tps_row + '<td class="n empty">0</td>' in page.text
    assert "regions" in page.text and "national" in page.text  # the import ledger row


def test_health_is_public_and_status_needs_login(server: str, tmp_path: Path) -> None:
    health = httpx.get(server + "/api/v1/health", timeout=10).json()
    assert health["status"] == "ok" and health["database"] == "sqlite"
    assert httpx.get(server + "/api/v1/status", timeout=10).status_code == 401
    client = _admin_session(server, tmp_path)
    status = client.get("/api/v1/status").json()
    client.close()
    assert status["tables"]["regions"] == 91_599
    assert status["tables"]["legacy_region_codes"] == 91_591
    assert status["imports"][0]["dataset"] == "regions"


def test_app_factory_builds_independent_apps(tmp_path: Path) -> None:
    first = create_app(load_settings(env={}, home=tmp_path / "a"))
    second = create_app(load_settings(env={}, home=tmp_path / "b"))
    assert first.state.store.engine.url != second.state.store.engine.url
    assert (tmp_path / "a" / "siaga.db").exists() and (tmp_path / "b" / "siaga.db").exists()
