"""Read-only views the dashboard and the status routes show: what is loaded, and a probe."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from siaga.store.queries import recent_imports, table_counts


def status_view(conn: Connection, tables: list[str], imports: int = 20) -> dict[str, Any]:
    """Return the row count of each of `tables` and the newest `imports` import entries."""
    counts = table_counts(conn)
    return {"tables": {name: counts.get(name, 0) for name in tables},
            "imports": recent_imports(conn, limit=imports)}


def probe(conn: Connection) -> None:
    """Ask the database the cheapest question there is; raise if it does not answer."""
    conn.exec_driver_sql("SELECT 1")
