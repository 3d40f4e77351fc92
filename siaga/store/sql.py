"""SQL building blocks shared by the store's queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, and_, or_


def starts_with(column: Any, prefix: str) -> Any:
    """Return `column` begins with `prefix`, as a range both SQLite and PostgreSQL index.

    `LIKE 'p%'` reads the whole table on SQLite (case-insensitive LIKE) and on PostgreSQL
    outside the C collation; `p <= column < p'` (p' = p with its last character raised by one)
    uses the primary key or any index on the column.
    """
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


def inside(column: Any, code: str) -> Any:
    """Return `column` is the dotted region code or a code below it."""
    return or_(column == code, starts_with(column, code + "."))


def below(column: Any, code: str) -> Any:
    """Return `column` is a dotted region code strictly below `code`."""
    return starts_with(column, code + ".")


def marks(conn: Connection, count: int) -> str:
    """Return `count` comma-separated positional parameter marks for the raw driver's SQL."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * count)
