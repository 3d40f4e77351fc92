"""Idempotent bulk sync and migrations, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from siaga.store import Store
from siaga.store.bulk import sync_rows
from siaga.store.schema import regions

COLUMNS = ("code", "name", "level", "parent_code", "lat")


def _rows(store: Store) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        query = select(*(regions.c[c] for c in COLUMNS)).order_by(regions.c.code)
        return [tuple(r) for r in conn.execute(query)]


def test_schema_is_at_head_after_open(store: Store) -> None:
    assert store.is_current()


def test_sync_inserts_updates_and_leaves_alone(store: Store) -> None:
    first = [("15", "Jambi", "province", None, -1.6), ("15.02", "Merangin", "regency", "15", -2.1)]
    with store.engine.begin() as conn:
        result = sync_rows(conn, regions, COLUMNS, ("code",), first)
    assert (result.inserted, result.updated, result.unchanged) == (2, 0, 0)

    second = [
        ("15", "Jambi", "province", None, -1.6),
        ("15.02", "Kabupaten Merangin", "regency", "15", -2.1),
        ("17", "Bengkulu", "province", None, -3.8),
    ]
    with store.engine.begin() as conn:
        result = sync_rows(conn, regions, COLUMNS, ("code",), second)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert _rows(store) == sorted(second)

    with store.engine.begin() as conn:
        again = sync_rows(conn, regions, COLUMNS, ("code",), second)
    assert not again.changed and again.unchanged == 3


def test_sync_never_deletes_and_respects_scope(store: Store) -> None:
    with store.engine.begin() as conn:
        sync_rows(conn, regions, COLUMNS, ("code",), [("11", "Aceh", "province", None, 4.2)])
        result = sync_rows(
            conn,
            regions,
            COLUMNS,
            ("code",),
            [("15", "Jambi", "province", None, None)],
            existing_where=regions.c.code.like("15%"),
        )
    assert result.inserted == 1
    assert [r[0] for r in _rows(store)] == ["11", "15"]


def test_sync_updates_only_the_columns_it_is_given(store: Store) -> None:
    with store.engine.begin() as conn:
        sync_rows(conn, regions, COLUMNS, ("code",), [("15", "Jambi", "province", None, None)])
        sync_rows(conn, regions, ("code", "lat"), ("code",), [("15", -1.61)])
    assert _rows(store) == [("15", "Jambi", "province", None, -1.61)]
