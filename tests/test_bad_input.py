"""Bad input gets a precise message naming file and line, and the rest of the batch loads."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import func, select

from siaga.datafiles.problems import DataFileError
from siaga.domain.scope import Scope
from siaga.elections.pilkada import PAIRS_FILE
from siaga.elections.polling_stations import TPS_FILE
from siaga.importers.base import ImportContext
from siaga.importers.elections import import_pilkada, import_polling_stations
from siaga.importers.regions import import_regions, import_village_centroids
from siaga.store import Store, open_store
from siaga.store.schema import candidate_pairs, polling_stations, regions
from tests.conftest import replace_file


def _count(store: Store, table: object, *where: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def _tps_lines(data_dir: Path, prefix: str) -> list[str]:
    with gzip.open(data_dir / TPS_FILE, "rt", encoding="utf-8") as handle:
        header = next(handle)
        return [header] + [line for line in handle if line.startswith(prefix)]


def test_truncated_code_list_loads_what_it_can(mirror: Path, tmp_path: Path) -> None:
    original = (mirror / "regions/wilayah.sql").read_bytes()
    cut = original[: original.index(b"('15.02.01.2001'") + 20]  # breaks off inside a row
    path = replace_file(mirror, "regions/wilayah.sql", cut)
    store = open_store(f"sqlite:///{tmp_path / 'cut.db'}")
    report = import_regions(ImportContext(store, mirror))
    assert any("differs from the manifest" in w and "wilayah.sql" in w for w in report.warnings)
    problem = next(p for p in report.problems if p.file == str(path))
    line_of_cut = cut.count(b"\n") + 1
    assert problem.line == line_of_cut and "never closes" in problem.message
    assert _count(store, regions, regions.c.code == "15.01") == 1  # before the break: loaded
    assert _count(store, regions, regions.c.code == "15.02.01.2001") == 0


def test_bad_tps_rows_are_rejected_with_line_numbers(
    mirror: Path, data_dir: Path, regions_store: Store
) -> None:
    lines = _tps_lines(data_dir, "1502")
    lines.insert(3, "15020120019X1,TPS 001,1,5,1502012001,x\n")  # line 4: bad TPS code
    lines.insert(5, "1502012001001\n")  # line 6: too few columns
    lines.insert(7, "1502999999001,TPS 001,7,5,1502999999,x\n")  # line 8: village in no list
    body = gzip.compress("".join(lines).encode())
    path = replace_file(mirror, TPS_FILE, body)
    context = ImportContext(regions_store, mirror, Scope.parse("15.02"))
    import_village_centroids(context)
    report = import_polling_stations(context)
    messages = {p.line: p.message for p in report.problems}
    assert report.rejected == 2 and all(p.file == str(path) for p in report.problems)
    assert "expected 13 digits" in messages[4] and "expected at least 5 columns" in messages[6]
    assert any("15.02.99.9999" in w for w in report.warnings)  # kept, without region or place
    assert report.tables["polling_stations"].inserted == 1_203


def test_truncated_tps_file_keeps_rows_before_the_damage(
    mirror: Path, data_dir: Path, regions_store: Store
) -> None:
    body = gzip.compress("".join(_tps_lines(data_dir, "1706")).encode())
    replace_file(mirror, TPS_FILE, body[: len(body) // 2])
    report = import_polling_stations(ImportContext(regions_store, mirror, Scope.parse("17.06")))
    assert report.rejected == 1 and "breaks off" in report.problems[0].message
    stored = _count(regions_store, polling_stations)
    assert 0 < stored < 585 and report.problems[0].line > stored


def test_pairs_with_unknown_regions_or_bad_numbers_are_rejected(
    mirror: Path, data_dir: Path, regions_store: Store
) -> None:
    text = (data_dir / PAIRS_FILE).read_text(encoding="utf-8").splitlines(keepends=True)
    text.insert(1, 'pkwkk_bupati_walikota,1599,1,1,"A - B",#fff,2024-11-21\n')  # line 2
    text.insert(2, 'pkwkk_bupati_walikota,1502,1,satu,"A - B",#fff,2024-11-21\n')  # line 3
    path = replace_file(mirror, PAIRS_FILE, "".join(text).encode())
    report = import_pilkada(ImportContext(regions_store, mirror, Scope.parse("15.02")))
    messages = {(p.file, p.line): p.message for p in report.problems}
    assert (
        "15.99" in messages[(str(path), 2)] and "not in the code list" in messages[(str(path), 2)]
    )
    assert "expected a whole number" in messages[(str(path), 3)]
    assert _count(regions_store, candidate_pairs) == 4  # Merangin's 2 + Jambi governor's 2


def test_missing_file_names_it_and_what_needs_it(mirror: Path, regions_store: Store) -> None:
    (mirror / TPS_FILE).unlink()
    with pytest.raises(DataFileError) as caught:
        import_polling_stations(ImportContext(regions_store, mirror, Scope.parse("15.02")))
    message = str(caught.value)
    assert TPS_FILE in message and "missing" in message and "polling stations" in message
