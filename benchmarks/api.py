"""Benchmark: the running server under concurrent clients, on SQLite and on PostgreSQL.

For each backend: a workspace with Merangin (15.02) and its demo risk data, a real
`siaga serve` process (uvicorn, one worker), and `CLIENTS` concurrent HTTP clients sending
`REQUESTS` requests per route. Prints JSON with requests per second and p50/p99 latency per
route. The baseline, measured in the same run, is `/api/v1/health` (one `SELECT 1`): the
floor of what any route costs in this server, so each route is also given as a multiple of it.
Run: `make bench-api` (or `python benchmarks/api.py`). Needs SIAGA_DATA_DIR and PostgreSQL's
server binaries.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.domain.access import Role
from siaga.domain.scope import Scope
from siaga.importers.base import ImportContext
from siaga.importers.workspace import init_workspace
from siaga.risk.framework import load_frameworks
from siaga.services.risk import load_demo
from siaga.services.users import add_user
from siaga.store import open_store
from tests.browser import running_server
from tests.pg_server import start_server

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PASSWORD = "sandi-bench-panjang"
Request = Callable[[httpx.AsyncClient, int], Any]


def routes(token: str) -> dict[str, Request]:
    """Return the measured routes: name → a coroutine sending request number i."""
    auth = {"Authorization": f"Bearer {token}"}
    return {
        "GET /api/v1/health (baseline)": lambda c, i: c.get("/api/v1/health"),
        "GET /api/v1/regions/{code}": lambda c, i: c.get("/api/v1/regions/15.02", headers=auth),
        "GET /api/v1/risk/scores district": lambda c, i: c.get(
            "/api/v1/risk/scores?level=district&scope=15.02", headers=auth),
        "GET /api/v1/risk/map.svg": lambda c, i: c.get("/api/v1/risk/map.svg?scope=15.02",
                                                       headers=auth),
        "GET /peta/{code} (dashboard page)": lambda c, i: c.get("/peta/15.02", headers=auth),
        "GET /api/v1/cases": lambda c, i: c.get("/api/v1/cases", headers=auth),
        "POST /api/v1/reports (public write)": lambda c, i: c.post("/api/v1/reports", json={
            "text": f"Laporan uji beban nomor {i}: pembagian amplop di Bangko",
            "region": "15.02"}),
        "POST /api/v1/auth/login (Argon2)": lambda c, i: c.post(
            "/api/v1/auth/login", json={"username": "bench", "password": PASSWORD}),
    }


async def _drive(base: str, send: Request) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(REQUESTS))

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            answer = await send(client, i)
            latencies.append(time.perf_counter() - started)
            errors += answer.status_code >= 400

    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=180) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2)}


def measure(backend: str, url: str, data_dir: Path, home: Path) -> dict[str, Any]:
    """Prepare a workspace on the URL, serve it, and measure every route."""
    store = open_store(url)
    init_workspace(ImportContext(store, data_dir, Scope.parse("15.02")))
    with store.engine.begin() as conn:
        load_demo(conn, list(load_frameworks().values()), "15.02")
    add_user(store, "bench", PASSWORD, Role.ANALYST)
    store.dispose()
    with running_server(url, home) as base:
        token = httpx.post(base + "/api/v1/auth/login",
                           json={"username": "bench", "password": PASSWORD}).json()["token"]
        results = {}
        for name, send in routes(token).items():
            print(f"{backend}: {name}", file=sys.stderr, flush=True)
            results[name] = asyncio.run(_drive(base, send))
    floor = results["GET /api/v1/health (baseline)"]["p50_ms"]
    for figures in results.values():
        figures["p50_vs_baseline"] = round(figures["p50_ms"] / floor, 1)
    return {"backend": backend, "routes": results}


def main() -> None:
    """Run the benchmark on both backends and print JSON."""
    data_dir = Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data")).resolve()
    os.environ["SIAGA_DATA_DIR"] = str(data_dir)
    # All clients share one address; the public per-sender limit would answer 429 otherwise.
    os.environ["SIAGA_REPORT_LIMIT_PER_HOUR"] = str(10 * REQUESTS)
    out: dict[str, Any] = {"clients": CLIENTS, "requests_per_route": REQUESTS,
                           "cores": os.cpu_count(), "backends": []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        out["backends"].append(measure("sqlite", f"sqlite:///{root / 'bench.db'}", data_dir,
                                       root / "home-sqlite"))
        server = start_server()
        try:
            out["backends"].append(measure("postgresql", server.create_database("bench"),
                                           data_dir, root / "home-pg"))
        finally:
            server.stop()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
