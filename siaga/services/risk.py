"""Vulnerability-index use cases: import observations, score a scope, explain a unit, demo data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypedDict, TypeVar, cast

import numpy as np

from siaga.datafiles.problems import RowProblem
from siaga.domain.regions import RegionCodeError, level_of, normalize_code
from siaga.domain.risk import LEVEL_ORDER, Observation, ObservationSource, UnitLevel
from siaga.domain.timezones import in_range, zone_of
from siaga.risk.cache import ResultCache
from siaga.risk.engine import ObservationArrays, resolve
from siaga.risk.framework import Framework
from siaga.risk.hierarchy import Hierarchy
from siaga.risk.index import RiskIndex
from siaga.risk.observation_file import ReadOptions, read_observations
from siaga.risk.report import ScoreRow
from siaga.services.outcome import FileImport
from siaga.store import revisions
from siaga.store import risk as db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.tx import Tx

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
T = TypeVar("T")


class RiskError(ValueError):
    """A request the index cannot answer, with a message saying what to do."""


def moment_of(text: str | None, scope: str) -> datetime | None:
    """Return the instant a user's date means: a bare date is the end of that day in the zone."""
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone_of(scope or "31"))
            return end - timedelta(seconds=1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RiskError(f"{text!r} is not a date: write 2024-11-20 or 2024-11-20T18:00+07:00") \
            from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone_of(scope or "31"))
    try:
        return in_range(moment, "time")
    except ValueError as exc:
        raise RiskError(str(exc)) from None


def _epoch(moment: datetime) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC
    return int(aware.timestamp())


def check_scope(scope: str) -> str:
    """Return the dotted scope code ("" for the nation) or raise RiskError."""
    if scope in ("", "national", "nasional"):
        return ""
    try:
        return normalize_code(scope)
    except RegionCodeError as exc:
        raise RiskError(str(exc)) from exc


@dataclass
class Loaded:
    """A scored scope: the index, the observations behind it, and facts for the output."""

    index: RiskIndex
    observations: list[Any]
    hierarchy: Hierarchy
    demo: bool
    skipped: int = 0  # observations naming indicators the framework no longer has
    notes: list[str] = field(default_factory=list)


def observation_arrays(framework: Framework, hierarchy: Hierarchy,
                       rows: list[Any]) -> tuple[ObservationArrays, int]:
    """Return stored observation rows located in the hierarchy, and how many were unusable."""
    known = {ind.id: n for n, ind in enumerate(framework.indicators)}
    usable = [r for r in rows if r.indicator in known]
    level_no = {lvl.value: n for n, lvl in enumerate(LEVEL_ORDER)}
    levels = np.array([level_no[r.unit_level] for r in usable], dtype=np.int8)
    codes = np.array([r.unit_code for r in usable], dtype="U16")
    units = np.full(len(usable), -1, dtype=np.int64)
    for n, level in enumerate(LEVEL_ORDER):
        here = levels == n
        if here.any():
            units[here] = hierarchy.locate(level, codes[here])
    arrays = ObservationArrays(
        levels, units, np.array([known[r.indicator] for r in usable], dtype=np.int64),
        np.array([r.value for r in usable], dtype=np.float64),
        np.array([_epoch(r.observed_at) for r in usable], dtype=np.int64))
    return arrays, len(rows) - len(usable)


def framework_key(framework: Framework) -> tuple[str, str, str, int]:
    """Return what identifies a framework's content: id, version, file and its modification."""
    try:
        modified = framework.path.stat().st_mtime_ns
    except OSError:
        modified = 0
    return framework.id, framework.version, str(framework.path), modified


def cached(cache: ResultCache | None, conn: Tx, key: tuple[Any, ...],
           build: Callable[[], T]) -> T:
    """Return `build()`, kept in `cache` under `key` and the current revision of the index inputs.

    The revision is read before anything the build reads (see siaga.store.revisions).
    """
    if cache is None:
        return build()
    return cache.get_or_build((*key, revisions.current(conn)), build)


