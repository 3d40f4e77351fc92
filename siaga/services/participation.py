"""Participation use cases: import baselines and turnout, set targets, load shared figures, gaps.

Figures are stored per kind (baseline, target, turnout), election and region. A region without
its own target takes the nearest enclosing region's; without any target, its baseline is used.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, NotRequired, TypedDict

from siaga.datafiles.csv_rows import HeaderError, read_csv_rows
from siaga.datafiles.problems import RowProblem
from siaga.domain.elections import PILKADA_2024
from siaga.domain.records import JsonRecord
from siaga.domain.regions import RegionCodeError, ancestors_of, normalize_code
from siaga.participation.figures import Figure, figure_of, parse_share, votes_to_target
from siaga.services.outcome import FileImport
from siaga.store import events as db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.tx import Tx

KINDS = ("baseline", "target", "turnout")
PILPRES_2024 = "pilpres2024"
WEBFACTS = "pilkada2024/SOURCE.webfacts.txt"
# Figures quoted in the shared web-facts file, each with the exact words that must be there.
QUOTED_BASELINES = (
    ("17.06", PILPRES_2024, 0.89, 138240,
     "partisipasi pemilih sebesar 89 persen",
     "KPU Mukomuko commissioner quoted by Antara Bengkulu (bengkulu.antaranews.com/berita/"
     "350751); DPT Pemilu 2024 138,240"),
)


class ParticipationError(ValueError):
    """A participation request or file that cannot be used, with what to do about it."""


FiguresOutcome = FileImport  # the outcome every file import shares (services.outcome)


def _region(text: str, known: set[str]) -> str:
    try:
        code = normalize_code(text)
    except RegionCodeError as exc:
        raise ValueError(f"region: {exc}") from None
    if code not in known:
        raise ValueError(f"region {code} is not in the workspace")
    return code


def _row(kind: str, election: str, figure: Figure, source: str,
         raw_input_id: int | None) -> dict[str, Any]:
    return {"kind": kind, "election": election, "region_code": figure.region_code,
            "dpt": figure.dpt, "voters": figure.voters, "turnout": figure.turnout,
            "source": source[:300], "raw_input_id": raw_input_id,
            "recorded_at": datetime.now(UTC)}


def import_figures(conn: Tx, home: Path, path: Path, kind: str,
                   election: str) -> FiguresOutcome:
    """Load rows `region,turnout` or `region,dpt,voters_who_voted`; refused rows are numbered.

    Where a row has voters but no DPT, the DPT stored for that election and region is used.
    """
    if kind not in KINDS:
        raise ParticipationError(f"kind {kind!r} is unknown; expected {', '.join(KINDS)}")
    content = path.read_bytes()
    raw = save_raw_input(conn, home, content, path.name, f"participation-{kind}:{election}")
    outcome = FiguresOutcome(raw.sha256, raw.seen_before)
    if raw.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, ("region",),
                                         ("turnout", "dpt", "voters_who_voted", "source"))
    except HeaderError as exc:
        raise ParticipationError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    known = set(db.region_points(conn, [normalize_code(r["region"]) for _, r in rows
                                        if _is_code(r["region"])]))
    shared_dpt = {**db.tps_dpt_by_region(conn, "", 13), **db.tps_dpt_by_region(conn, "", 8),
                  **db.dpt_by_region(conn, "", election)}
    good = []
    for line, row in rows:
        try:
            region = _region(row["region"], known)
            figure = figure_of(region, row, shared_dpt.get(region))
        except ValueError as exc:
            outcome.problems.append(RowProblem(path.name, line, str(exc)))
            continue
        source = row.get("source") or f"file:{raw.sha256}#row={line}"
        good.append(_row(kind, election, figure, source, raw.id))
    outcome.stored = db.upsert_figures(conn, good)
    return outcome


def _is_code(text: str) -> bool:
    try:
        normalize_code(text)
    except RegionCodeError:
        return False
    return True


@dataclass(frozen=True)
class TargetSet(JsonRecord):
    """A turnout target stored for a region and election, with where it came from."""

    region: str
    election: str
    target: float
    source: str


@dataclass(frozen=True)
class SharedFigure(JsonRecord):
    """One participation figure loaded from the shared data, with its source."""

    kind: str
    election: str
    region: str
    turnout: float
    source: str


def set_target(conn: Tx, region: str, election: str, *, value: str | None = None,
               above_points: float | None = None,
               baseline_election: str = PILPRES_2024) -> TargetSet:
    """Set the target of a region: a value, or the baseline plus `above_points` points."""
    try:
        code = normalize_code(region)
    except RegionCodeError as exc:
        raise ParticipationError(str(exc)) from exc
    if code not in db.region_points(conn, [code]):
        raise ParticipationError(f"region {code} is not in the workspace")
    if value is not None:
        try:
            share, source = parse_share(value), "set by hand"
        except ValueError as exc:
            raise ParticipationError(str(exc)) from exc
    else:
        base = _nearest(_by_region(db.figure_rows(conn, code, "baseline", baseline_election)),
                        code)
        if base is None:
            raise ParticipationError(f"no {baseline_election} baseline for {code} or above it: "
                                     "import one (`siaga participation import --kind baseline`)"
                                     " or give --value")
        share = min(1.0, base.turnout + (above_points or 0.0) / 100)
        source = (f"{baseline_election} baseline {base.turnout:.1%} of {base.region_code} "
                  f"+ {above_points or 0:g} points")
    db.upsert_figures(conn, [_row("target", election, Figure(code, share, None, None),
                                  source, None)])
    return TargetSet(code, election, round(share, 4), source)


def _by_region(rows: list[Any]) -> dict[str, Any]:
    return {r.region_code: r for r in rows}


def _nearest(figures: dict[str, Any], code: str) -> Any:
    for candidate in (code, *ancestors_of(code)):
        if candidate in figures:
            return figures[candidate]
    return None


def load_shared(conn: Tx, data_dir: Path, scope: str) -> list[SharedFigure]:
    """Load what the shared data says about participation in `scope`; return what and whence.

    - Pilpres 2024 baselines quoted in SOURCE.webfacts.txt (checked word for word in the file).
    - Pilkada 2024 valid votes for the regent pairs (Sirekap provisional) over the DPT, per
      region where the shared DPT exists: a lower bound of turnout (invalid ballots are missing).
    """
    loaded: list[SharedFigure] = []
    facts_path = data_dir / WEBFACTS
    facts = facts_path.read_text(encoding="utf-8") if facts_path.is_file() else ""
    rows = []
    for region, election, share, dpt, quote, cite in QUOTED_BASELINES:
        inside = not scope or region == scope or region.startswith(scope + ".") \
            or scope.startswith(region + ".")
        if inside and quote in facts and db.region_points(conn, [region]):
            figure = Figure(region, share, dpt, round(share * dpt))
            rows.append(_row("baseline", election, figure, f"{WEBFACTS}: {cite}", None))
            loaded.append(SharedFigure("baseline", election, region, share,
                                       f"{WEBFACTS}: {cite}"))
    for figure in _pilkada_valid_votes(conn, scope):
        source = ("pilkada2024 Sirekap provisional valid votes for regent pairs / shared DPT "
                  "(pkwkk_results_kecamatan_DERIVED.csv, mukomuko_dpt_pilkada2024_per_kecamatan"
                  ".csv); invalid ballots not counted, so a lower bound")
        rows.append(_row("turnout", PILKADA_2024, figure, source, None))
        loaded.append(SharedFigure("turnout", PILKADA_2024, figure.region_code,
                                   round(figure.turnout, 4), source))
    db.upsert_figures(conn, rows)
    return loaded


def _pilkada_valid_votes(conn: Tx, scope: str) -> list[Figure]:
    """Return, per region with a shared Pilkada DPT, the regent-contest votes over that DPT."""
    dpt = db.dpt_by_region(conn, scope, PILKADA_2024)
    votes = db.votes_by_region(conn, scope, PILKADA_2024, ("regent", "mayor"))
    regencies: dict[str, int] = defaultdict(int)
    for code, voters in dpt.items():
        regencies[code[:5]] += voters
    totals = {**{k: v for k, v in regencies.items() if k not in dpt}, **dpt}
    return [Figure(code, int(votes[code]) / n, n, int(votes[code]))
            for code, n in sorted(totals.items()) if code in votes and n
            and int(votes[code]) <= n]


def _target_for(code: str, targets: dict[str, Any], baselines: dict[str, Any]) -> tuple[
        float | None, str]:
    own = _nearest(targets, code)
    if own is not None:
        return float(own.turnout), f"target of {own.region_code}"
    base = _nearest(baselines, code)
    if base is not None:
        return float(base.turnout), f"no target set: {base.election} baseline of " \
                                    f"{base.region_code}"
    return None, "no target and no baseline"


class GapRow(TypedDict):
    """One unit of the gap table (a JSON record of the API and the CSV export)."""

    code: str
    name: str
    dpt: int | None
    voted: int | None
    turnout: float | None
    target: float | None
    gap_points: float | None
    to_target: int | None
    target_basis: str
    source: str | None
    rank: NotRequired[int]


class GapSummary(TypedDict):
    """The gap table's total over the scope and how it was made (a JSON record)."""

    scope: str
    election: str
    level: str
    units: int
    units_with_turnout: int
    dpt: int | None
    voted: int | None
    turnout: float | None
    target: float | None
    target_basis: str
    gap_points: float | None
    to_target: int | None
    outreach: list[str]


