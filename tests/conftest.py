"""Shared fixtures: the data directory, a real PostgreSQL server, stores on both databases."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext
from siaga.importers.workspace import init_workspace
from siaga.store import Store, open_store
from tests.pg_server import PostgresServer, PostgresUnavailable, start_server

BACKENDS = ["sqlite", "postgresql"]
DEMO_SCOPE = "15.02,17.06"
_numbers = itertools.count()


def _data_dir() -> Path | None:
    configured = os.environ.get("SIAGA_DATA_DIR")
    if configured:
        return Path(configured)
    beside = Path(__file__).resolve().parents[2] / "shared" / "data"
    return beside if beside.is_dir() else None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """Return the shared data directory; fail (never skip) when it is missing."""
    found = _data_dir()
    if found is None or not (found / "regions" / "wilayah.sql").is_file():
        pytest.fail(
            f"shared data not found (SIAGA_DATA_DIR={os.environ.get('SIAGA_DATA_DIR')!r}); "
            "the Makefile points it at ../shared/data"
        )
    return found


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """Start one PostgreSQL server for the session; on CI a missing server is a failure."""
    try:
        server = start_server()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") or os.environ.get("SIAGA_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is required here: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


def new_store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a new, empty database on the backend."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'siaga.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database(f"t{next(_numbers)}")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Return a new, migrated, empty store on each backend in turn."""
    opened = open_store(new_store_url(request.param, request, tmp_path))
    yield opened
    opened.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[Store]:
    """Return a store on each backend with the demo workspace (Merangin, Mukomuko) loaded once.

    Tests must not change it; tests that write build their own store.
    """
    url = new_store_url(request.param, request, tmp_path_factory.mktemp("demo"))
    opened = open_store(url)
    init_workspace(ImportContext(opened, data_dir, Scope.parse(DEMO_SCOPE)))
    yield opened
    opened.dispose()
