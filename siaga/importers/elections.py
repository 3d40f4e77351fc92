"""Import polling stations and the Pilkada 2024 contests, pairs, results and DPT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from siaga.datafiles.problems import RowProblem
from siaga.domain.elections import (
    OFFICE_TITLES,
    PEMILU_2024,
    PILKADA_2024,
    CandidatePair,
    ContestResult,
    LocationSource,
    contest_id,
)
from siaga.domain.regions import undotted
from siaga.elections.pilkada import (
    DISTRICT_RESULTS_FILE,
    MUKOMUKO_DPT_FILE,
    PAIRS_FILE,
    REGENCY_RESULTS_FILE,
    read_district_results,
    read_mukomuko_dpt,
    read_pairs,
    read_regency_results,
)
from siaga.elections.polling_stations import read_polling_stations
from siaga.importers.base import (
    ImportContext,
    ImportReport,
    dataset_files,
    digest_of,
    record_import,
)
from siaga.regions.codelist import ELECTION_VINTAGE
from siaga.store import reference
from siaga.store.reference import Row
from siaga.store.tx import Tx, transaction

TPS_COLUMNS = (
    "election",
    "code",
    "number",
    "name",
    "village_code",
    "region_code",
    "kpu_id",
    "overseas",
    "lat",
    "lng",
    "location_source",
)


def current_codes(conn: Tx) -> dict[str, str]:
    """Return a map from any known code (2025 or 2023 vintage) to its 2025 code."""
    return reference.current_codes(conn, ELECTION_VINTAGE)


def _centroids(conn: Tx, ctx: ImportContext) -> dict[str, tuple[float, float]]:
    return reference.village_centroids(conn, ctx.scope)


def _imported_locations(conn: Tx) -> dict[str, tuple[float, float]]:
    # Coordinates an operator imported must survive a re-import of the KPU list.
    return reference.imported_locations(conn, LocationSource.IMPORTED.value)


def import_polling_stations(ctx: ImportContext) -> ImportReport:
    """Import the Pemilu 2024 TPS of the scope, placed at their village centroid."""
    report = ImportReport("polling-stations", str(ctx.scope))
    path, *_ = dataset_files(ctx, "polling-stations", report)
    prefixes = None if ctx.scope.national else [undotted(c) for c in ctx.scope.codes]
    task = ctx.progress.task("Reading polling stations", total=path.stat().st_size)
    stations = list(report.take(read_polling_stations(path, prefixes, task.advance)))
    task.close()
    with transaction(ctx.store) as conn:
        codes, points = current_codes(conn), _centroids(conn, ctx)
        kept = _imported_locations(conn)
        rows: list[Row] = []
        unknown: set[str] = set()
        for tps in stations:
            region = codes.get(tps.village_code)
            if region is None and not tps.overseas:
                unknown.add(tps.village_code)
            lat_lng, source = kept.get(tps.code), LocationSource.IMPORTED
            if lat_lng is None:
                lat_lng = points.get(region) if region else None
                source = LocationSource.VILLAGE_CENTROID if lat_lng else LocationSource.UNKNOWN
            lat, lng = lat_lng or (None, None)
            rows.append(
                (
                    PEMILU_2024,
                    tps.code,
                    tps.number,
                    tps.name,
                    tps.village_code,
                    region,
                    tps.kpu_id,
                    tps.overseas,
                    lat,
                    lng,
                    source.value,
                )
            )
        store_task = ctx.progress.task("Storing polling stations", total=len(rows))
        report.tables["polling_stations"] = reference.sync_polling_stations(
            conn, TPS_COLUMNS, rows, PEMILU_2024, ctx.scope, on_batch=store_task.advance
        )
        store_task.close()
        record_import(conn, report, digest_of([path]))
    if unknown:
        report.warnings.append(
            f"{len(unknown):,} villages of the TPS list are in neither code list (e.g. "
            f"{', '.join(sorted(unknown)[:3])}); their TPS are kept without a region or location"
        )
    return report


def _contest_name(office_title: str, region_name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        region_name = region_name.removeprefix(prefix)
    return f"Pemilihan {office_title} {region_name} 2024"


def _contests_and_pairs(
    ctx: ImportContext,
    conn: Tx,
    codes: dict[str, str],
    pairs: Iterable[CandidatePair],
    file: str,
    report: ImportReport,
) -> tuple[list[Row], list[Row], dict[str, str]]:
    names = reference.region_name_map(conn)
    contest_rows: dict[str, Row] = {}
    pair_rows: list[Row] = []
    regency_contest: dict[str, str] = {}
    for pair in pairs:
        region = codes.get(pair.region_code)
        if region is None:
            report.reject(
                RowProblem(
                    file,
                    pair.line,
                    f"region {pair.region_code} of pair {pair.number} "
                    f"({pair.names}) is not in the code list",
                )
            )
            continue
        if not ctx.scope.touches(region):
            continue
        cid = contest_id(PILKADA_2024, pair.office, region)
        contest_rows[cid] = (
            cid,
            PILKADA_2024,
            pair.office.value,
            region,
            _contest_name(OFFICE_TITLES[pair.office], names[region]),
        )
        pair_rows.append((cid, pair.number, pair.names, pair.kpu_id, pair.color))
        if pair.office.value != "governor":
            regency_contest[pair.region_code] = cid
    return list(contest_rows.values()), pair_rows, regency_contest


def _result_rows(
    ctx: ImportContext,
    results: Iterable[ContestResult],
    regency_contest: dict[str, str],
    codes: dict[str, str],
    file: str,
    report: ImportReport,
) -> list[Row]:
    rows: list[Row] = []
    for r in results:
        if not ctx.scope.touches(codes.get(r.contest_region, r.contest_region)):
            continue
        cid, area = regency_contest.get(r.contest_region), codes.get(r.area_code)
        if cid is None:
            report.reject(
                RowProblem(
                    file,
                    r.line,
                    f"regency {r.contest_region}: no contest in the "
                    "pairs file; expected a regent/mayor contest there",
                )
            )
        elif area is None:
            report.reject(RowProblem(file, r.line, f"region {r.area_code} is not in the code list"))
        elif ctx.scope.contains(area):
            rows.append(
                (
                    cid,
                    area,
                    r.number,
                    r.votes,
                    r.tps_total,
                    r.tps_counted,
                    r.progress_percent,
                    r.counted_at,
                    r.status,
                )
            )
    return rows


def _dpt_rows(
    ctx: ImportContext, codes: dict[str, str], path: Path, report: ImportReport
) -> list[Row]:
    rows: list[Row] = []
    for count in report.take(read_mukomuko_dpt(path)):
        region = codes.get(count.region_code)
        if region is None:
            report.reject(
                RowProblem(
                    str(path), count.line, f"region {count.region_code} is not in the code list"
                )
            )
        elif ctx.scope.contains(region):
            rows.append((count.election, region, count.voters, count.source))
    return rows


RESULT_COLUMNS = (
    "contest_id",
    "region_code",
    "number",
    "votes",
    "tps_total",
    "tps_counted",
    "progress_percent",
    "counted_at",
    "status",
)


def import_pilkada(ctx: ImportContext) -> ImportReport:
    """Import the Pilkada 2024 contests touching the scope, their pairs, results and DPT."""
    report = ImportReport("pilkada2024", str(ctx.scope))
    paths = dataset_files(ctx, "pilkada2024", report)  # checks presence and checksums

    def path_of(relative: str) -> Path:
        return ctx.data_dir / relative

    with transaction(ctx.store) as conn:
        codes = current_codes(conn)
        pairs = list(report.take(read_pairs(path_of(PAIRS_FILE))))
        contest_rows, pair_rows, regency_contest = _contests_and_pairs(
            ctx, conn, codes, pairs, str(path_of(PAIRS_FILE)), report
        )
        report.tables["contests"] = reference.sync(
            conn,
            "contests",
            ("id", "election", "office", "region_code", "name"),
            ("id",),
            contest_rows,
        )
        report.tables["candidate_pairs"] = reference.sync(
            conn,
            "candidate_pairs",
            ("contest_id", "number", "names", "kpu_id", "color"),
            ("contest_id", "number"),
            pair_rows,
        )
        results = []
        for name, reader in (
            (REGENCY_RESULTS_FILE, read_regency_results),
            (DISTRICT_RESULTS_FILE, read_district_results),
        ):
            found = report.take(reader(path_of(name)))
            results += _result_rows(ctx, found, regency_contest, codes, str(path_of(name)), report)
        report.tables["contest_results"] = reference.sync(
            conn,
            "contest_results",
            RESULT_COLUMNS,
            ("contest_id", "region_code", "number"),
            results,
        )
        dpt = _dpt_rows(ctx, codes, path_of(MUKOMUKO_DPT_FILE), report)
        report.tables["voter_counts"] = reference.sync(
            conn,
            "voter_counts",
            ("election", "region_code", "voters", "source"),
            ("election", "region_code"),
            dpt,
        )
        record_import(conn, report, digest_of(paths))
    return report
