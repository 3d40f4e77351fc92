"""Benchmark: crash safety and concurrent load on SQLite, with real processes.

1. Kills: `siaga ingest`, `siaga detect run`, `siaga report import` and `siaga events import`
   are each started and killed with SIGKILL at varied points, KILLS times, then run to the
   end once; the store must then hold every row (or alert) once: lost 0, duplicated 0. The
   baseline, in the same run, is the same work done without kills (a clean copy of the store):
   detection must open the same alerts, imports must store the same rows.
2. Load: a real `siaga serve` on SQLite and CLIENTS concurrent clients mixing public report
   submissions, logins and reads for SECONDS seconds, beside a IMPORT_ROWS-row report import;
   every 5xx is counted, and every report that was answered 201 must be in the store.
Prints JSON. Run: `make bench-reliability`; a quick mode: `REL_KILLS=3 REL_SECONDS=10
REL_IMPORT_ROWS=2000 python benchmarks/reliability.py`; `REL_PARTS=ingest,load` runs only
those parts. Needs SIAGA_DATA_DIR.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from siaga.domain.access import Role
from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext
from siaga.importers.workspace import init_workspace
from siaga.services.demo_activity import demo_feed
from siaga.services.users import add_user
from siaga.store import Store, open_store
from siaga.store import alerts as alert_db
from siaga.store.schema import campaign_events, detections, reports, signals
from tests.browser import running_server
from tests.detect_helpers import real_tweets

KILLS = int(os.environ.get("REL_KILLS", "20"))
SECONDS = float(os.environ.get("REL_SECONDS", "60"))
CLIENTS = int(os.environ.get("REL_CLIENTS", "16"))
IMPORT_ROWS = int(os.environ.get("REL_IMPORT_ROWS", "20000"))
SIGNALS = int(os.environ.get("REL_SIGNALS", "2300"))
EVENT_ROWS = int(os.environ.get("REL_EVENT_ROWS", "1000"))
SCOPE = "15.02"
PASSWORD = "sandi-uji-keandalan-panjang"
rng = random.Random(14)


def siaga(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """Start `python -m siaga ARGS` with its output in a file nobody needs to drain."""
    log = open(Path(env["SIAGA_HOME"]) / "run.log", "ab")  # noqa: SIM115
    return subprocess.Popen([sys.executable, "-m", "siaga", *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT)


def finish(env: dict[str, str], *args: str) -> None:
    """Run a command to its end; raise when it fails."""
    process = siaga(env, *args)
    if process.wait() != 0:
        raise RuntimeError(f"siaga {' '.join(args)} failed; see {env['SIAGA_HOME']}/run.log")


def count(store: Store, table: Any) -> int:
    """Return the rows of a table."""
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def kill_when(process: subprocess.Popen[bytes], ready: Any, delay: float) -> bool:
    """Wait until `ready()` holds, then `delay` seconds more, then SIGKILL; return True when
    the process was killed (False when it ended first)."""
    while process.poll() is None and not ready():
        time.sleep(0.01)
    end = time.monotonic() + delay
    while process.poll() is None and time.monotonic() < end:
        time.sleep(0.005)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def kill_repeatedly(start: Any, ready: Any, low: float, high: float) -> tuple[int, int]:
    """Start processes (`start(attempt)`) and kill each at a random delay after `ready()`
    until KILLS were killed part-way; a process that ends first shortens the delays.
    Return (kills, attempts)."""
    killed = attempts = 0
    while killed < KILLS and attempts < 3 * KILLS:
        attempts += 1
        if kill_when(start(attempts - 1), ready, rng.uniform(low, high)):
            killed += 1
        else:
            high = max(low * 1.2, high * 0.7)
    return killed, attempts


def workspace(home: Path, data_dir: Path) -> tuple[dict[str, str], Store]:
    """Return the environment and store of a fresh SQLite workspace of Merangin."""
    home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{home / 'siaga.db'}"
    store = open_store(url)
    init_workspace(ImportContext(store, data_dir, Scope.parse(SCOPE)))
    add_user(store, "analis.andal", PASSWORD, Role.ANALYST)
    env = {**os.environ, "SIAGA_HOME": str(home), "SIAGA_DATABASE_URL": url,
           "SIAGA_DATA_DIR": str(data_dir), "SIAGA_REPORT_LIMIT_PER_HOUR": "1000000"}
    return env, store


# --- kills -----------------------------------------------------------------------------------


def kill_ingest(env: dict[str, str], store: Store, data_dir: Path, folder: Path) -> dict[str, Any]:
    """Ingest KILLS feeds, each killed once part-way, then all to the end: every signal once."""
    now = datetime.now(UTC)
    records: list[dict[str, Any]] = [dict(r) for r in demo_feed(now, marked=False)]
    back = now - timedelta(days=45)
    records += [{"id": f"isi-{i}", "text": t, "published_at": (back + timedelta(minutes=9 * i))
                 .isoformat()} for i, t in enumerate(real_tweets(data_dir, SIGNALS, 3000))]
    parts = max(3 * KILLS, 1)
    feeds = []
    for n in range(parts):
        path = folder / f"feed-{n}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in records[n::parts]), encoding="utf-8")
        feeds.append(path)
    killed, attempts = kill_repeatedly(
        lambda n: siaga(env, "ingest", str(feeds[n]), "--source-type", "jsonl", "--no-process"),
        lambda: True, 0.3, 4.0)
    # Then everything once more as one file: what was stored must be skipped, not doubled.
    whole = folder / "feed-all.jsonl"
    whole.write_text("".join(path.read_text(encoding="utf-8") for path in feeds),
                     encoding="utf-8")
    finish(env, "ingest", str(whole), "--source-type", "jsonl", "--no-process")
    stored = count(store, signals)
    return {"kills": killed, "attempts": attempts, "expected": len(records), "stored": stored,
            "lost": len(records) - stored, "duplicates": 0 if stored <= len(records)
            else stored - len(records)}


def _alerts(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return sorted((a.region_code, a.category, str(a.window_start), a.observed,
                       tuple(a.signal_ids)) for a in alert_db.list_alerts(conn, limit=100_000))


def kill_detection(env: dict[str, str], store: Store, home: Path) -> dict[str, Any]:
    """Run detection killed KILLS times after varied numbers of batches; compare the alerts
    with an uninterrupted run over a copy of the same store."""
    clean_home = home.parent / "clean"
    clean_home.mkdir()
    # The backup API copies what the write-ahead log holds too (a file copy would miss it).
    with sqlite3.connect(home / "siaga.db") as source, \
            sqlite3.connect(clean_home / "siaga.db") as target:
        source.backup(target)
    for name in ("models", "cache"):
        if (home / name).exists():
            shutil.copytree(home / name, clean_home / name, dirs_exist_ok=True)
    clean_env = {**env, "SIAGA_HOME": str(clean_home),
                 "SIAGA_DATABASE_URL": f"sqlite:///{clean_home / 'siaga.db'}"}
    started = time.monotonic()
    finish(clean_env, "detect", "run", "--batch-size", "50")
    clean_seconds = time.monotonic() - started
    clean = open_store(clean_env["SIAGA_DATABASE_URL"], migrate=False)
    expected = _alerts(clean)
    clean.dispose()
    total = count(store, signals)
    killed = 0
    for _ in range(KILLS):
        done = count(store, detections)
        if done >= total:
            break
        target = min(total - 1, done + 50 * rng.randint(1, max(1, total // (50 * KILLS * 2))))
        process = siaga(env, "detect", "run", "--batch-size", "50")
        killed += kill_when(process, lambda t=target: count(store, detections) >= t,
                            rng.uniform(0, 0.2))
    finish(env, "detect", "run", "--batch-size", "50")
    found = _alerts(store)
    return {"kills": killed, "signals": total, "processed": count(store, detections),
            "alerts_clean_run": len(expected), "alerts_after_kills": len(found),
            "alerts_lost": len(set(expected) - set(found)),
            "alerts_extra_or_different": len(set(found) - set(expected)),
            "clean_run_seconds": round(clean_seconds, 1)}


def report_csv(path: Path, rows: int, tag: str) -> Path:
    """Write a report CSV of `rows` valid rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "region", "occurred_at", "reporter_name"])
        for i in range(rows):
            writer.writerow([f"{tag} laporan nomor {i}: pembagian sembako oleh tim sukses",
                             "15.02", "2024-11-20T09:00+07:00", f"Warga {i}"])
    return path


