"""Read a small operator CSV (comma or semicolon) into numbered rows, checking its header."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


class HeaderError(ValueError):
    """A CSV whose header lacks required columns; the message lists what was expected."""


def read_csv_rows(content: bytes, name: str, required: Sequence[str],
                  optional: Sequence[str] = ()) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) with lower-case keys and stripped values; blank rows dropped."""
    text = content.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in required if c not in header]
    if missing:
        hint = f" (optional: {','.join(optional)})" if optional else ""
        raise HeaderError(f"{name}:1: the header lacks {', '.join(missing)}; expected at least "
                          f"{','.join(required)}{hint}")
    reader.fieldnames = header
    rows = []
    for row in reader:
        cleaned = {k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
        if any(cleaned.values()):
            rows.append((reader.line_num, cleaned))
    return rows
