"""Look-ups of stored reports that the intake needs before it writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from siaga.store.schema import attachments, reports
from siaga.store.tx import new_id


def report_by_client_id(conn: Connection, client_id: str) -> Any | None:
    """Return (id, receipt, status) of the report the sender's browser named so, or None."""
    return conn.execute(select(reports.c.id, reports.c.receipt, reports.c.status).where(
        reports.c.client_id == client_id)).first()


def receipt_taken(conn: Connection, receipt: str) -> bool:
    """Return whether a stored report already holds this receipt code."""
    return conn.execute(select(reports.c.id).where(reports.c.receipt == receipt)).first() \
        is not None


def insert_report(conn: Connection, values: dict[str, Any]) -> int:
    """Insert one report row from its column values; return its id."""
    return new_id(conn.execute(reports.insert(), values))  # parameters: compiled once


def insert_attachment(conn: Connection, values: dict[str, Any]) -> int:
    """Insert one attachment row (of a report or a case); return its id."""
    return new_id(conn.execute(attachments.insert().values(**values)))


def count_from_source(conn: Connection, source_hash: str, since: datetime) -> int:
    """Return how many reports the sender with this hash sent after `since`."""
    return int(conn.execute(select(func.count()).select_from(reports).where(
        reports.c.source_hash == source_hash, reports.c.received_at > since)).scalar_one())


def report_by_origin(conn: Connection, kind: str, ref: str) -> Any | None:
    """Return (id, receipt, status) of the report promoted from this origin, or None."""
    return conn.execute(select(reports.c.id, reports.c.receipt, reports.c.status).where(
        reports.c.origin_kind == kind, reports.c.origin_ref == ref)).first()


def report_by_receipt(conn: Connection, receipt: str) -> Any | None:
    """Return (receipt, status, received_at) of the report with this receipt, or None."""
    return conn.execute(select(reports.c.receipt, reports.c.status, reports.c.received_at)
                        .where(reports.c.receipt == receipt)).first()


def report_by_id(conn: Connection, report_id: int) -> Any | None:
    """Return the full stored report row, or None."""
    return conn.execute(select(reports).where(reports.c.id == report_id)).first()


def attachments_of(conn: Connection, report_id: int) -> list[dict[str, Any]]:
    """Return a report's attachments as dicts of sha256, media_type, size and filename."""
    return [dict(f) for f in conn.execute(
        select(attachments.c.sha256, attachments.c.media_type, attachments.c.size,
               attachments.c.filename)
        .where(attachments.c.report_id == report_id)).mappings().all()]


def pending_reports(conn: Connection, statuses: Sequence[str], after_id: int,
                    limit: int) -> list[Any]:
    """Return report rows in `statuses` with an id above `after_id`, by id, at most `limit`."""
    return list(conn.execute(select(reports).where(
        reports.c.status.in_(list(statuses)), reports.c.id > after_id)
        .order_by(reports.c.id).limit(limit)).all())


def column_of(conn: Connection, column: str, ids: Sequence[int]) -> dict[int, Any]:
    """Return {id: value of `column`} for the stored reports among `ids`."""
    return {r[0]: r[1] for r in conn.execute(
        select(reports.c.id, reports.c[column]).where(reports.c.id.in_(list(ids))))}


def update_reports(conn: Connection, ids: Sequence[int], **values: Any) -> None:
    """Set columns on the reports with these ids."""
    conn.execute(reports.update().where(reports.c.id.in_(list(ids))).values(**values))


def status_of(conn: Connection, report_id: int) -> str | None:
    """Return the status of one report, or None when it does not exist."""
    found = conn.execute(select(reports.c.status).where(reports.c.id == report_id)).scalar()
    return None if found is None else str(found)


def import_keys_of_file(conn: Connection, sha256: str) -> set[str]:
    """Return the import keys already stored for rows of the file with this SHA-256."""
    return set(conn.execute(select(reports.c.import_key).where(
        reports.c.import_key.like(f"{sha256}#row=%"))).scalars())
