"""Bulk CSV import of reports: resumable, batches committed whole, bad rows named by number."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from siaga.cases.intake import CSV_COLUMNS, CsvRow, parse_csv_row
from siaga.datafiles.csv_rows import as_row, csv_records
from siaga.services.casework import Casework, CaseworkError
from siaga.services.reports import insert_report
from siaga.store import audit
from siaga.store.raw_inputs import save_raw_input
from siaga.store.reports import import_keys_of_file
from siaga.store.tx import writing

BATCH = 100


@dataclass
class ImportSummary:
    """What an import did: rows read, stored now, already stored before, and rejected rows."""

    sha256: str
    rows: int = 0
    stored: int = 0
    already: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_key(sha256: str, row: int) -> str:
    """Return the resume marker of one row of one file: its content digest and row number."""
    return f"{sha256}#row={row}"


def read_rows(content: bytes, name: str, sha256: str, actor: str) -> Iterator[CsvRow]:
    """Yield every data row of a CSV file parsed into a report or a problem."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseworkError(f"{name}: bukan UTF-8 / not UTF-8 text (byte {exc.start})") from exc
    records = csv_records(text)
    head = next(records, None)
    header = [h.strip() for h in head.fields] if head is not None else []
    if "text" not in header:
        raise CaseworkError(f"{name}:1: kolom 'text' tidak ada / no 'text' column; expected "
                            f"columns: {', '.join(CSV_COLUMNS)}")
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise CaseworkError(f"{name}:1: kolom tidak dikenal / unknown columns {unknown}; "
                            f"expected: {', '.join(CSV_COLUMNS)}")
    for record in records:
        if record.problem is not None:
            yield CsvRow(record.line, None, record.problem)
        else:
            yield parse_csv_row(record.line, as_row(header, record.fields), sha256, actor)


def import_reports_csv(cw: Casework, path: Path, actor: str, *,
                       after_row: Callable[[int], None] | None = None,
                       progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import a CSV of reports; rerunning it stores only the rows not stored before.

    The file is kept first (raw inputs are never lost); then rows go in batches, each batch one
    transaction, each row keyed by (file SHA-256, row number), so a killed import leaves whole
    reports only and the next run resumes after the last committed batch.
    """
    content = path.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    summary = ImportSummary(sha)
    with writing(cw.store) as conn:
        save_raw_input(conn, cw.home, content, path.name, "reports_csv")
        done = import_keys_of_file(conn, sha)
    batch: list[CsvRow] = []
    for parsed in read_rows(content, path.name, sha, actor):
        summary.rows += 1
        if import_key(sha, parsed.row) in done:
            summary.already += 1
        elif parsed.report is None:
            summary.rejected.append((parsed.row, parsed.problem or "invalid"))
        else:
            batch.append(parsed)
        if len(batch) >= BATCH:
            _store_batch(cw, batch, sha, summary, after_row)
            batch = []
        if progress is not None:
            progress(summary.rows)
    if batch:
        _store_batch(cw, batch, sha, summary, after_row)
    return summary


def _store_batch(cw: Casework, batch: list[CsvRow], sha: str, summary: ImportSummary,
                 after_row: Callable[[int], None] | None) -> None:
    stored = 0
    pending: list[audit.Change] = []
    with writing(cw.store) as conn:
        for parsed in batch:
            assert parsed.report is not None
            try:
                insert_report(conn, cw, parsed.report, anonymous=parsed.report.reporter is None,
                              import_key=import_key(sha, parsed.row), pending=pending)
            except CaseworkError as exc:
                summary.rejected.append((parsed.row, str(exc)))
                continue
            stored += 1
            if after_row is not None:
                after_row(parsed.row)
        audit.append(conn, cw.now(), pending)  # the batch's entries, in the same transaction
    summary.stored += stored
