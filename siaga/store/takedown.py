"""The evidence of content-takedown cases: captured URLs and their screenshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from siaga.store.schema import attachments, case_evidence
from siaga.store.tx import new_id


def insert_evidence(conn: Connection, values: dict[str, Any]) -> int:
    """Store one evidence row from its column values; return its id."""
    return new_id(conn.execute(case_evidence.insert().values(**values)))


def evidence_of(conn: Connection, case_id: int) -> list[Any]:
    """Return a case's evidence rows, oldest first, each with its screenshot's stored_path and
    media_type (None when it has none)."""
    return list(conn.execute(
        select(case_evidence, attachments.c.stored_path, attachments.c.media_type)
        .join(attachments, attachments.c.id == case_evidence.c.screenshot_id, isouter=True)
        .where(case_evidence.c.case_id == case_id).order_by(case_evidence.c.id)).all())
