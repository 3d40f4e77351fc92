"""What every importer shares: its context, its report, the checksum check and the ledger."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from siaga.datafiles.manifest import DATASETS, load_manifest, sha256_of
from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.domain.scope import Scope
from siaga.progress import Progress, SilentProgress
from siaga.store import Store, reference
from siaga.store.reference import SyncResult
from siaga.store.tx import Tx

T = TypeVar("T")
MAX_KEPT_PROBLEMS = 200


@dataclass
class ImportContext:
    """Where an import reads from, writes to, which part of the country, and how it reports."""

    store: Store
    data_dir: Path
    scope: Scope = field(default_factory=Scope)
    progress: Progress = field(default_factory=SilentProgress)


@dataclass
class ImportReport:
    """What one dataset's import did."""

    dataset: str
    scope: str
    tables: dict[str, SyncResult] = field(default_factory=dict)
    rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def reject(self, problem: RowProblem) -> None:
        """Count a rejected row, keeping the first problems for display."""
        self.rejected += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def take(self, items: Iterable[T | RowProblem]) -> Iterator[T]:
        """Yield the good items, counting each RowProblem as a rejected row."""
        for item in items:
            if isinstance(item, RowProblem):
                self.reject(item)
            else:
                yield item

    @property
    def changed(self) -> bool:
        """Return True when any table received or changed a row."""
        return any(r.changed for r in self.tables.values())

    def summary(self) -> str:
        """Return one line: per table what was inserted/updated/unchanged, and rejections."""
        parts = [
            f"{name}: {r.inserted:,} new, {r.updated:,} updated, {r.unchanged:,} unchanged"
            for name, r in self.tables.items()
        ]
        line = f"{self.dataset} [{self.scope}] " + "; ".join(parts)
        if not self.changed:
            line += " — nothing changed"
        if self.rejected:
            line += f"; {self.rejected:,} rows rejected"
        return line


def dataset_files(ctx: ImportContext, dataset_id: str, report: ImportReport) -> list[Path]:
    """Return the dataset's files from the manifest, checking presence and checksums.

    A missing file raises DataFileError naming it and the features that need it; an altered one
    adds a warning (rows are then checked one by one as usual).
    """
    spec = next(s for s in DATASETS if s.id == dataset_id)
    paths = []
    for entry in load_manifest()[dataset_id]:
        path = ctx.data_dir / entry.path
        if not path.is_file():
            raise DataFileError(
                path,
                f"missing: dataset {dataset_id} ({spec.title}) is needed for "
                f"{', '.join(spec.features)}; run `siaga data check` for the full picture",
            )
        if path.stat().st_size != entry.bytes or sha256_of(path) != entry.sha256:
            report.warnings.append(
                f"{path}: differs from the manifest (expected {entry.bytes:,} bytes, SHA-256 "
                f"{entry.sha256[:12]}…); importing what can be read, row by row"
            )
        paths.append(path)
    return paths


def digest_of(paths: Iterable[Path]) -> str:
    """Return one SHA-256 over the checksums of several files."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def record_import(conn: Tx, report: ImportReport, sha256: str) -> None:
    """Write the import to the ledger when it changed something or is the first of its kind."""
    totals = SyncResult()
    for result in report.tables.values():
        totals += result
    reference.record_import(conn, report.dataset, report.scope, sha256, totals=totals,
                            rejected=report.rejected, changed=report.changed)
