"""Region codes, the code lists of both vintages and how old codes map onto new ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.domain.regions import (
    Level,
    RegionCodeError,
    ancestors_of,
    is_city,
    level_of,
    normalize_code,
    parent_of,
)
from siaga.domain.scope import Scope
from siaga.regions.codelist import map_vintage, name_key, read_area, read_code_list


@pytest.mark.parametrize(
    ("raw", "dotted"),
    [
        ("1502", "15.02"),
        ("15.02", "15.02"),
        (" 1502012001 ", "15.02.01.2001"),
        ("15", "15"),
        ("150201", "15.02.01"),
    ],
)
def test_normalize_code_accepts_dotted_and_undotted(raw: str, dotted: str) -> None:
    assert normalize_code(raw) == dotted


@pytest.mark.parametrize("bad", ["", "1", "150", "15.2", "15.02.01.201", "ab", "15-02"])
def test_normalize_code_rejects_malformed_codes(bad: str) -> None:
    with pytest.raises(RegionCodeError, match="not a region code"):
        normalize_code(bad)


def test_hierarchy_helpers() -> None:
    assert level_of("15.02.01.2001") is Level.VILLAGE
    assert parent_of("15.02.01") == "15.02" and parent_of("15") is None
    assert ancestors_of("15.02.01.2001") == ["15.02.01", "15.02", "15"]
    assert is_city("15.71") and not is_city("15.02")


def test_scope_parsing_and_membership() -> None:
    scope = Scope.parse("1502, 17.06, 15.02.01")
    assert scope.codes == ("15.02", "17.06")  # 15.02.01 is inside 15.02
    assert scope.contains("15.02.01.2001") and not scope.contains("15.03")
    assert scope.touches("15") and not scope.contains("15")
    assert Scope.parse("national").national and Scope.parse("national").contains("96")


def test_vintage_mapping_matches_renumbered_codes_by_name() -> None:
    old = {
        "92.01": "KAB. SORONG",
        "92.71": "KOTA SORONG",
        "92.01.01": "Makbon",
        "15.02": "KAB. MERANGIN",
        "72.06.07.2021": "Mbokitta",
        "72.01.09": "Pipikoro",
        "72.01.09.2012": "Lonebasa",
        "72.01.09.2015": "Lonebasa",
    }
    new = {
        "96.01": "Kabupaten Sorong",
        "96.71": "Kota Sorong",
        "96.01.01": "Makbon",
        "15.02": "Kabupaten Merangin",
        "72.01.09": "Pipikoro",
        "72.01.24": "Pipikoro Barat",
        "72.01.24.2001": "Lonebasa",
    }
    by_code = {c.code: c for c in map_vintage(old, new, "2023")}
    assert by_code["92.01"].current_code == "96.01" and by_code["92.01"].match == "same_name"
    assert by_code["92.71"].current_code == "96.71"  # Kota keeps apart from Kabupaten
    assert by_code["92.01.01"].current_code == "96.01.01"  # matched under the mapped regency
    assert by_code["15.02"].match == "same_code"
    assert by_code["72.06.07.2021"].match == "unmatched"
    # Two old villages share a name: the single new one is not handed to both by guess.
    assert by_code["72.01.09.2012"].current_code == "72.01.24.2001"


def test_name_key_unifies_kabupaten_spellings() -> None:
    assert name_key("KAB. MUKO MUKO") == name_key("Kabupaten Muko-Muko")
    assert name_key("Kota Sorong") != name_key("Kabupaten Sorong")


def test_real_code_lists(data_dir: Path) -> None:
    current = [r for r in read_code_list(data_dir / "regions/wilayah.sql") if hasattr(r, "level")]
    old = [r for r in read_code_list(data_dir / "regions/wilayah_2023.sql") if hasattr(r, "level")]
    assert len(current) == 91_599 and len(old) == 91_591
    changes = {
        c.code: c
        for c in map_vintage(
            {r.code: r.name for r in old}, {r.code: r.name for r in current}, "2023"
        )
    }
    assert changes["92.01"].current_code == "96.01"  # Sorong moved to Papua Barat Daya
    assert sum(c.match == "same_name" for c in changes.values()) > 1000


def test_area_dump_codes_that_lost_their_zeros(data_dir: Path) -> None:
    areas = {
        f.code: f.area_km2
        for f in read_area(data_dir / "regions/wilayah_luas.sql")
        if hasattr(f, "code")
    }
    assert areas["11.10"] == pytest.approx(1851.615)  # written '11.1' in the dump
    assert areas["31"] == pytest.approx(661.53)  # written '31.0'
    assert areas["15.02"] == pytest.approx(7540.118)
