"""What every method group of the application object shares: the way to a transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from siaga.store.engine import begin_write
from siaga.store.tx import Tx

if TYPE_CHECKING:
    from siaga.application.core import Siaga


class Concern:
    """One group of use cases (cases, risk, events …) bound to the application object."""

    def __init__(self, app: Siaga) -> None:
        self.app = app

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """Yield a connection for reads; nothing it does is committed."""
        with self.app.store.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Tx]:
        """Yield a connection in a write transaction, committed when the block ends cleanly.

        On SQLite the write lock is taken at once (see `begin_write`), so writers queue
        instead of failing when another one committed between a read and a write.
        """
        with self.app.store.engine.begin() as conn:
            begin_write(conn)
            yield conn
