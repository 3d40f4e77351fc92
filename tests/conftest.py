"""Shared fixtures: the data directory, a real PostgreSQL server, stores on both databases."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext
from siaga.importers.workspace import init_workspace
from siaga.store import Store, open_store
from tests.pg_server import PostgresServer, PostgresUnavailable, start_server
from tests.spark_cluster import SparkCluster, SparkUnavailable, start_cluster

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


@pytest.fixture(scope="session")
def spark_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkCluster]:
    """Start one Spark standalone cluster (a master, two one-core workers) for the session;
    on CI a missing cluster is a failure."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # the driver binds to loopback too
    try:
        cluster = start_cluster(tmp_path_factory.mktemp("spark"))
    except SparkUnavailable as exc:
        if os.environ.get("CI") or os.environ.get("SIAGA_REQUIRE_SPARK"):
            pytest.fail(f"Spark is required here: {exc}")
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def spark(spark_cluster: SparkCluster) -> Iterator[object]:
    """Return the session's SparkSession on the standalone cluster."""
    from siaga.cluster.session import spark_session

    os.environ.update({k: v for k, v in spark_cluster.env().items()
                       if k.startswith(("SPARK_", "PYSPARK_"))})
    session = spark_session(spark_cluster.master, "siaga-tests", {
        "spark.executor.memory": "512m", "spark.sql.shuffle.partitions": "4",
        "spark.task.maxFailures": "4", "spark.local.dir": str(spark_cluster.root / "local")})
    yield session
    session.stop()


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


def mirror_data(data_dir: Path, target: Path) -> Path:
    """Return a data folder of symlinks to the real files, whose files a test may replace."""
    from siaga.datafiles.manifest import load_manifest

    for entries in load_manifest().values():
        for entry in entries:
            link = target / entry.path
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(data_dir / entry.path)
    return target


def replace_file(mirror: Path, relative: str, content: bytes) -> Path:
    """Replace one mirrored file with new content; return its path."""
    path = mirror / relative
    path.unlink()
    path.write_bytes(content)
    return path


@pytest.fixture
def mirror(data_dir: Path, tmp_path: Path) -> Path:
    """Return a writable mirror of the shared data (symlinks until a file is replaced)."""
    return mirror_data(data_dir, tmp_path / "data")


@pytest.fixture
def conn(demo_store: Store) -> Iterator[Connection]:
    """Return a connection to the demo workspace whose writes are rolled back afterwards."""
    with demo_store.engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture(scope="session")
def regions_db(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """Return an SQLite file holding only the region list (copy it before writing)."""
    from siaga.importers.regions import import_regions

    path = tmp_path_factory.mktemp("regions") / "regions.db"
    opened = open_store(f"sqlite:///{path}")
    import_regions(ImportContext(opened, data_dir))
    opened.dispose()
    return path


@pytest.fixture
def regions_store(regions_db: Path, tmp_path: Path) -> Iterator[Store]:
    """Return a private SQLite store that already holds the region list."""
    import shutil

    copy = tmp_path / "siaga.db"
    shutil.copy(regions_db, copy)
    opened = open_store(f"sqlite:///{copy}")
    yield opened
    opened.dispose()


ROLE_ACCOUNTS = {  # username → (role, agency); every role of the matrix except the public
    "admin.uji": ("admin", None),
    "ketua.uji": ("chair", None),
    "analis.uji": ("analyst", None),
    "bawaslu.uji": ("agency_officer", "bawaslu"),
    "polres.uji": ("agency_officer", "polres"),
    "lapangan.uji": ("field_reporter", None),
}
ACCOUNT_PASSWORD = "sandi-uji-yang-panjang"


@pytest.fixture(scope="session", params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, data_dir: Path
) -> Iterator[Store]:
    """Return a store per backend with Merangin and Mukomuko, demo risk data, a user per role.

    Built once per session: tests may add rows of their own, never change or remove these.
    """
    from siaga.domain.access import Role
    from siaga.risk.framework import load_frameworks
    from siaga.services.risk import load_demo
    from siaga.services.users import add_user

    url = new_store_url(request.param, request, tmp_path_factory.mktemp("world"))
    opened = open_store(url)
    init_workspace(ImportContext(opened, data_dir, Scope.parse(DEMO_SCOPE)))
    with opened.engine.begin() as conn:
        for regency in DEMO_SCOPE.split(","):
            load_demo(conn, list(load_frameworks().values()), regency)
    for username, (role, agency) in ROLE_ACCOUNTS.items():
        add_user(opened, username, ACCOUNT_PASSWORD, Role(role), agency=agency)
    seed_signals(opened, request.getfixturevalue("pipeline"),
                 tmp_path_factory.mktemp("world-home"))
    yield opened
    opened.dispose()


def seed_signals(store: Store, pipeline: object, home: Path) -> None:
    """Run the real pipeline over the demo field reports (an alert in Merangin today)."""
    from datetime import UTC, datetime

    from siaga.detect.cluster import Clusterer
    from siaga.services.demo_activity import add_demo_signals

    pipeline.clusterer = Clusterer()  # type: ignore[attr-defined]  # this store has no clusters
    add_demo_signals(store, pipeline, home, datetime.now(UTC))


@pytest.fixture(scope="session")
def detect_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the session's model cache (trained once from the shared data).

    SIAGA_TEST_MODELS may name a directory of models already trained by this code from the same
    data (e.g. a workspace's var/models); they are copied in, and the cache's own content hash
    decides whether they fit (any that does not is trained again).
    """
    home = tmp_path_factory.mktemp("detect-home")
    ready = os.environ.get("SIAGA_TEST_MODELS")
    if ready and Path(ready).is_dir():
        shutil.copytree(ready, home / "models")
    return home


@pytest.fixture(scope="session")
def pipeline(detect_home: Path, data_dir: Path) -> object:
    """Return the detection pipeline on the session's cached models."""
    from siaga.detect.alerts import load_rules
    from siaga.services.detect import build_pipeline

    return build_pipeline(detect_home, data_dir, load_rules())


def login_headers(store: Store, username: str = "analis.uji") -> dict[str, str]:
    """Return the bearer header of a fresh session of one of the world's users."""
    from siaga.services.users import login

    found = login(store, username, ACCOUNT_PASSWORD, hours=1)
    assert found is not None
    return {"Authorization": f"Bearer {found[0]}"}


@pytest.fixture(scope="session")
def base_url(world: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the world store with one real `siaga serve` process per backend and session."""
    from tests.browser import running_server

    url = world.engine.url.render_as_string(hide_password=False)
    with running_server(url, tmp_path_factory.mktemp("serve-home")) as base:
        yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Return one headless Debian Chromium for the session's browser tests."""
    playwright = pytest.importorskip("playwright.sync_api")
    from tests.browser import CHROMIUM_FLAGS, chromium_path

    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the API fuzzer after every other test.

    It writes random rows (cases, reports, a case from the demo alert) into the shared world
    store; a later test that reads that store (the page walk, the alert's case button) would
    otherwise meet the fuzzer's rows instead of its own.
    """
    items.sort(key=lambda item: item.nodeid.startswith("tests/test_api_fuzz.py"))
