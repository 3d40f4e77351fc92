"""A real `siaga serve` process and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]
ARTIFACTS = Path(os.environ.get("SIAGA_TEST_ARTIFACTS",
                                Path(__file__).resolve().parents[1] / "test-artifacts"))


def chromium_path() -> str:
    """Return Debian's chromium; fail on CI (where it must be installed), skip elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Debian's chromium is not installed (make test-deps installs it)"
    if os.environ.get("CI") or os.environ.get("SIAGA_REQUIRE_PG"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(database_url: str | None, home: Path) -> Iterator[str]:
    """Run `siaga serve` on a free port over the database (None: the default one under home).

    Yield its base URL.
    """
    port = _free_port()
    env = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_PORT": str(port)}
    env.pop("SIAGA_DATABASE_URL", None)
    if database_url is not None:
        env["SIAGA_DATABASE_URL"] = database_url
    process = subprocess.Popen([sys.executable, "-m", "siaga", "serve"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # bounded wait for the port to open
            try:
                httpx.get(base + "/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError(f"siaga serve exited: {process.stdout.read()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def screenshot(page: object, name: str) -> Path:
    """Save a screenshot of the page as a test artifact and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
