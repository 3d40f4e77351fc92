"""Reference data the importers keep in step with the data files: regions and their old codes,
boundaries, polling stations, contests, pairs, results, voter counts, and the import ledger."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from siaga.domain.scope import Scope
from siaga.store.bulk import Row, SyncResult, sync_rows
from siaga.store.schema import (
    dataset_imports,
    legacy_region_codes,
    metadata,
    polling_stations,
    regions,
)
from siaga.store.sql import inside

__all__ = ["Row", "SyncResult", "current_codes", "imported_locations", "known_codes",
           "record_import", "region_name_map", "sync", "sync_polling_stations",
           "sync_region_points", "village_centroids"]


def _in_scope(column: Any, scope: Scope) -> ColumnElement[bool] | None:
    """Return an SQL condition keeping codes inside the scope (None for the whole country)."""
    if scope.national:
        return None
    return or_(*(inside(column, c) for c in scope.codes))


def sync(conn: Connection, table: str, columns: Sequence[str], key: Sequence[str],
         rows: Iterable[Row]) -> SyncResult:
    """Make the table named `table` hold `rows` (matched on `key`); return what changed.

    Rows absent from the input are left alone: an import never deletes.
    """
    return sync_rows(conn, metadata.tables[table], columns, key, rows)


def sync_region_points(conn: Connection, rows: Iterable[Row], scope: Scope) -> SyncResult:
    """Set (code, lat, lng, centroid_source) of regions, comparing only those in `scope`."""
    return sync_rows(conn, regions, ("code", "lat", "lng", "centroid_source"), ("code",), rows,
                     existing_where=_in_scope(regions.c.code, scope))


def sync_polling_stations(conn: Connection, columns: Sequence[str], rows: Iterable[Row],
                          election: str, scope: Scope,
                          on_batch: Callable[[int], None] | None = None) -> SyncResult:
    """Make the polling stations of `election` in `scope` hold `rows` (keyed by election and
    code); return what changed."""
    where = None if scope.national else and_(
        polling_stations.c.election == election,
        or_(*(inside(polling_stations.c.village_code, c) for c in scope.codes)))
    return sync_rows(conn, polling_stations, columns, ("election", "code"), rows, where,
                     on_batch=on_batch)


def known_codes(conn: Connection, level: str | None = None) -> set[str]:
    """Return the codes of the current region list (optionally of one level)."""
    query = select(regions.c.code)
    if level is not None:
        query = query.where(regions.c.level == level)
    return set(conn.execute(query).scalars())


def current_codes(conn: Connection, vintage: str) -> dict[str, str]:
    """Return a map from any known code (current or of `vintage`) to its current code."""
    mapping = {c: c for c in conn.execute(select(regions.c.code)).scalars()}
    old = conn.execute(
        select(legacy_region_codes.c.code, legacy_region_codes.c.current_code).where(
            legacy_region_codes.c.vintage == vintage,
            legacy_region_codes.c.current_code.is_not(None)))
    for code, current in old:
        mapping.setdefault(code, current)
    return mapping


def village_centroids(conn: Connection, scope: Scope) -> dict[str, tuple[float, float]]:
    """Return village code → (lat, lng) of the located villages in `scope`."""
    query = select(regions.c.code, regions.c.lat, regions.c.lng).where(
        regions.c.level == "village", regions.c.lat.is_not(None))
    where = _in_scope(regions.c.code, scope)
    if where is not None:
        query = query.where(where)
    return {code: (lat, lng) for code, lat, lng in conn.execute(query)}


def imported_locations(conn: Connection, source: str) -> dict[str, tuple[float, float]]:
    """Return TPS code → (lat, lng) of the polling stations whose location came from `source`."""
    query = select(polling_stations.c.code, polling_stations.c.lat, polling_stations.c.lng).where(
        polling_stations.c.location_source == source)
    return {code: (lat, lng) for code, lat, lng in conn.execute(query)}


def region_name_map(conn: Connection) -> dict[str, str]:
    """Return code → name of every stored region."""
    return dict(conn.execute(select(regions.c.code, regions.c.name)).all())


def record_import(conn: Connection, dataset: str, scope: str, sha256: str, *,
                  totals: SyncResult, rejected: int, changed: bool) -> None:
    """Write an import to the ledger when it changed something or is the first of its kind."""
    seen = conn.execute(select(dataset_imports.c.id).where(
        dataset_imports.c.dataset == dataset, dataset_imports.c.scope == scope,
        dataset_imports.c.sha256 == sha256).limit(1)).first()
    if seen is not None and not changed:
        return
    conn.execute(dataset_imports.insert().values(
        dataset=dataset, scope=scope, sha256=sha256, inserted=totals.inserted,
        updated=totals.updated, unchanged=totals.unchanged, rejected=rejected,
        finished_at=datetime.now(UTC)))