def load_index(conn: Tx, framework: Framework, scope: str,
               as_of: datetime | None = None, *, cache: ResultCache | None = None) -> Loaded:
    """Return the index of `framework` over the TPS of `scope`, as of a moment (default now).

    With a cache, the index as of now is built once per revision of its inputs.
    """
    if as_of is not None:
        cache = None
    return cached(cache, conn, ("index", framework_key(framework), scope),
                  lambda: _build_index(conn, framework, scope, as_of))


def _build_index(conn: Tx, framework: Framework, scope: str,
                 as_of: datetime | None) -> Loaded:
    tps = db.tps_rows(conn, scope)
    if not tps.codes:
        where = f"in {scope}" if scope else "at all"
        raise RiskError(f"no polling stations {where} in the workspace: run `siaga init "
                        f"--scope {scope or '<codes>'}` first")
    hierarchy = Hierarchy.build(np.array(tps.codes), np.array(tps.villages),
                                np.array(tps.voters, dtype=np.float64))
    rows = db.observation_rows(conn, framework.id, scope)
    arrays, skipped = observation_arrays(framework, hierarchy, rows)
    raw = resolve(hierarchy, arrays, _epoch(as_of) if as_of else None)
    loaded = Loaded(RiskIndex(framework, hierarchy, raw), rows, hierarchy,
                    demo=any(r.demo for r in rows), skipped=skipped)
    if hierarchy.weights_known < hierarchy.size:
        loaded.notes.append(f"{hierarchy.size - hierarchy.weights_known} of {hierarchy.size} "
                            "TPS have no DPT figure: they count as an average TPS")
    if skipped:
        loaded.notes.append(f"{skipped} observations name indicators {framework.id} no longer "
                            "has; they were left out")
    return loaded


ImportOutcome = FileImport  # the outcome every file import shares (services.outcome)


def import_observations(conn: Tx, home: Path, framework: Framework, path: Path,
                        *, default_time: datetime | None = None) -> ImportOutcome:
    """Store the file as received, then load its valid rows; refused rows come back numbered."""
    size = path.stat().st_size
    if size > MAX_UPLOAD_BYTES:
        raise RiskError(f"{path.name} is {size / 1e6:.1f} MB; the limit is "
                        f"{MAX_UPLOAD_BYTES // 1_000_000} MB: split it by district")
    content = path.read_bytes()
    stored = save_raw_input(conn, home, content, path.name, f"risk-observations:{framework.id}")
    outcome = ImportOutcome(stored.sha256, stored.seen_before)
    if stored.seen_before:
        return outcome
    options = ReadOptions(framework, f"file:{stored.sha256}",
                          default_time or datetime.now(UTC))
    parsed = read_observations(path, content, options, lambda c: db.known_unit_codes(conn, c))
    outcome.layout, outcome.problems = parsed.layout, parsed.problems
    skipped = db.insert_observations(conn, [o for _, o in parsed.observations], stored.id)
    outcome.inserted = len(parsed.observations) - len(skipped)
    outcome.skipped = [RowProblem(path.name, parsed.observations[i][0],
                                  f"{parsed.observations[i][1].indicator} for "
                                  f"{parsed.observations[i][1].unit_code}: {why}")
                       for i, why in skipped]
    return outcome


def record_observation(conn: Tx, framework: Framework, unit: str, indicator: str,
                       value: str | float, *, source: ObservationSource, evidence: str,
                       observed_at: datetime | None = None, note: str | None = None) -> str:
    """Record one observation (a form entry, a verified case, a signal); return what happened."""
    from siaga.domain.risk import normalize_unit
    from siaga.risk.observation_file import parse_value

    try:
        level, code = normalize_unit(unit)
        spec = framework.indicators[framework.index_of(indicator)]
        number = parse_value(spec, value)
    except (RegionCodeError, KeyError, ValueError) as exc:
        raise RiskError(exc.args[0] if isinstance(exc, KeyError) else str(exc)) from exc
    if not db.known_unit_codes(conn, [code]):
        raise RiskError(f"{code} is not in the workspace (unknown code or outside the scope "
                        "imported)")
    moment = observed_at or datetime.now(UTC)
    obs = Observation(framework.id, spec.id, level, code, number, moment, source, evidence,
                      note=note)
    skipped = db.insert_observations(conn, [obs])
    return skipped[0][1] if skipped else "recorded"


