"""Idempotent bulk loading: insert what is new, update what changed, count what is unchanged.

Reference imports run often (every `siaga init`), so a second run must touch nothing. Rows are
compared with what the table already holds in the same scope; only differences are written.
PostgreSQL receives new rows through COPY, SQLite through one executemany on the raw driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, bindparam, select, update

from siaga.store import revisions

Row = tuple[Any, ...]


@dataclass
class SyncResult:
    """What a bulk sync did to one table."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        """Return True when any row was written."""
        return bool(self.inserted or self.updated)

    def __iadd__(self, other: SyncResult) -> SyncResult:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


def copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row]) -> None:
    """Insert rows as fast as the dialect allows (COPY on PostgreSQL, executemany on SQLite)."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with (
            raw.cursor() as cursor,
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', list(rows))


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """Insert rows through SQLAlchemy Core's executemany (the portable, slower path)."""
    if rows:
        conn.execute(table.insert(), [dict(zip(columns, row, strict=True)) for row in rows])


def _same(a: Row, b: Row) -> bool:
    # Floats read back from the database may differ in the last bit; compare them loosely.
    for x, y in zip(a, b, strict=True):
        if isinstance(x, float) and isinstance(y, float):
            if abs(x - y) > 1e-9 * max(1.0, abs(x), abs(y)):
                return False
        elif x != y:
            return False
    return True


def sync_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    key: Sequence[str],
    rows: Iterable[Row],
    existing_where: ColumnElement[bool] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> SyncResult:
    """Make `table` hold `rows` (matched on `key`); return how many were inserted/updated/unchanged.

    Existing rows are read once (restricted by `existing_where`, the import's scope). Rows absent
    from the input are left alone: an import never deletes.
    """
    key_idx = [columns.index(k) for k in key]
    query = select(*(table.c[c] for c in columns))
    if existing_where is not None:
        query = query.where(existing_where)
    existing = {tuple(r[i] for i in key_idx): tuple(r) for r in conn.execute(query)}
    result, to_insert, to_update = SyncResult(), [], []
    seen: set[Row] = set()
    for row in rows:
        row_key = tuple(row[i] for i in key_idx)
        if row_key in seen:
            continue
        seen.add(row_key)
        old = existing.get(row_key)
        if old is None:
            to_insert.append(row)
        elif _same(old, row):
            result.unchanged += 1
        else:
            to_update.append(row)
    copy_rows(conn, table, columns, to_insert)
    if on_batch:
        on_batch(len(to_insert))
    _update_rows(conn, table, columns, key, to_update)
    result.inserted, result.updated = len(to_insert), len(to_update)
    if (to_insert or to_update) and table.name in revisions.RISK_TABLES:
        revisions.bump(conn)
    return result


def _update_rows(
    conn: Connection, table: Table, columns: Sequence[str], key: Sequence[str], rows: list[Row]
) -> None:
    if not rows:
        return
    where = and_(*(table.c[k] == bindparam(f"k_{k}") for k in key))
    values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns if c not in key}
    params = [
        {
            **{f"k_{k}": row[columns.index(k)] for k in key},
            **{f"v_{c}": row[i] for i, c in enumerate(columns) if c not in key},
        }
        for row in rows
    ]
    conn.execute(update(table).where(where).values(values), params)
