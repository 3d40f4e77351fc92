"""The store's handle on a transaction, named so the layers above need no database library.

Services annotate the connection they pass around as `Tx` and open their unit of work with
`reading` or `writing`; the SQL itself stays in the store's modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeAlias

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from siaga.store.engine import Store, begin_write

Tx: TypeAlias = Connection
"""An open connection, inside a transaction, to the store's database."""

StoredRow: TypeAlias = Row[Any]
"""A row as read from a table: its columns as attributes."""

DuplicateRow = IntegrityError
"""Raised by the store when a write breaks a unique or foreign-key constraint."""

__all__ = ["DuplicateRow", "StoredRow", "Tx", "new_id", "reading", "transaction", "writing"]


@contextmanager
def writing(store: Store) -> Iterator[Tx]:
    """Yield a connection in a write transaction, committed on success.

    On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE, see begin_write):
    a deferred one that reads the audit head and then writes could fail with "database is
    locked" when another writer committed in between; waiting for the lock up front avoids
    that.
    """
    with store.engine.begin() as conn:
        begin_write(conn)
        yield conn


@contextmanager
def transaction(store: Store) -> Iterator[Tx]:
    """Yield a connection in a transaction that takes its locks as it goes (committed on
    success); for writes that need not queue behind other writers up front."""
    with store.engine.begin() as conn:
        yield conn


@contextmanager
def reading(store: Store) -> Iterator[Tx]:
    """Yield a connection for reads; whatever it started is rolled back when it closes."""
    with store.engine.connect() as conn:
        yield conn


def new_id(result: Any) -> int:
    """Return the primary key of the row an INSERT result created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
