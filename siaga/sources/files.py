"""JSON Lines and CSV exports: one record per line or row, in the schema or through a mapping."""

from __future__ import annotations

import json
from datetime import datetime

from siaga.datafiles.csv_rows import as_row, csv_records
from siaga.datafiles.problems import RowProblem
from siaga.domain.signals import SourceKind
from siaga.sources.base import ReadResult, SourceError, signal_from_record
from siaga.sources.mapping import ColumnMapping


def read_jsonl(
    content: bytes, name: str, received_at: datetime, mapping: ColumnMapping | None = None
) -> ReadResult:
    """Return the signals of a JSON Lines file; bad lines become problems with their number."""
    mapping = mapping or ColumnMapping()
    result = ReadResult()
    text = content.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.problems.append(RowProblem(name, number, f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(record, dict):
            result.problems.append(RowProblem(name, number, "expected a JSON object per line"))
            continue
        _add(result, mapping, record, name, number, SourceKind.JSONL, received_at)
    return result


def read_csv(
    content: bytes, name: str, received_at: datetime, mapping: ColumnMapping | None = None
) -> ReadResult:
    """Return the signals of a CSV file with a header; bad rows become problems (line numbers)."""
    mapping = mapping or ColumnMapping()
    result = ReadResult()
    try:
        text = content.decode(mapping.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(
            f"{name}: cannot decode as {mapping.encoding} ({exc}); set 'encoding' in a mapping"
        ) from exc
    records = csv_records(text, mapping.delimiter)
    head = next(records, None)
    header = head.fields if head is not None else []
    text_column = mapping.columns["text"]
    if text_column not in header:
        raise SourceError(
            f"{name}:1: no column {text_column!r} for the text; columns are {header}; "
            "give a mapping file (--mapping) for other exports"
        )
    for record in records:
        if record.problem is not None:
            result.problems.append(record.row_problem(name))
        elif len(record.fields) > len(header):
            result.problems.append(
                RowProblem(name, record.line, f"more fields than the {len(header)} columns"))
        else:
            _add(result, mapping, dict(as_row(header, record.fields)), name, record.line,
                 SourceKind.CSV, received_at)
    return result


def _add(
    result: ReadResult,
    mapping: ColumnMapping,
    record: dict[str, object],
    name: str,
    number: int,
    kind: SourceKind,
    received_at: datetime,
) -> None:
    try:
        signal = signal_from_record(
            mapping.apply(record), kind, received_at, f"{name}:{number}",
            time_format=mapping.time_format, defaults=mapping.defaults,
        )
    except ValueError as exc:
        result.problems.append(RowProblem(name, number, str(exc)))
        return
    result.signals.append(signal)
