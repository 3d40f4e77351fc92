"""Read the Pilkada 2024 files: candidate pairs, provisional results, Mukomuko's DPT."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from siaga.datafiles.problems import DataFileError, RowProblem
from siaga.domain.elections import (
    PILKADA_2024,
    CandidatePair,
    ContestResult,
    Office,
    VoterCount,
)
from siaga.domain.regions import RegionCodeError, is_city, level_of, normalize_code

PAIRS_FILE = "pilkada2024/paslon_pilkada2024_DERIVED.csv"
REGENCY_RESULTS_FILE = "pilkada2024/pkwkk_results_kab_DERIVED.csv"
DISTRICT_RESULTS_FILE = "pilkada2024/pkwkk_results_kecamatan_DERIVED.csv"
MUKOMUKO_DPT_FILE = "pilkada2024/mukomuko_dpt_pilkada2024_per_kecamatan.csv"

_KINDS = {"pkwkp_gubernur": "province", "pkwkk_bupati_walikota": "regency"}
T = TypeVar("T")


class RowError(ValueError):
    """A value in a row that is not what the column expects."""


def _csv_rows(
    path: Path, required: tuple[str, ...], parse: Callable[[dict[str, str]], T]
) -> Iterator[T | RowProblem]:
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as exc:
        raise DataFileError(path, "file not found") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(path, f"line 1: header lacks {', '.join(missing)}")
        for row in reader:
            try:
                record = parse({k: (v or "").strip() for k, v in row.items() if k is not None})
                yield dataclasses.replace(record, line=reader.line_num)  # type: ignore[type-var]
            except (RowError, RegionCodeError) as exc:
                yield RowProblem(str(path), reader.line_num, str(exc))


def _int(row: dict[str, str], column: str, *, optional: bool = False) -> int | None:
    text = row.get(column, "")
    if text == "" and optional:
        return None
    if not text.lstrip("-").isdigit():
        raise RowError(f"{column} {text!r}: expected a whole number")
    return int(text)


def _req_int(row: dict[str, str], column: str) -> int:
    value = _int(row, column)
    assert value is not None
    return value


def _float(row: dict[str, str], column: str) -> float | None:
    text = row.get(column, "")
    try:
        return float(text) if text else None
    except ValueError as exc:
        raise RowError(f"{column} {text!r}: expected a number") from exc


def _code(row: dict[str, str], column: str, level: str) -> str:
    code = normalize_code(row.get(column, ""))
    if level_of(code).value != level:
        raise RowError(f"{column} {row.get(column)!r}: expected a {level} code")
    return code


def _pair(row: dict[str, str]) -> CandidatePair:
    level = _KINDS.get(row["jenis"])
    if level is None:
        raise RowError(f"jenis {row['jenis']!r}: expected one of {', '.join(_KINDS)}")
    region = _code(row, "kode_wilayah", level)
    office = (
        Office.GOVERNOR
        if level == "province"
        else (Office.MAYOR if is_city(region) else Office.REGENT)
    )
    if not row["nama"]:
        raise RowError("nama is empty: expected the names of the pair")
    return CandidatePair(
        office,
        region,
        _req_int(row, "nomor_urut"),
        row["nama"],
        _int(row, "paslon_id", optional=True),
        row.get("warna") or None,
    )


def read_pairs(path: Path) -> Iterator[CandidatePair | RowProblem]:
    """Yield every candidate pair (governor and regent/mayor contests) and row problems."""
    return _csv_rows(path, ("jenis", "kode_wilayah", "nomor_urut", "nama"), _pair)


def _result(row: dict[str, str], area_column: str, area_level: str) -> ContestResult:
    regency = _code(row, "kode_kab", "regency")
    area = _code(row, area_column, area_level)
    if not area.startswith(regency):
        raise RowError(f"{area_column} {row[area_column]} is not inside regency {row['kode_kab']}")
    return ContestResult(
        regency,
        area,
        _req_int(row, "nomor_urut"),
        _req_int(row, "suara"),
        _int(row, "tps_total", optional=True),
        _int(row, "tps_progres", optional=True),
        _float(row, "persen"),
        row.get("ts_file") or None,
        row.get("psu") or None,
    )


def read_regency_results(path: Path) -> Iterator[ContestResult | RowProblem]:
    """Yield the provisional regent/mayor results per regency."""
    return _csv_rows(
        path, ("kode_kab", "nomor_urut", "suara"), lambda row: _result(row, "kode_kab", "regency")
    )


def read_district_results(path: Path) -> Iterator[ContestResult | RowProblem]:
    """Yield the provisional regent/mayor results per district."""
    return _csv_rows(
        path,
        ("kode_kab", "kode_kec", "nomor_urut", "suara"),
        lambda row: _result(row, "kode_kec", "district"),
    )


def read_mukomuko_dpt(path: Path) -> Iterator[VoterCount | RowProblem]:
    """Yield Mukomuko's Pilkada 2024 DPT per district, as reported by KPU Mukomuko."""
    source = "KPU Mukomuko plenary DPT Pilkada 2024, as reported in the press (SOURCE.webfacts.txt)"
    return _csv_rows(
        path,
        ("kode_kec_matched_by_name", "dpt_pilkada2024"),
        lambda row: VoterCount(
            PILKADA_2024,
            _code(row, "kode_kec_matched_by_name", "district"),
            _req_int(row, "dpt_pilkada2024"),
            source,
        ),
    )
