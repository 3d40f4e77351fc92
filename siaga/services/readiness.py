"""Security and medical readiness: resources and officer health imports, the district board."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from siaga.datafiles.csv_rows import HeaderError, read_csv_rows
from siaga.datafiles.problems import RowProblem
from siaga.events.rules import ReadinessRules
from siaga.readiness.gaps import ReadinessRow, board_row, health_summary, peak_needs
from siaga.readiness.rows import district_of, health_row, resource_kind, whole_number
from siaga.services.outcome import FileImport
from siaga.store import events as db
from siaga.store.raw_inputs import save_raw_input
from siaga.store.tx import Tx

RESOURCE_COLUMNS = ("region", "kind", "name", "quantity")
HEALTH_COLUMNS = ("unit", "officers", "screened")
HEALTH_OPTIONAL = ("ill", "died", "reported_at")


class ReadinessError(ValueError):
    """A readiness request or file that cannot be used, with what to do about it."""


FileOutcome = FileImport  # the outcome every file import shares (services.outcome)


def _stored(conn: Tx, home: Path, path: Path, kind: str) -> tuple[bytes, FileOutcome,
                                                                          int]:
    content = path.read_bytes()
    raw = save_raw_input(conn, home, content, path.name, kind)
    return content, FileOutcome(raw.sha256, raw.seen_before), raw.id


def import_resources(conn: Tx, home: Path, path: Path) -> FileOutcome:
    """Load district resources (region,kind,name,quantity[,source]); refused rows are numbered."""
    content, outcome, raw_id = _stored(conn, home, path, "readiness-resources")
    if outcome.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, RESOURCE_COLUMNS, ("source",))
    except HeaderError as exc:
        raise ReadinessError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    known = set(db.child_regions(conn, "", "district"))
    good = []
    now = datetime.now(UTC)
    for line, row in rows:
        try:
            good.append({"region_code": district_of(row["region"], known),
                         "kind": resource_kind(row["kind"]).value, "name": row["name"][:200] or "-",
                         "quantity": whole_number(row, "quantity"),
                         "source": (row.get("source") or f"file:{outcome.sha256}#row={line}")
                         [:300], "raw_input_id": raw_id, "recorded_at": now})
        except ValueError as exc:
            outcome.problems.append(RowProblem(path.name, line, str(exc)))
    outcome.stored = db.replace_resources(conn, good)
    return outcome


def import_health(conn: Tx, home: Path, path: Path) -> FileOutcome:
    """Load polling-officer health (unit,officers,screened[,ill,died,reported_at]) per TPS."""
    content, outcome, raw_id = _stored(conn, home, path, "officer-health")
    if outcome.seen_before:
        return outcome
    try:
        rows, unreadable = read_csv_rows(content, path.name, HEALTH_COLUMNS, HEALTH_OPTIONAL)
    except HeaderError as exc:
        raise ReadinessError(str(exc)) from exc
    outcome.problems.extend(unreadable)
    tps = db.tps_regions(conn, [r["unit"].replace(".", "") for _, r in rows])
    known = set(db.child_regions(conn, "", "district"))
    good = []
    now = datetime.now(UTC)
    for line, row in rows:
        try:
            made = health_row(row, tps, known, now)
        except ValueError as exc:
            outcome.problems.append(RowProblem(path.name, line, str(exc)))
            continue
        good.append({**made, "source": f"file:{outcome.sha256}#row={line}",
                     "raw_input_id": raw_id})
    outcome.stored = db.insert_health(conn, good)
    return outcome


def _event_needs(conn: Tx, scope: str, rules: ReadinessRules,
                 since: datetime | None, until: datetime | None,
                 home: Path | None) -> dict[str, dict[str, Any]]:
    """Return district → the busiest local day's summed event requirements."""
    from siaga.services.events import risk_classes

    rows = db.event_rows(conn, scope, since, until)
    classes, _ = risk_classes(conn, home, scope, sorted({r.region_code[:8] for r in rows})) \
        if rows else ({}, [])
    return peak_needs([(r.region_code, db.utc(r.starts_at), r.expected_crowd) for r in rows],
                      classes, rules)


def _health_summary(conn: Tx, scope: str) -> dict[str, dict[str, Any]]:
    """Return district → officers, screened, ill, died, units with incidents (latest reports)."""
    return health_summary(db.health_rows(conn, scope))


def board(conn: Tx, scope: str, rules: ReadinessRules, *,
          since: datetime | None = None, until: datetime | None = None,
          home: Path | None = None) -> list[ReadinessRow]:
    """Return one readiness row per district of `scope`: needs, resources, gaps, officer health."""
    districts = db.child_regions(conn, scope, "district") if len(scope) < 8 else {
        c: n for c, n in db.child_regions(conn, scope[:5], "district").items() if c == scope}
    if not districts:
        raise ReadinessError(f"no districts in {scope or 'the workspace'}: run `siaga init`")
    have: dict[str, Counter[str]] = defaultdict(Counter)
    for res in db.resource_rows(conn, scope):
        have[res.region_code][res.kind] += res.quantity
    events = _event_needs(conn, scope, rules, since, until, home)
    tps = db.tps_counts(conn, scope)
    health = _health_summary(conn, scope)
    return [board_row(code, name, have[code], events.get(code), tps[code], health.get(code),
                       rules) for code, name in sorted(districts.items())]