class ScoreMeta(TypedDict):
    """How a score table was made (a JSON record: the API's and the exports' `meta`)."""

    framework: str
    framework_version: str
    level: str
    scope: str
    as_of: str | None
    since: str | None
    demo: bool
    observations: int
    tps: int
    notes: list[str]
    thresholds: dict[str, Any]
    source: str


class ScoreTable(NamedTuple):
    """Score rows, highest first, and how they were made (unpacks as `rows, meta`)."""

    rows: list[ScoreRow]
    meta: ScoreMeta


class Geometry(TypedDict):
    """A GeoJSON geometry: a region's polygon or a TPS point."""

    type: str
    coordinates: list[Any]


class RiskScores(NamedTuple):
    """Score rows, how they were made, and each unit's geometry when asked for
    (unpacks as `rows, meta, shapes`)."""

    rows: list[ScoreRow]
    meta: ScoreMeta
    shapes: dict[str, Geometry]


def score_table(conn: Tx, framework: Framework, level: UnitLevel, scope: str, *,
                as_of: datetime | None = None, since: datetime | None = None,
                cache: ResultCache | None = None) -> ScoreTable:
    """Return score rows of `level` inside `scope` and a description of how they were made.

    With a cache, the table as of now is made once per revision of the index inputs; the rows
    are then shared, so callers must not change them.
    """
    if as_of is not None or since is not None:
        cache = None
    rows, meta = cached(cache, conn, ("scores", framework_key(framework), level, scope),
                        lambda: _score_table(conn, framework, level, scope, as_of, since, cache))
    moment = (as_of or datetime.now(UTC)).isoformat(timespec="seconds")
    return ScoreTable(rows, {**meta, "as_of": moment})


def _score_table(conn: Tx, framework: Framework, level: UnitLevel, scope: str,
                 as_of: datetime | None, since: datetime | None,
                 cache: ResultCache | None) -> ScoreTable:
    from siaga.risk.report import score_rows

    loaded = load_index(conn, framework, scope, as_of, cache=cache)
    baseline = load_index(conn, framework, scope, since).index if since else None
    names = db.region_names(conn, scope)
    if level is UnitLevel.TPS:
        names.update(_tps_names(conn, loaded, scope, names))
    rows = score_rows(loaded.index, level, scope, names, demo=loaded.demo, baseline=baseline)
    if level is not UnitLevel.TPS and scope and level_of(scope).value == level.value:
        rows = [r for r in rows if r["code"] == scope]
    meta: ScoreMeta = {"framework": framework.id, "framework_version": framework.version,
            "level": level.value, "scope": scope or "national",
            "as_of": None, "since": since.isoformat(timespec="seconds") if since else None,
            "demo": loaded.demo, "observations": len(loaded.observations),
            "tps": loaded.hierarchy.size, "notes": loaded.notes,
            "thresholds": framework.thresholds_for(level).model_dump(),
            "source": framework.source}
    return ScoreTable(rows, meta)


def _tps_names(conn: Tx, loaded: Loaded, scope: str,
               names: dict[str, str]) -> dict[str, str]:
    from siaga.risk.report import units_within

    units = units_within(loaded.index, UnitLevel.TPS, scope)
    codes = [str(c) for c in loaded.hierarchy.units[UnitLevel.TPS][units]]
    details = db.tps_details(conn, codes)
    return {c: f"{d.name}, {names.get(d.region_code, d.region_code)}"
            for c, d in details.items()}