def _stored_like(store: Store, table: Any, column: Any, pattern: str) -> tuple[int, int]:
    """Return (rows, distinct values) of a column matching a LIKE pattern."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(table).where(
            column.like(pattern))).scalar_one()
        distinct = conn.execute(select(func.count(func.distinct(column))).where(
            column.like(pattern))).scalar_one()
    return int(rows), int(distinct)


def kill_report_import(env: dict[str, str], store: Store, folder: Path) -> dict[str, Any]:
    """Import a report CSV killed KILLS times at varied points, then to the end; a file that
    got through whole is followed by a new one."""
    files = [report_csv(folder / "laporan-0.csv", IMPORT_ROWS, "impor0")]

    def start(_attempt: int) -> subprocess.Popen[bytes]:
        if _stored_like(store, reports, reports.c.text, f"impor{len(files) - 1} %")[1] \
                >= IMPORT_ROWS:
            files.append(report_csv(folder / f"laporan-{len(files)}.csv", IMPORT_ROWS,
                                    f"impor{len(files)}"))
        return siaga(env, "report", "import", str(files[-1]), "--as", "ani")

    killed, attempts = kill_repeatedly(start, lambda: True, 1.0, 10.0)
    for path in files:
        finish(env, "report", "import", str(path), "--as", "ani")
    stored, distinct = _stored_like(store, reports, reports.c.text, "impor% laporan nomor %")
    expected = IMPORT_ROWS * len(files)
    return {"kills": killed, "attempts": attempts, "files": len(files), "expected": expected,
            "stored": stored, "lost": expected - distinct, "duplicates": stored - distinct}


def events_csv(path: Path, tag: str) -> Path:
    """Write an events CSV of EVENT_ROWS rallies, each venue named once."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "type", "region", "venue", "start", "end",
                         "expected_crowd", "permit_status"])
        for i in range(EVENT_ROWS):
            day = datetime(2026, 10, 1, 8, tzinfo=UTC) + timedelta(hours=7 * i)
            # Merangin's contest has two pairs: every row is valid, so each must be stored.
            writer.writerow([str(1 + i % 2), "rally", "15.02.01", f"Lapangan {tag} {i}",
                             day.isoformat(), (day + timedelta(hours=2)).isoformat(),
                             "300", "issued"])
    return path


