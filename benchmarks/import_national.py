"""Benchmark: import the national polling-station list (822,116 TPS) into SQLite and PostgreSQL.

Prints JSON: per backend, the seconds and rows per second of the whole import (read the gzip CSV,
resolve codes, place each TPS at its village centroid, write), the seconds of a second, no-op
import, and the write step alone by the bulk path (`copy_rows`: COPY on PostgreSQL, raw
executemany on SQLite) against a baseline measured in the same run on the same rows: SQLAlchemy
Core's portable executemany (`insert_rows`). Run: `make bench`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.domain.scope import Scope
from siaga.elections.polling_stations import TPS_FILE, read_polling_stations
from siaga.importers.base import ImportContext
from siaga.importers.elections import TPS_COLUMNS, import_polling_stations
from siaga.importers.regions import import_regions, import_village_centroids
from siaga.store import Store, open_store
from siaga.store.bulk import copy_rows, insert_rows
from siaga.store.schema import polling_stations
from tests.pg_server import start_server


def _prepared(url: str, data_dir: Path) -> Store:
    store = open_store(url)
    context = ImportContext(store, data_dir, Scope())
    import_regions(context)
    import_village_centroids(context)
    return store


def _write_seconds(
    store: Store, writer: Callable[..., None], rows: list[tuple[object, ...]]
) -> float:
    with store.engine.begin() as conn:
        conn.execute(polling_stations.delete())
    started = time.perf_counter()
    with store.engine.begin() as conn:
        writer(conn, polling_stations, TPS_COLUMNS, rows)
    return time.perf_counter() - started


def _writes(store: Store) -> dict[str, float]:
    """Return seconds to write the stored rows again by the bulk path and by the baseline."""
    with store.engine.connect() as conn:
        query = select(*(polling_stations.c[c] for c in TPS_COLUMNS))
        rows = [tuple(r) for r in conn.execute(query)]
    bulk = _write_seconds(store, copy_rows, rows)
    baseline = _write_seconds(store, insert_rows, rows)
    return {
        "write_seconds_bulk": round(bulk, 2),
        "write_seconds_baseline_core_executemany": round(baseline, 2),
        "write_speedup": round(baseline / bulk, 2),
    }


def measure(backend: str, url: str, data_dir: Path) -> dict[str, object]:
    """Return the timings of one backend."""
    store = _prepared(url, data_dir)
    context = ImportContext(store, data_dir, Scope())
    started = time.perf_counter()
    report = import_polling_stations(context)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = import_polling_stations(context)
    reimport = time.perf_counter() - started
    rows = report.tables["polling_stations"].inserted
    writes = _writes(store)
    store.dispose()
    return {
        "backend": backend,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(rows / seconds),
        "reimport_seconds": round(reimport, 2),
        "reimport_changed": again.changed,
        **writes,
    }


def main() -> None:
    """Run the benchmark and print JSON."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data")).resolve()
    started = time.perf_counter()
    parsed = sum(1 for _ in read_polling_stations(data_dir / TPS_FILE))
    parse_seconds = time.perf_counter() - started
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(measure("sqlite", f"sqlite:///{tmp}/bench.db", data_dir))
    server = start_server()
    try:
        results.append(measure("postgresql", server.create_database("bench"), data_dir))
    finally:
        server.stop()
    print(
        json.dumps(
            {
                "benchmark": "import_national_polling_stations",
                "file": TPS_FILE,
                "rows_in_file": parsed,
                "parse_only_seconds": round(parse_seconds, 2),
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
