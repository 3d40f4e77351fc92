"""Audit use case: check the whole hash chain and say where it breaks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from siaga.cases.auditchain import GENESIS, AuditEntry, ChainProblem, verify_chain
from siaga.store import Store
from siaga.store import audit as db
from siaga.store.tx import reading


@dataclass(frozen=True)
class AuditReport:
    """The result of a check: entries read, the recorded head, and every break found."""

    entries: int
    head: tuple[int, str] | None
    problems: list[ChainProblem]

    @property
    def intact(self) -> bool:
        """Return True when no break was found."""
        return not self.problems


def verify_audit(store: Store, expect_hash: str | None = None) -> AuditReport:
    """Return the check of the audit chain.

    `expect_hash` is a hash published earlier (e.g. in a meeting's minutes); the chain must
    still contain it, which catches a log rewritten from scratch.
    """
    seen: list[int] = []
    found_expected = expect_hash in (None, GENESIS)
    with reading(store) as conn:
        head = db.head(conn)

        def counting() -> Iterator[AuditEntry]:
            nonlocal found_expected
            for entry in db.entries(conn):
                seen.append(1)
                found_expected = found_expected or entry.hash == expect_hash
                yield entry

        problems = verify_chain(counting(), head)
    if not found_expected:
        problems.append(ChainProblem(0, f"the published hash {expect_hash} is not in the chain "
                                     "(the log was rewritten)"))
    return AuditReport(len(seen), head, problems)
