"""The audit log's hash chain: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One audited change: who, when (ISO UTC), what, on which record, before and after."""

    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None
    prev_hash: str
    hash: str = ""


def canonical(value: Any) -> str | None:
    """Return a stable JSON text of a record (sorted keys), or None for no record."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str,
                      separators=(",", ":"))


def entry_hash(entry: AuditEntry) -> str:
    """Return the SHA-256 of an entry's fields and its predecessor's hash."""
    body = [entry.seq, entry.at, entry.actor, entry.action, entry.entity, entry.entity_id,
            entry.before, entry.after, entry.prev_hash]
    return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """A break in the chain: at which sequence number and what is wrong."""

    seq: int
    problem: str


def verify_chain(entries: Iterable[AuditEntry], head: tuple[int, str] | None) -> list[ChainProblem]:
    """Return every break in the chain (empty when intact).

    Entries must come in sequence order. `head` is the (seq, hash) of the last entry as recorded
    separately on every append; it catches deletion of the newest entries.
    """
    problems: list[ChainProblem] = []
    expected_prev, expected_seq = GENESIS, 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(ChainProblem(expected_seq, f"entries {expected_seq}..{entry.seq - 1} "
                                         "are missing (deleted)" if entry.seq > expected_seq
                                         else f"sequence {entry.seq} out of order"))
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(entry.seq, "prev_hash does not match the previous "
                                         "entry (an entry before it was changed or deleted)"))
        if entry_hash(entry) != entry.hash:
            problems.append(ChainProblem(entry.seq, "content does not match its hash (edited)"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    last = (expected_seq - 1, expected_prev)
    if head is not None and head != last:
        problems.append(ChainProblem(head[0], f"the chain ends at entry {last[0]} but the head "
                                     f"records entry {head[0]} (newest entries deleted or head "
                                     "altered)"))
    if head is None and last[0] > 0:
        problems.append(ChainProblem(last[0], "the head record is missing"))
    return problems
