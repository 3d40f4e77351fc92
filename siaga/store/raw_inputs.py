"""The ledger of raw input files: every file taken in is stored by content before processing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select

from siaga.store.rawfiles import ensure_stored, sha256_of_file
from siaga.store.schema import raw_inputs


@dataclass(frozen=True)
class RawInput:
    """A stored input file: its id, content address, and whether it had been received before."""

    id: int
    sha256: str
    received_at: datetime
    seen_before: bool


def save_raw_input(conn: Connection, home: Path, content: bytes, filename: str,
                   kind: str) -> RawInput:
    """Store the bytes under home/raw by SHA-256 (once) and return their ledger entry.

    The file is written atomically (see rawfiles); a stored file that is missing or whose bytes
    no longer match the address (a crash of an older version mid-write, a damaged disk) is
    rewritten from these bytes, which are the same input.
    """
    digest = hashlib.sha256(content).hexdigest()
    found = conn.execute(select(raw_inputs.c.id, raw_inputs.c.received_at, raw_inputs.c.stored_path)
                         .where(raw_inputs.c.sha256 == digest)).first()
    if found is not None:
        ensure_stored(home / found.stored_path, content, digest)
        return RawInput(found.id, digest, found.received_at, seen_before=True)
    relative = Path("raw") / digest[:2] / digest
    ensure_stored(home / relative, content, digest)
    now = datetime.now(UTC)
    new_id = conn.execute(raw_inputs.insert().values(
        sha256=digest, kind=kind, filename=filename[:255], size=len(content), received_at=now,
        stored_path=str(relative))).inserted_primary_key
    assert new_id is not None
    return RawInput(int(new_id[0]), digest, now, seen_before=False)


@dataclass(frozen=True)
class RawProblem:
    """A ledger entry whose stored file is missing or holds other bytes than its address."""

    id: int
    stored_path: str
    filename: str
    problem: str  # "missing" or "hash mismatch"


def verify_raw_inputs(conn: Connection, home: Path) -> tuple[int, list[RawProblem]]:
    """Return how many raw inputs the ledger lists and those whose file is missing or wrong."""
    problems = []
    rows = conn.execute(select(raw_inputs.c.id, raw_inputs.c.sha256, raw_inputs.c.stored_path,
                               raw_inputs.c.filename).order_by(raw_inputs.c.id)).all()
    for row in rows:
        path = home / row.stored_path
        if not path.is_file():
            problems.append(RawProblem(row.id, row.stored_path, row.filename, "missing"))
        elif sha256_of_file(path) != row.sha256:
            problems.append(RawProblem(row.id, row.stored_path, row.filename, "hash mismatch"))
    return len(rows), problems
