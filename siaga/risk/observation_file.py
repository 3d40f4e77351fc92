"""Observation files (CSV or XLSX) in and fill-in templates out, with row-numbered problems.

Two layouts are read. *Wide*, as the template writes it: one row per unit, a column per indicator,
blank meaning not observed. *Long*, as other systems export: one row per value with an
``indicator`` column. Both need ``code``; ``observed_at``, ``evidence`` and ``note`` are optional.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from siaga.datafiles.csv_rows import csv_records
from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.domain.regions import RegionCodeError
from siaga.domain.risk import (
    IndicatorKind,
    Observation,
    ObservationSource,
    UnitLevel,
    normalize_unit,
)
from siaga.domain.timezones import in_range, zone_of
from siaga.risk.framework import Framework, Indicator

META_COLUMNS = ("code", "name", "observed_at", "evidence", "note")
TRUE_WORDS = {"1", "ya", "y", "yes", "true", "benar", "ada"}
FALSE_WORDS = {"0", "tidak", "t", "no", "n", "false", "salah", "tidak ada"}
MAX_ROWS = 1_000_000


@dataclass
class ParsedFile:
    """Observations read from one file, each with its row number, and the rows refused."""

    observations: list[tuple[int, Observation]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    layout: str = "wide"


def _cells(path: Path, content: bytes,
           unreadable: list[RowProblem]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cells) of the first sheet of an XLSX or of a CSV file (CSV: the line
    a record ends on); CSV records that cannot be read are added to `unreadable` instead."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # imported here: only spreadsheets need it

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise DataFileError(path.name, f"not a readable XLSX workbook ({exc})") from exc
        sheet = book["observasi"] if "observasi" in book.sheetnames else book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(path.name, f"not UTF-8 text (byte {exc.start}); save the CSV as "
                            "UTF-8 or use the XLSX template") from exc
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    for record in csv_records(text, dialect.delimiter):
        if record.problem is not None:
            unreadable.append(record.row_problem(path.name))
        else:
            yield record.line, record.fields


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_value(indicator: Indicator, cell: Any) -> float:
    """Return the numeric value of a cell for an indicator, or raise ValueError saying why."""
    text = _text(cell).lower().replace(",", ".") if not isinstance(cell, int | float) else cell
    if indicator.kind is IndicatorKind.BINARY:
        if isinstance(text, int | float):
            if text in (0, 1):
                return float(text)
        elif text in TRUE_WORDS or text in FALSE_WORDS:
            return 1.0 if text in TRUE_WORDS else 0.0
        raise ValueError(f"{indicator.id} is yes/no: write 1 or 0 (ya/tidak), not {cell!r}")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{indicator.id} needs a number, not {cell!r}") from None
    if number < 0 or number != number:
        raise ValueError(f"{indicator.id} cannot be negative ({cell!r})")
    if indicator.kind is IndicatorKind.COUNT and not number.is_integer():
        raise ValueError(f"{indicator.id} counts incidents: a whole number, not {cell!r}")
    return number


def parse_time(cell: Any, code: str, default: datetime) -> datetime:
    """Return an aware time: ISO date or datetime; naive ones are in the unit's own zone."""
    if cell is None or _text(cell) == "":
        return default
    if isinstance(cell, datetime):
        moment = cell
    elif isinstance(cell, date):
        moment = datetime.combine(cell, time())
    else:
        try:
            moment = datetime.fromisoformat(_text(cell).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"observed_at {cell!r} is not a date: write 2024-11-20 or "
                             "2024-11-20T08:00+07:00") from None
    return in_range(moment if moment.tzinfo else moment.replace(tzinfo=zone_of(code)),
                    "observed_at")


@dataclass(frozen=True)
class ReadOptions:
    """How to read one file: its framework, where it came from, and defaults for blank cells."""

    framework: Framework
    evidence: str  # e.g. "file:<sha256>"; "#row=N" is appended per row
    default_time: datetime
    source: ObservationSource = ObservationSource.IMPORT
    demo: bool = False


def _header(name: str, rows: Iterator[tuple[int, list[Any]]]) -> tuple[int, list[str]]:
    for number, cells in rows:
        names = [_text(c).lower() for c in cells]
        if any(names):
            return number, names
    raise DataFileError(name, "the file is empty: expected a header row with at least 'code'")