def kill_event_import(env: dict[str, str], store: Store, folder: Path) -> dict[str, Any]:
    """Import events CSVs (one new file per attempt), each killed part-way or not, then every
    file to the end: each event stored once."""
    files: list[Path] = []

    def start(attempt: int) -> subprocess.Popen[bytes]:
        files.append(events_csv(folder / f"kegiatan-{attempt}.csv", f"andal{attempt}"))
        return siaga(env, "events", "import", str(files[-1]))

    killed, attempts = kill_repeatedly(start, lambda: True, 0.5, 6.0)
    for n, path in enumerate(files):
        if _stored_like(store, campaign_events, campaign_events.c.venue,
                        f"Lapangan andal{n} %")[1] < EVENT_ROWS:
            finish(env, "events", "import", str(path))
    stored, distinct = _stored_like(store, campaign_events, campaign_events.c.venue,
                                    "Lapangan andal%")
    expected = EVENT_ROWS * len(files)
    return {"kills": killed, "attempts": attempts, "expected": expected, "stored": stored,
            "lost": expected - distinct, "duplicates": stored - distinct}


# --- load ------------------------------------------------------------------------------------


async def client_loop(base: str, n: int, stop: float, tally: Counter[str],
                      receipts: list[str], latencies: list[float]) -> None:
    """Mix public report writes, logins and reads until `stop`."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        k = 0
        while time.monotonic() < stop:
            k += 1
            choice = (n + k) % 4
            begun = time.monotonic()
            try:
                if choice == 0:
                    answer = await http.post("/api/v1/reports", json={
                        "text": f"Beban {n}-{k}: amplop dibagikan di Bangko", "region": SCOPE})
                    if answer.status_code == 201:
                        receipts.append(answer.json()["receipt"])
                elif choice == 1:
                    answer = await http.post("/api/v1/auth/login", json={
                        "username": "analis.andal", "password": PASSWORD})
                elif choice == 2 and receipts:
                    answer = await http.get(f"/api/v1/reports/receipt/{receipts[-1]}")
                else:
                    answer = await http.get("/api/v1/health")
                tally[f"{answer.status_code // 100}xx"] += 1
                tally[str(answer.status_code)] += 1
            except httpx.HTTPError as exc:
                tally[f"transport error {type(exc).__name__}"] += 1
            latencies.append(time.monotonic() - begun)


def load(env: dict[str, str], store: Store, folder: Path) -> dict[str, Any]:
    """Run the clients beside a report import against a real server; count 5xx and losses."""
    path = report_csv(folder / "laporan-beban.csv", IMPORT_ROWS, "beban")
    tally: Counter[str] = Counter()
    receipts: list[str] = []
    latencies: list[float] = []
    os.environ["SIAGA_REPORT_LIMIT_PER_HOUR"] = env["SIAGA_REPORT_LIMIT_PER_HOUR"]
    with running_server(env["SIAGA_DATABASE_URL"], Path(env["SIAGA_HOME"])) as base:
        importer = siaga(env, "report", "import", str(path), "--as", "ani")
        stop = time.monotonic() + SECONDS

        async def everyone() -> None:
            await asyncio.gather(*(client_loop(base, n, stop, tally, receipts, latencies)
                                   for n in range(CLIENTS)))
        asyncio.run(everyone())
        import_status = importer.wait()
    with store.engine.connect() as conn:
        kept = set(conn.execute(select(reports.c.receipt).where(
            reports.c.receipt.in_(receipts))).scalars()) if receipts else set()
        imported = conn.execute(text(
            "SELECT COUNT(*) FROM reports WHERE text LIKE 'beban laporan nomor %'")).scalar_one()
    latencies.sort()
    return {"clients": CLIENTS, "seconds": SECONDS, "requests": sum(
        v for k, v in tally.items() if k.endswith("xx")), "status": dict(sorted(tally.items())),
        "server_errors_5xx": tally.get("5xx", 0), "reports_accepted": len(receipts),
        "accepted_but_lost": len(set(receipts) - kept),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        "import_beside": {"rows": IMPORT_ROWS, "stored": imported, "exit_status": import_status}}


def main() -> None:
    """Run every part and print the JSON summary."""
    data_dir = Path(os.environ["SIAGA_DATA_DIR"])
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="siaga-reliability-") as tmp:
        folder = Path(tmp)
        home = folder / "home"
        env, store = workspace(home, data_dir)
        models = os.environ.get("REL_MODEL_HOME")  # reuse trained models (a SIAGA_HOME)
        if models:
            for name in ("models", "cache"):
                if (Path(models) / name).exists():
                    shutil.copytree(Path(models) / name, home / name, dirs_exist_ok=True)
        result: dict[str, Any] = {"database": "sqlite", "kills_per_part": KILLS}
        # Detection last: each of its runs loads the models, the slowest part by far.
        parts = {"ingest": lambda: kill_ingest(env, store, data_dir, folder),
                 "report_import": lambda: kill_report_import(env, store, folder),
                 "event_import": lambda: kill_event_import(env, store, folder),
                 "load": lambda: load(env, store, folder),
                 "detection": lambda: kill_detection(env, store, home)}
        chosen = os.environ.get("REL_PARTS")  # e.g. "event_import,load"; default: all
        for name, part in parts.items():
            if chosen and name not in chosen.split(","):
                continue
            begun = time.monotonic()
            try:
                result[name] = part()
            except Exception as exc:  # a failed part is reported, the others still run
                result[name] = {"error": f"{type(exc).__name__}: {exc}"}
            result[name]["part_seconds"] = round(time.monotonic() - begun, 1)
            print(json.dumps({name: result[name]}), file=sys.stderr, flush=True)
        store.dispose()
    result["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