def geometries_for(conn: Tx, rows: Sequence[Mapping[str, Any]],
                   level: UnitLevel) -> dict[str, Geometry]:
    """Return code → GeoJSON geometry: region polygons, or TPS points where TPS are scored."""
    import json

    codes = [r["code"] for r in rows]
    if level is not UnitLevel.TPS:
        return {c: cast(Geometry, json.loads(g)) for c, g in db.geometries(conn, codes).items()}
    return {c: {"type": "Point", "coordinates": [d.lng, d.lat]}
            for c, d in db.tps_details(conn, codes).items() if d.lat is not None}


def template_units(conn: Tx, framework: Framework, scope: str,
                   level: UnitLevel | None = None) -> list[tuple[str, str]]:
    """Return (code, name) of every unit a template for `scope` should list."""
    level = level or framework.template_level
    loaded_hierarchy = load_index(conn, framework, scope).index
    from siaga.risk.report import units_within

    names = db.region_names(conn, scope)
    units = units_within(loaded_hierarchy, level, scope)
    codes = [str(c) for c in loaded_hierarchy.hierarchy.units[level][units]]
    if level is UnitLevel.TPS:
        details = db.tps_details(conn, codes)
        return [(c, f"{details[c].name}, {names.get(details[c].region_code, '')}")
                for c in codes]
    return [(c, names.get(c, "")) for c in codes]


def _scope_for(conn: Tx, level: UnitLevel, code: str) -> str:
    """Return the smallest scope that holds a unit and every TPS under it."""
    if level is UnitLevel.TPS:
        found = db.tps_details(conn, [code]).get(code)
        if found is None or not found.region_code:
            raise RiskError(f"TPS {code} is not in the workspace")
        return str(found.region_code)
    return code


def _applies(row: Any, level: UnitLevel, code: str, village_of_tps: dict[str, str],
             unit_village: str | None) -> bool:
    """Return whether a stored observation bears on the unit (at it, above it or below it)."""
    if row.unit_level == UnitLevel.TPS.value:
        if level is UnitLevel.TPS:
            return bool(row.unit_code == code)
        village = village_of_tps.get(row.unit_code, "")
        return village == code or village.startswith(code + ".")
    target = unit_village if level is UnitLevel.TPS else code
    assert target is not None
    return bool(row.unit_code == target or target.startswith(row.unit_code + ".")
                or row.unit_code.startswith(target + "."))


@dataclass(frozen=True)
class RiskEvidence:
    """One stored observation behind a driver of a score."""

    unit: str
    value: Any
    observed_at: str
    source: str
    evidence: str | None
    note: str | None
    demo: bool


@dataclass(frozen=True)
class RiskDriver:
    """One indicator that drives a score: its weight, exposure, points and latest evidence."""

    indicator: str
    name: str
    name_en: str
    group: str
    weight_percent: float
    exposure_percent: float
    tps_affected: int
    points: float
    lowered_by: float
    mitigation: str
    mitigation_en: str
    evidence_count: int
    evidence: list[RiskEvidence]


@dataclass(frozen=True)
class LowerClass:
    """What would move a unit one class down: the indicators to resolve and the new score."""

    resolve: list[str]
    score_after: float
    class_after: str


