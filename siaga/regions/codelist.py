"""The official Kemendagri code lists: regions, the 2023 -> 2025 code mapping, population, area."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from siaga.datafiles.problems import RowProblem
from siaga.datafiles.sqldump import DumpRow, read_dump
from siaga.domain.regions import (
    Level,
    Region,
    RegionCodeError,
    is_city,
    is_kelurahan,
    level_of,
    normalize_code,
    parent_of,
)

CURRENT_VINTAGE = "2025"
ELECTION_VINTAGE = "2023"
CODE_LIST_FILES = {
    CURRENT_VINTAGE: "regions/wilayah.sql",
    ELECTION_VINTAGE: "regions/wilayah_2023.sql",
}


@dataclass(frozen=True, slots=True)
class RegionFacts:
    """Population and area of a province or regency (either may be missing)."""

    code: str
    population: int | None = None
    population_male: int | None = None
    population_female: int | None = None
    area_km2: float | None = None
    line: int = 0  # source line, for messages


@dataclass(frozen=True, slots=True)
class CodeChange:
    """How a code of an older vintage maps onto the current list."""

    vintage: str
    code: str
    name: str
    current_code: str | None
    match: str  # same_code | same_name | unmatched


def kind_of(region: Region) -> str | None:
    """Return 'kota'/'kabupaten' for a regency, 'kelurahan'/'desa' for a village, else None."""
    if region.level is Level.REGENCY:
        return "kota" if is_city(region.code) else "kabupaten"
    if region.level is Level.VILLAGE:
        return "kelurahan" if is_kelurahan(region.code) else "desa"
    return None


def _region_from_row(row: DumpRow, file: str) -> Region | RowProblem:
    if len(row.values) != 2 or not all(isinstance(v, str) for v in row.values):
        return RowProblem(
            file, row.line, f"expected (kode, nama) as two strings, got {row.values!r}"
        )
    raw_code, raw_name = str(row.values[0]), str(row.values[1])
    try:
        code = normalize_code(raw_code)
    except RegionCodeError as exc:
        return RowProblem(file, row.line, str(exc))
    name = " ".join(raw_name.split())
    if not name:
        return RowProblem(file, row.line, f"region {code} has an empty name")
    return Region(code, name, level_of(code), parent_of(code))


def read_code_list(path: Path) -> Iterator[Region | RowProblem]:
    """Yield the regions of a wilayah dump, and a RowProblem for each bad or duplicate row."""
    seen: set[str] = set()
    for item in read_dump(path):
        if isinstance(item, RowProblem):
            yield item
            continue
        region = _region_from_row(item, str(path))
        if isinstance(region, Region) and region.code in seen:
            region = RowProblem(str(path), item.line, f"region {region.code} appears twice")
        if isinstance(region, Region):
            seen.add(region.code)
        yield region


def split_orphans(regions: list[Region], file: str) -> tuple[list[Region], list[RowProblem]]:
    """Return the regions whose parent is in the list, and a problem for each one whose is not."""
    codes = {r.code for r in regions}
    kept, problems = [], []
    for region in regions:
        if region.parent is None or region.parent in codes:
            kept.append(region)
        else:
            problems.append(
                RowProblem(
                    file,
                    0,
                    f"region {region.code} ({region.name}): "
                    f"parent {region.parent} is not in the list",
                )
            )
    return kept, problems


def _int(value: object) -> int | None:
    return None if value is None or value == "" else int(str(value))


def _facts_code(raw: object) -> str:
    # The area dump wrote some codes as numbers and lost trailing zeros: '11.1' is regency
    # 11.10, and '31.0' is province 31 (regency numbers start at 01, so .00 cannot be one).
    text = str(raw).strip()
    if re.fullmatch(r"\d{2}\.0", text):
        text = text[:2]
    elif re.fullmatch(r"\d{2}\.\d", text):
        text += "0"
    return normalize_code(text)


def read_population(path: Path) -> Iterator[RegionFacts | RowProblem]:
    """Yield population facts per province/regency (the national '0' row is skipped)."""
    for item in read_dump(path):
        if isinstance(item, RowProblem):
            yield item
            continue
        try:
            code_raw, _name, male, female, total = item.values
            if str(code_raw) == "0":
                continue
            yield RegionFacts(
                _facts_code(code_raw), _int(total), _int(male), _int(female), line=item.line
            )
        except (ValueError, RegionCodeError) as exc:
            yield RowProblem(
                str(path), item.line, f"expected (kode, nama, pria, wanita, total): {exc}"
            )


def read_area(path: Path) -> Iterator[RegionFacts | RowProblem]:
    """Yield area facts (km2) per province/regency."""
    for item in read_dump(path):
        if isinstance(item, RowProblem):
            yield item
            continue
        try:
            code_raw, _name, area = item.values
            yield RegionFacts(_facts_code(code_raw), area_km2=float(str(area)), line=item.line)
        except (ValueError, RegionCodeError) as exc:
            yield RowProblem(str(path), item.line, f"expected (kode, nama, luas): {exc}")


_PREFIX = re.compile(r"^(kab\.?|kabupaten)\s+")


def name_key(name: str) -> str:
    """Return a comparison key for a region name: lowercase letters and digits only.

    'KAB. SORONG' and 'Kabupaten Sorong' share a key; 'Kota Sorong' keeps its 'kota'.
    """
    text = _PREFIX.sub("kabupaten ", name.lower().strip())
    return re.sub(r"[^a-z0-9]", "", text)


def map_vintage(old: dict[str, str], current: dict[str, str], vintage: str) -> list[CodeChange]:
    """Return how every code of an older list maps onto the current one.

    A code still present maps to itself. A vanished code maps to a new code of the same name under
    the (mapped) same regency; regencies may move province (Papua Barat Daya split off in 2022),
    so they match on name alone among new regency codes. A name shared by two candidates stays
    unmatched rather than guessed.
    """
    mapping: dict[str, str] = {}
    new_codes = sorted(set(current) - set(old))
    for digits in (5, 8, 13):  # dotted lengths: regency, district, village
        candidates: dict[tuple[str, str], list[str]] = defaultdict(list)
        for code in new_codes:
            if len(code) == digits:
                scope = code[:5] if digits > 5 else ""
                candidates[(scope, name_key(current[code]))].append(code)
        for code in sorted(c for c in old if len(c) == digits and c not in current):
            scope = mapping.get(code[:5], code[:5]) if digits > 5 else ""
            found = candidates.get((scope, name_key(old[code])), [])
            if len(found) > 1 and digits == 13:
                district = mapping.get(code[:8], code[:8])
                found = [c for c in found if c.startswith(district + ".")] or found
            if len(found) == 1:
                mapping[code] = found[0]
    changes = []
    for code, name in sorted(old.items()):
        if code in current:
            changes.append(CodeChange(vintage, code, name, code, "same_code"))
        elif code in mapping:
            changes.append(CodeChange(vintage, code, name, mapping[code], "same_name"))
        else:
            changes.append(CodeChange(vintage, code, name, None, "unmatched"))
    return changes
