"""Look-ups of stored reports that the intake needs before it writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from siaga.store.schema import reports


def report_by_client_id(conn: Connection, client_id: str) -> Any | None:
    """Return (id, receipt, status) of the report the sender's browser named so, or None."""
    return conn.execute(select(reports.c.id, reports.c.receipt, reports.c.status).where(
        reports.c.client_id == client_id)).first()