@dataclass(frozen=True)
class RiskExplanation:
    """Why a unit scores what it does; `klass` is the class, named "class" in its dict."""

    code: str
    name: str
    level: str
    framework: str
    score: float
    klass: str
    indicators_occurred: int
    tps_rawan: int
    tps: int
    thresholds: dict[str, Any]
    demo: bool
    drivers: list[RiskDriver]
    to_lower_class: LowerClass | None
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Return the explanation as a JSON-ready dict, keys in the order the API has sent."""
        return {("class" if k == "klass" else k): v for k, v in asdict(self).items()}


def explain(conn: Tx, framework: Framework, unit: str,
            as_of: datetime | None = None, *, cache: ResultCache | None = None
            ) -> RiskExplanation:
    """Return why a unit scores what it does: drivers, weights, evidence, what would lower it."""
    from siaga.domain.risk import normalize_unit
    from siaga.risk.engine import CLASS_NAMES
    from siaga.risk.report import drivers_of, path_to_lower_class

    try:
        level, code = normalize_unit(unit)
    except RegionCodeError as exc:
        raise RiskError(str(exc)) from exc
    scope = _scope_for(conn, level, code)
    loaded = load_index(conn, framework, scope, as_of, cache=cache)
    index, hierarchy = loaded.index, loaded.hierarchy
    found = hierarchy.locate(level, np.array([code]))[0]
    if found < 0:
        raise RiskError(f"{code} has no polling stations in the workspace, so it has no score")
    scores = index.levels[level]
    score = float(scores.score[found])
    drivers = drivers_of(index, level, int(found))
    tps_codes = hierarchy.units[UnitLevel.TPS]
    village_of_tps = dict(zip(tps_codes.tolist(), hierarchy.units[UnitLevel.VILLAGE][
        hierarchy.leaf_unit[UnitLevel.VILLAGE]].tolist(), strict=True))
    cutoff = _epoch(as_of) if as_of else None
    relevant = [r for r in loaded.observations
                if (cutoff is None or _epoch(r.observed_at) <= cutoff)
                and _applies(r, level, code, village_of_tps, village_of_tps.get(code))]
    bounds = framework.thresholds_for(level)
    lower = path_to_lower_class(score, drivers, (bounds.medium, bounds.high))
    names = db.region_names(conn, scope)
    return RiskExplanation(
        code=code, name=names.get(code, ""), level=level.value, framework=framework.id,
        score=round(score, 2), klass=CLASS_NAMES[int(scores.klass[found])],
        indicators_occurred=int(scores.occurred[found]), tps_rawan=int(scores.rawan[found]),
        tps=hierarchy.leaf_range(level, int(found))[1]
        - hierarchy.leaf_range(level, int(found))[0],
        thresholds=bounds.model_dump(), demo=loaded.demo,
        drivers=[_driver_view(d, [r for r in relevant if r.indicator == d.indicator])
                 for d in drivers],
        to_lower_class=None if lower is None else LowerClass(
            resolve=lower[0], score_after=round(lower[1], 2),
            class_after=CLASS_NAMES[max(int(scores.klass[found]) - 1, 0)]),
        notes=loaded.notes)


def _driver_view(driver: Any, rows: list[Any]) -> RiskDriver:
    rows = sorted(rows, key=lambda r: _epoch(r.observed_at), reverse=True)
    return RiskDriver(
        indicator=driver.indicator, name=driver.name_id, name_en=driver.name_en,
        group=" / ".join(driver.group_path), weight_percent=round(100 * driver.weight, 3),
        exposure_percent=round(100 * driver.exposure, 1), tps_affected=driver.tps_affected,
        points=round(driver.points, 2), lowered_by=round(driver.points, 2),
        mitigation=driver.mitigation_id, mitigation_en=driver.mitigation_en,
        evidence_count=len(rows),
        evidence=[RiskEvidence(unit=r.unit_code, value=r.value, observed_at=_iso(r.observed_at),
                               source=r.source, evidence=r.evidence, note=r.note, demo=r.demo)
                  for r in rows[:10]])


def _iso(moment: datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.isoformat(timespec="seconds")


def load_demo(conn: Tx, frameworks: list[Framework], scope: str) -> dict[str, int]:
    """Add the demo observations of each framework for `scope`; return how many were new."""
    from siaga.risk.demo import demo_observations

    added: dict[str, int] = {}
    for framework in frameworks:
        hierarchy = load_index(conn, framework, scope).hierarchy
        made = demo_observations(framework, hierarchy, scope)
        skipped = db.insert_observations(conn, made)
        added[framework.id] = len(made) - len(skipped)
    return added