def _layout(name: str, header: list[str], framework: Framework,
            line: int) -> tuple[str, list[RowProblem]]:
    if "code" not in header:
        raise DataFileError(name, f"line {line}: no 'code' column; the header was {header}")
    if "indicator" in header:
        missing = "value" not in header
        if missing:
            raise DataFileError(name, f"line {line}: a long-format file needs a 'value' column")
        return "long", []
    known = {i.id for i in framework.indicators}
    problems = [RowProblem("", line, f"column {name!r} is not an indicator of "
                           f"{framework.id}; its cells were ignored")
                for name in header if name and name not in known and name not in META_COLUMNS]
    if not any(name in known for name in header):
        raise DataFileError(name, f"line {line}: no column names an indicator of {framework.id} "
                            "(write one column per indicator id, or 'indicator' and 'value')")
    return "wide", problems


def _row_entries(layout: str, row: dict[str, Any], framework: Framework) -> Iterable[
        tuple[str, Any]]:
    """Yield (indicator id, cell) pairs a row carries."""
    if layout == "long":
        yield _text(row.get("indicator")).lower(), row.get("value")
        return
    for indicator in framework.indicators:
        cell = row.get(indicator.id)
        if _text(cell) != "":
            yield indicator.id, cell


def _observation(options: ReadOptions, number: int, row: dict[str, Any], indicator_id: str,
                 cell: Any) -> Observation:
    framework = options.framework
    level, code = normalize_unit(_text(row.get("code")))
    indicator = framework.indicators[framework.index_of(indicator_id)]
    value = parse_value(indicator, cell)
    when = parse_time(row.get("observed_at"), code, options.default_time)
    notes = [f"{key}: {_text(row.get(key))}" for key in ("evidence", "note")
             if _text(row.get(key))]
    return Observation(framework.id, indicator.id, level, code, value, when, options.source,
                       f"{options.evidence}#row={number}", options.demo,
                       "; ".join(notes) or None)


def read_observations(path: Path, content: bytes, options: ReadOptions,
                      known_units: Callable[[set[str]], set[str]]) -> ParsedFile:
    """Return the valid observations of a file and a problem for every row refused.

    `known_units` receives every unit code in the file and returns those the store knows.
    """
    unreadable: list[RowProblem] = []
    rows = _cells(path, content, unreadable)
    line, header = _header(path.name, rows)
    layout, problems = _layout(path.name, header, options.framework, line)
    parsed = ParsedFile(problems=[RowProblem(path.name, p.line, p.message) for p in problems],
                        layout=layout)
    parsed.problems += unreadable  # those before the header; the rest are added below
    unreadable.clear()
    seen: dict[tuple[str, str, datetime], int] = {}
    for number, cells in rows:
        if number - line > MAX_ROWS:
            parsed.problems.append(RowProblem(path.name, number, f"more than {MAX_ROWS:,} "
                                              "rows: the rest was not read; split the file"))
            break
        row = dict(zip(header, cells, strict=False))
        if not any(_text(c) for c in cells):
            continue
        for indicator_id, cell in _row_entries(layout, row, options.framework):
            try:
                obs = _observation(options, number, row, indicator_id, cell)
            except (ValueError, KeyError, RegionCodeError) as exc:
                message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
                parsed.problems.append(RowProblem(path.name, number, message))
                continue
            key = (obs.unit_code, obs.indicator, obs.observed_at)
            if key in seen:
                parsed.problems.append(RowProblem(path.name, number, f"{obs.indicator} for "
                                                  f"{obs.unit_code} at that time is already "
                                                  f"on row {seen[key]}"))
                continue
            seen[key] = number
            parsed.observations.append((number, obs))
    parsed.problems += unreadable
    _drop_unknown_units(parsed, path, known_units)
    return parsed


def _drop_unknown_units(parsed: ParsedFile, path: Path,
                        known_units: Callable[[set[str]], set[str]]) -> None:
    codes = {obs.unit_code for _, obs in parsed.observations}
    known = known_units(codes) if codes else set()
    kept: list[tuple[int, Observation]] = []
    for number, obs in parsed.observations:
        if obs.unit_code in known:
            kept.append((number, obs))
            continue
        what = "TPS" if obs.unit_level is UnitLevel.TPS else obs.unit_level.value
        parsed.problems.append(RowProblem(path.name, number, f"{what} {obs.unit_code} is not in "
                                          "the workspace (unknown code, or outside the "
                                          "imported scope)"))
    parsed.observations = kept
    parsed.problems.sort(key=lambda p: p.line)
