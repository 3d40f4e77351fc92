"""Benchmark: bulk triage of many pending reports, against one transaction per report.

Fills a fresh SQLite store, then a throwaway PostgreSQL (tests/pg_server.py), with N reports
(default 20,000; SIAGA_BENCH_REPORTS to change), then measures in the same run:
- `bulk_verifying_s`: `move_reports` of the rest to `verifying` (one transaction, chunks of 500);
- `baseline_per_report_s`: the same move, one `move_reports` call (one transaction, one audit
  append) per report, timed on a sample and scaled to the reports the bulk call moves;
- `queue_page_ms`: one page of 100 from the review queue, from the middle of the backlog;
- `csv_import_rows_per_s`: `siaga report import` speed on a CSV of N/4 rows.
Each figure is followed by whether the audit chain is intact afterwards. Prints JSON.
Run: `python benchmarks/triage.py`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.cases.attachments import KNOWN_TYPES, AttachmentLimits
from siaga.cases.routing import load_rules
from siaga.domain.cases import Channel, NewReport, ReportStatus
from siaga.domain.roles import Role, Viewer
from siaga.services.audit import verify_audit
from siaga.services.casework import Casework, IntakeLimits, system_clock
from siaga.services.report_import import import_reports_csv
from siaga.services.reports import insert_report, move_reports, review_queue
from siaga.store import open_store
from siaga.store.audit import Change, append


def main() -> None:
    """Print the benchmark's JSON for SQLite, then for a throwaway PostgreSQL when available."""
    folder = Path(tempfile.mkdtemp(prefix="siaga-triage-"))
    run(f"sqlite:///{folder / 'bench.db'}", folder)
    from tests.pg_server import PostgresUnavailable, start_server

    try:
        server = start_server()
    except PostgresUnavailable as exc:
        print(json.dumps({"database": "postgresql", "skipped": str(exc)}))
        return
    try:
        run(server.create_database("triage_bench"), folder / "pg")
    finally:
        server.stop()


def run(url: str, folder: Path) -> None:
    """Run every measurement on the database at `url`."""
    count = int(os.environ.get("SIAGA_BENCH_REPORTS", "20000"))
    folder.mkdir(parents=True, exist_ok=True)
    store = open_store(url)
    cw = Casework(store, folder, load_rules(),
                  IntakeLimits(10, AttachmentLimits(1_000_000, KNOWN_TYPES)), system_clock)
    started = time.perf_counter()
    ids = []
    with store.engine.begin() as conn:
        pending: list[Change] = []
        for i in range(count):
            ids.append(insert_report(conn, cw, NewReport(f"laporan {i}", Channel.API),
                                     pending=pending).id)
        append(conn, system_clock(), pending)
    fill = time.perf_counter() - started
    sample = ids[:max(200, count // 50)]
    started = time.perf_counter()
    for report_id in sample:
        move_reports(cw, [report_id], ReportStatus.VERIFYING, "bench")
    rest = ids[len(sample):]
    per_report = (time.perf_counter() - started) / len(sample) * len(rest)
    started = time.perf_counter()
    bulk = move_reports(cw, rest, ReportStatus.VERIFYING, "bench")
    bulk_s = time.perf_counter() - started
    started = time.perf_counter()
    page = review_queue(cw, Viewer("b", Role.ANALYST), limit=100, after_id=ids[count // 2])
    page_ms = (time.perf_counter() - started) * 1000
    path = folder / "reports.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "url"])
        writer.writerows([f"impor {i}", f"https://example.org/{i}"] for i in range(count // 4))
    started = time.perf_counter()
    summary = import_reports_csv(cw, path, "bench")
    import_s = time.perf_counter() - started
    print(json.dumps({
        "database": store.dialect, "reports": count, "fill_rows_per_s": round(count / fill),
        "bulk_verifying_s": round(bulk_s, 3), "bulk_changed": len(bulk.changed),
        "baseline_per_report_s": round(per_report, 3), "baseline_sample": len(sample),
        "speedup": round(per_report / bulk_s, 1), "queue_page_ms": round(page_ms, 2),
        "queue_page_rows": len(page),
        "csv_import_rows_per_s": round(summary.stored / import_s),
        "audit_intact": verify_audit(store).intact}, indent=2))
    store.dispose()


if __name__ == "__main__":
    main()