class GapTable(NamedTuple):
    """The gap rows, worst first, and their total (unpacks as `rows, meta`)."""

    rows: list[GapRow]
    meta: GapSummary


def gap_table(conn: Tx, scope: str, election: str = PILKADA_2024,
              level: str = "district", *,
              baseline_election: str = PILPRES_2024) -> GapTable:
    """Return units of `level` in `scope` with turnout, target and gap, worst first, and a total.

    The gap is target minus turnout in percentage points; `to_target` is how many more voters
    would have had to vote. DPT comes from the turnout import, else the stored DPT.
    """
    units = db.child_regions(conn, scope, level)
    if not units:
        raise ParticipationError(f"no {level} regions in {scope or 'the workspace'}")
    turnout = _by_region(db.figure_rows(conn, scope, "turnout", election))
    targets = _by_region(db.figure_rows(conn, scope, "target", election))
    baselines = _by_region(db.figure_rows(conn, scope, "baseline", baseline_election))
    shared_dpt = {**db.tps_dpt_by_region(conn, scope, 13 if level == "village" else 8),
                  **db.dpt_by_region(conn, scope, election)}
    rows: list[GapRow] = []
    for code, name in units.items():
        found = turnout.get(code)
        target, basis = _target_for(code, targets, baselines)
        dpt = found.dpt if found is not None and found.dpt else shared_dpt.get(code)
        share = float(found.turnout) if found is not None else None
        voted = found.voters if found is not None else None
        rows.append({"code": code, "name": name, "dpt": dpt, "voted": voted,
                     "turnout": None if share is None else round(share, 4),
                     "target": None if target is None else round(target, 4),
                     "gap_points": None if share is None or target is None
                     else round(100 * (target - share), 2),
                     "to_target": None if target is None else votes_to_target(target, dpt, voted),
                     "target_basis": basis,
                     "source": found.source if found is not None else None})
    # Worst gap first; without a target, lowest turnout first; units without figures last.
    rows.sort(key=lambda r: (r["turnout"] is None, r["gap_points"] is None,
                             -float(r["gap_points"] or 0), float(r["turnout"] or 0), r["code"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return GapTable(rows, _gap_meta(rows, scope, election, level, targets, baselines))


def _gap_meta(rows: list[GapRow], scope: str, election: str, level: str,
              targets: dict[str, Any], baselines: dict[str, Any]) -> GapSummary:
    counted = [r for r in rows if r["voted"] is not None and r["dpt"]]
    dpt = sum(r["dpt"] or 0 for r in counted)
    voted = sum(r["voted"] or 0 for r in counted)
    target, basis = _target_for(scope, targets, baselines) if scope else (None, "")
    total = voted / dpt if dpt else None
    return {"scope": scope or "national", "election": election, "level": level,
            "units": len(rows), "units_with_turnout": len(counted), "dpt": dpt or None,
            "voted": voted or None, "turnout": None if total is None else round(total, 4),
            "target": target, "target_basis": basis,
            "gap_points": None if total is None or target is None
            else round(100 * (target - total), 2),
            "to_target": None if target is None or not dpt
            else votes_to_target(target, dpt, voted),
            "outreach": [r["code"] for r in rows if (r["gap_points"] or 0) > 0][:10]}


def import_dpt(conn: Tx, home: Path, path: Path, election: str) -> FiguresOutcome:
    """Load DPT per region or TPS (`unit,dpt`): regions go to voter_counts, TPS to the TPS."""
    content = path.read_bytes()
    raw = save_raw_input(conn, home, content, path.name, f"dpt:{election}")
    outcome = FiguresOutcome(raw.sha256, raw.seen_before)
    if raw.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, ("unit", "dpt"))
    except HeaderError as exc:
        raise ParticipationError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    units = [r["unit"].replace(".", "") for _, r in rows]
    tps_known = set(db.tps_dpt_codes(conn, [u for u in units if len(u) == 13]))
    regions_known = set(db.region_points(conn, [normalize_code(r["unit"]) for _, r in rows
                                                if _is_code(r["unit"])]))
    by_region, by_tps = [], []
    for line, row in rows:
        unit, text = row["unit"].replace(".", ""), row["dpt"].replace(".", "").replace(",", "")
        if not text.isdigit():
            outcome.problems.append(RowProblem(path.name, line, f"dpt {row['dpt']!r} is not a "
                                               "whole number"))
        elif len(unit) == 13 and unit in tps_known:
            by_tps.append((unit, int(text)))
        elif _is_code(row["unit"]) and normalize_code(row["unit"]) in regions_known:
            by_region.append((normalize_code(row["unit"]), int(text),
                              f"file:{raw.sha256}#row={line}"))
        else:
            outcome.problems.append(RowProblem(path.name, line, f"unit {row['unit']!r} is "
                                               "neither a TPS nor a region of the workspace"))
    outcome.stored = db.set_region_dpt(conn, election, by_region) + db.set_tps_dpt(conn, by_tps)
    return outcome
