"""Read operator CSV files without losing a row to what the parser cannot take.

Python's csv module fails a whole file on a field over its size limit, and an unclosed quote
makes it read every following line into one field until the next quote character, so the rows
there vanish without a word. `csv_records` reads record by record, turns an oversized field into
an error of that row, and when a quoted field runs over lines that look like rows of the file
(or over very many lines) it reports the unclosed quote at the line it opened and reads the
following lines again as rows of their own.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from siaga.datafiles.problems import RowProblem

# The parser's own limit (131,072 characters by default) raises an error that ends the whole
# file; it is raised far above any accepted input so that `FIELD_LIMIT` decides, per row.
_PARSER_LIMIT = 1 << 30
FIELD_LIMIT = 1 << 20  # characters in one field
# A quoted field spanning more lines than this is taken for an unclosed quote.
MAX_FIELD_LINES = 200

if csv.field_size_limit() < _PARSER_LIMIT:
    csv.field_size_limit(_PARSER_LIMIT)


class HeaderError(ValueError):
    """A CSV whose header lacks required columns; the message lists what was expected."""


@dataclass(frozen=True)
class CsvRecord:
    """One record: the physical line it ends on (as csv's line_num) and its fields, or, when it
    could not be read, the line it starts on and why (`problem`)."""

    line: int
    fields: list[str]
    problem: str | None = None

    def row_problem(self, name: str) -> RowProblem:
        """Return the record's problem as one of file `name`."""
        return RowProblem(name, self.line, self.problem or "unreadable")


class _Lines:
    """The file's physical lines, handed to the parser one at a time, counting what it took."""

    def __init__(self, lines: list[str], start: int = 0) -> None:
        self.lines = lines
        self.next = start

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines):
            raise StopIteration
        self.next += 1
        return self.lines[self.next - 1]


def csv_records(text: str, delimiter: str = ",") -> Iterator[CsvRecord]:
    """Yield every non-blank record of CSV text, the header first; unreadable ones as problems.

    An unclosed quote is reported at its line, and the lines it swallowed are read again.
    """
    lines = list(io.StringIO(text, newline=""))
    source = _Lines(lines)
    width = 0
    while source.next < len(lines):
        reader = csv.reader(source, delimiter=delimiter)
        restart = None
        while restart is None:
            start = source.next
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield CsvRecord(start + 1, [], f"unreadable CSV ({exc})")
                restart = start + 1
                continue
            if not fields:
                continue
            width = width or len(fields)
            if _swallowed_rows(lines[start + 1:source.next], width, delimiter):
                yield CsvRecord(start + 1, [], _unclosed(start + 1, source.next))
                restart = start + 1
                continue
            yield _checked(source.next, fields)
        if restart is None:
            return
        source = _Lines(lines, restart)


def _swallowed_rows(inner: list[str], width: int, delimiter: str) -> bool:
    """Return True when a record's further lines look like rows of their own."""
    if not inner:
        return False
    if len(inner) > MAX_FIELD_LINES:
        return True
    return width > 1 and any(line.count(delimiter) >= width - 1 for line in inner)


def _unclosed(first: int, last: int) -> str:
    return (f"tanda kutip tidak ditutup / unclosed quote: the field opened on "
            f"this line runs to line {last}; this row is skipped and lines {first + 1}-{last} "
            "are read again as rows")


def _checked(line: int, fields: list[str]) -> CsvRecord:
    for number, value in enumerate(fields, start=1):
        if len(value) > FIELD_LIMIT:
            return CsvRecord(line, [], (
                f"kolom {number} terlalu panjang / field {number} has "
                f"{len(value):,} characters, more than the limit of {FIELD_LIMIT:,}"))
    return CsvRecord(line, fields)


def as_row(header: Sequence[str], fields: Sequence[str]) -> dict[str, str | None]:
    """Return a record as header -> value (None for missing fields; extra fields dropped)."""
    return {key: fields[i] if i < len(fields) else None for i, key in enumerate(header)}


def read_csv_rows(content: bytes, name: str, required: Sequence[str],
                  optional: Sequence[str] = ()) -> tuple[list[tuple[int, dict[str, str]]],
                                                         list[RowProblem]]:
    """Return (line number, row) with lower-case keys and stripped values, blank rows dropped,
    and the problems of records that could not be read."""
    text = content.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    records = csv_records(text, delimiter)
    head = next(records, None)
    header = [h.strip().lower() for h in head.fields] if head is not None else []
    missing = [c for c in required if c not in header]
    if missing:
        hint = f" (optional: {','.join(optional)})" if optional else ""
        raise HeaderError(f"{name}:1: the header lacks {', '.join(missing)}; expected at least "
                          f"{','.join(required)}{hint}")
    rows, problems = [], []
    for record in records:
        if record.problem is not None:
            problems.append(record.row_problem(name))
            continue
        cleaned = {k: (v or "").strip() for k, v in as_row(header, record.fields).items() if k}
        if any(cleaned.values()):
            rows.append((record.line, cleaned))
    return rows, problems
