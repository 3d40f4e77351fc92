"""Read KPU's national polling-station list (gzip CSV, one row per TPS)."""

from __future__ import annotations

import csv
import gzip
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO

from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.domain.elections import PollingStation

TPS_FILE = "polling-stations/tps_list_pemilu2024_DERIVED.csv.gz"
TPS_COLUMNS = ("kode_tps", "nama_tps", "kpu_id", "kode_desa")
OVERSEAS_PREFIX = "99"


def _dotted_village(digits: str) -> str:
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def station_from_fields(
    code: str, name: str, kpu_raw: str, village: str, file: str, line: int
) -> PollingStation | RowProblem:
    """Return the polling station of one row's fields, or a RowProblem saying what was expected."""
    if not (len(code) == 13 and code.isdigit()):
        return RowProblem(
            file, line, f"kode_tps {code!r}: expected 13 digits (village + TPS number)"
        )
    if not (len(village) == 10 and village.isdigit()):
        return RowProblem(file, line, f"kode_desa {village!r}: expected a 10-digit village code")
    if not code.startswith(village):
        return RowProblem(file, line, f"kode_tps {code} does not start with kode_desa {village}")
    if kpu_raw and not kpu_raw.isdigit():
        return RowProblem(file, line, f"kpu_id {kpu_raw!r}: expected a whole number")
    return PollingStation(
        code,
        int(code[-3:]),
        name or f"TPS {code[-3:]}",
        _dotted_village(village),
        int(kpu_raw) if kpu_raw else None,
        village.startswith(OVERSEAS_PREFIX),
    )


def read_polling_stations(
    path: Path,
    prefixes: Sequence[str] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[PollingStation | RowProblem]:
    """Yield the polling stations whose undotted village code starts with one of `prefixes`.

    None means every station. `on_bytes` receives the compressed bytes read since its last call
    (for a progress bar). A truncated or corrupt file yields the rows before the damage and then
    one problem naming the line where it broke off.
    """
    try:
        raw = path.open("rb")
    except FileNotFoundError as exc:
        raise DataFileError(path, "file not found") from exc
    with raw, gzip.open(raw, "rt", encoding="utf-8", newline="") as text:
        reader = csv.reader(text)
        header = next(reader, [])
        missing = [c for c in TPS_COLUMNS if c not in header]
        if missing:
            raise DataFileError(path, f"line 1: header lacks {', '.join(missing)}")
        columns = [header.index(c) for c in TPS_COLUMNS]
        wanted = tuple(prefixes) if prefixes is not None else None
        yield from _rows(reader, columns, str(path), wanted, raw, on_bytes)


def _rows(
    reader: Iterator[list[str]],
    columns: list[int],
    file: str,
    wanted: tuple[str, ...] | None,
    raw: IO[bytes],
    on_bytes: Callable[[int], None] | None,
) -> Iterator[PollingStation | RowProblem]:
    i_code, i_name, i_kpu, i_village = columns
    width, line, position = max(columns) + 1, 1, 0
    try:
        for line, row in enumerate(reader, start=2):
            if on_bytes is not None and line % 50000 == 0:
                position = _report(raw, position, on_bytes)
            if len(row) < width:
                yield RowProblem(file, line, f"expected at least {width} columns, found {len(row)}")
                continue
            village = row[i_village].strip()
            if wanted is not None and not village.startswith(wanted):
                continue
            yield station_from_fields(
                row[i_code].strip(), row[i_name].strip(), row[i_kpu].strip(), village, file, line
            )
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield RowProblem(file, line + 1, f"compressed data breaks off ({exc}); file truncated?")
    except csv.Error as exc:
        yield RowProblem(file, line + 1, f"not valid CSV: {exc}")
    if on_bytes is not None:
        _report(raw, position, on_bytes)


def _report(raw: IO[bytes], position: int, on_bytes: Callable[[int], None]) -> int:
    now = raw.tell()
    on_bytes(now - position)
    return now
