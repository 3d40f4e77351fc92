"""Open a store (an engine on SQLite or PostgreSQL) and bring its schema up to date."""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


class StoreError(RuntimeError):
    """A database that cannot be opened or migrated, with a message saying which and why."""


# A writer waits this long for another's lock before SQLite gives up with "database is
# locked"; an import batch holds the lock for well under a second, so writers queue instead.
BUSY_TIMEOUT_MS = 30_000
# Taking the write lock is retried this many times beyond the busy timeout (see begin_write).
LOCK_RETRIES = 4


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web server read while an import writes; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def begin_write(conn: Connection) -> None:
    """On SQLite, take the write lock now (BEGIN IMMEDIATE), retrying while it is busy.

    A deferred transaction that reads and then writes fails at once when another writer
    committed in between; taking the lock first makes writers queue. The busy timeout already
    waits; a lock still busy after it (a long import batch) is asked for again, with a pause.
    PostgreSQL locks rows, not the database, and needs none of this.
    """
    if conn.dialect.name != "sqlite":
        return
    for attempt in range(LOCK_RETRIES + 1):
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES:
                raise
            time.sleep(0.05 * 2 ** attempt)


def _postgres_nul_safe_text(dbapi_connection: Any, _record: Any) -> None:
    # PostgreSQL text cannot hold NUL (0x00), which a stray byte in an imported file or a
    # "\u0000" in a JSON record would carry; the whole batch would then fail. Each NUL is
    # written as U+FFFD instead, as undecodable bytes already are; the raw input keeps the
    # original. psycopg's C dumpers cannot be subclassed, so each is wrapped.
    from psycopg.adapt import PyFormat

    adapters = dbapi_connection.adapters
    for fmt in (PyFormat.TEXT, PyFormat.BINARY):
        adapters.register_dumper(str, _nul_safe(adapters.get_dumper(str, fmt)))


def _nul_safe(inner: type[Any]) -> type[Any]:
    """Return a dumper class that writes str through `inner` with each NUL replaced."""
    from psycopg.adapt import Dumper  # only PostgreSQL stores need psycopg

    class NulSafeDumper(Dumper):
        format = inner.format

        def __init__(self, cls: type, context: Any = None) -> None:
            super().__init__(cls, context)
            self._inner = inner(cls, context)
            self.oid = self._inner.oid

        def dump(self, obj: str) -> Any:
            return self._inner.dump(obj.replace("\x00", "\ufffd") if "\x00" in obj else obj)

    return NulSafeDumper


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    location = resources.files("siaga.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


@dataclass
class Store:
    """A database Siaga reads and writes: an SQLAlchemy engine plus its dialect name."""

    engine: Engine

    @property
    def dialect(self) -> str:
        """Return 'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        command.upgrade(_alembic_config(self.engine), "head")

    def is_current(self) -> bool:
        """Return True when the schema is at the newest migration."""
        script = ScriptDirectory.from_config(_alembic_config(self.engine))
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        return current == script.get_current_head()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True, echo: bool = False) -> Store:
    """Return a Store for the SQLAlchemy URL, creating an SQLite file's folder and migrating."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, echo=echo)
    except Exception as exc:
        raise StoreError(f"cannot open database {parsed.render_as_string()}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", _postgres_nul_safe_text)
    store = Store(engine)
    if migrate:
        try:
            store.upgrade()
        except Exception as exc:
            raise StoreError(f"cannot migrate database {parsed.render_as_string()}: {exc}") from exc
    return store
