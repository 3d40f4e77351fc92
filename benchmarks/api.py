"""Benchmark: the running server under concurrent clients, on SQLite and on PostgreSQL.

For each backend: a workspace with Merangin (15.02) and its demo risk data, a real
`siaga serve` process (uvicorn, one worker), and `CLIENTS` concurrent HTTP clients sending
`REQUESTS` requests per route. Prints JSON with requests per second and p50/p99 latency per
route. The baseline, measured in the same run, is `/api/v1/health` (one `SELECT 1`): the
floor of what any route costs in this server, so each route is also given as a multiple of its
latency and as a share of its requests per second. The risk routes answer from the index cache
after the first request; the cold first request is reported separately.

A second part serves a national workspace (every province, regency and TPS) and times
`/risk/scores` at province and regency level: the first (cold) request, then `REQUESTS` more
from `CLIENTS` clients. Set BENCH_NATIONAL=0 to skip it (the national import takes minutes).
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

import aiohttp
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
NATIONAL = os.environ.get("BENCH_NATIONAL", "1") != "0"
RISK_ROUTES = ("GET /api/v1/risk/scores district", "GET /api/v1/risk/map.svg",
               "GET /peta/{code} (dashboard page)")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100"))
PASSWORD = "sandi-bench-panjang"
# Request number i -> (method, path, headers, JSON body or None).
Request = Callable[[int], tuple[str, str, dict[str, str], dict[str, Any] | None]]


def _get(path: str, headers: dict[str, str] | None = None) -> Request:
    return lambda i: ("GET", path, headers or {}, None)


def routes(token: str) -> dict[str, Request]:
    """Return the measured routes: name → the request number i sends."""
    auth = {"Authorization": f"Bearer {token}"}
    return {
        "GET /api/v1/health (baseline)": _get("/api/v1/health"),
        "GET /api/v1/regions/{code}": _get("/api/v1/regions/15.02", auth),
        "GET /api/v1/risk/scores district": _get(
            "/api/v1/risk/scores?level=district&scope=15.02", auth),
        "GET /api/v1/risk/map.svg": _get("/api/v1/risk/map.svg?scope=15.02", auth),
        "GET /peta/{code} (dashboard page)": _get("/peta/15.02", auth),
        "GET /api/v1/cases": _get("/api/v1/cases", auth),
        "POST /api/v1/reports (public write)": lambda i: ("POST", "/api/v1/reports", {}, {
            "text": f"Laporan uji beban nomor {i}: pembagian amplop di Bangko",
            "region": "15.02"}),
        "POST /api/v1/auth/login (Argon2)": lambda i: (
            "POST", "/api/v1/auth/login", {}, {"username": "bench", "password": PASSWORD}),
    }


async def _drive(base: str, send: Request) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(REQUESTS))

    async def client_loop(client: aiohttp.ClientSession) -> None:
        nonlocal errors
        for i in counter:
            method, path, headers, body = send(i)
            started = time.perf_counter()
            async with client.request(method, path, headers=headers, json=body) as answer:
                await answer.read()
            latencies.append(time.perf_counter() - started)
            errors += answer.status >= 400

    # aiohttp, not httpx: httpx's client cost about 4.8 ms of CPU a request here, more than
    # the server's own 2 ms, so 16 httpx clients measured the load generator, not the server.
    connector = aiohttp.TCPConnector(limit=CLIENTS)
    started = time.perf_counter()
    async with aiohttp.ClientSession(base, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=180)) as client:
        await asyncio.gather(*(client_loop(client) for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors,
            "requests_per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(latencies), 2),
            "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2)}


def prepare(url: str, data_dir: Path, scope: str, demo: bool) -> None:
    """Load a workspace of `scope` (with demo risk data when asked) and the bench user."""
    store = open_store(url)
    init_workspace(ImportContext(store, data_dir, Scope.parse(scope)))
    if demo:
        with store.engine.begin() as conn:
            load_demo(conn, list(load_frameworks().values()), scope)
    add_user(store, "bench", PASSWORD, Role.ANALYST)
    store.dispose()


def _token(base: str) -> str:
    answer = httpx.post(base + "/api/v1/auth/login",
                        json={"username": "bench", "password": PASSWORD})
    return str(answer.json()["token"])


def _cold(base: str, path: str, token: str) -> float:
    started = time.perf_counter()
    answer = httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=600)
    answer.raise_for_status()
    return round(1000 * (time.perf_counter() - started), 1)


def measure(backend: str, url: str, data_dir: Path, home: Path) -> dict[str, Any]:
    """Prepare a regency workspace on the URL, serve it, and measure every route."""
    prepare(url, data_dir, "15.02", demo=True)
    with running_server(url, home) as base:
        token = _token(base)
        cold = {name: _cold(base, path, token) for name, path in (
            ("GET /api/v1/risk/scores district", "/api/v1/risk/scores?level=district&scope=15.02"),
            ("GET /api/v1/risk/map.svg", "/api/v1/risk/map.svg?scope=15.02"))}
        results = {}
        for name, send in routes(token).items():
            print(f"{backend}: {name}", file=sys.stderr, flush=True)
            results[name] = asyncio.run(_drive(base, send))
    compare(results)
    return {"backend": backend, "first_request_ms": cold, "routes": results}


def compare(results: dict[str, dict[str, Any]]) -> None:
    """Add each route's latency and throughput against the health route of the same run."""
    floor = results["GET /api/v1/health (baseline)"]
    for figures in results.values():
        figures["p50_vs_baseline"] = round(figures["p50_ms"] / floor["p50_ms"], 1)
        figures["rps_share_of_baseline"] = round(
            figures["requests_per_second"] / floor["requests_per_second"], 3)


def measure_national(backend: str, url: str, data_dir: Path, home: Path) -> dict[str, Any]:
    """Serve a national workspace and time /risk/scores at province and regency level."""
    started = time.perf_counter()
    prepare(url, data_dir, "national", demo=False)
    out: dict[str, Any] = {"backend": backend,
                           "workspace_seconds": round(time.perf_counter() - started, 1)}
    with running_server(url, home) as base:
        token = _token(base)
        auth = {"Authorization": f"Bearer {token}"}
        results: dict[str, Any] = {}
        for level in ("province", "regency"):
            path = f"/api/v1/risk/scores?level={level}"
            first = _cold(base, path, token)
            print(f"{backend} national: {level}", file=sys.stderr, flush=True)
            figures = asyncio.run(_drive(base, _get(path, auth)))
            results[f"GET /api/v1/risk/scores {level}"] = {"first_request_ms": first, **figures}
        results["GET /api/v1/health (baseline)"] = asyncio.run(
            _drive(base, _get("/api/v1/health")))
    compare(results)
    out["routes"] = results
    return out


def verdict(out: dict[str, Any]) -> dict[str, bool]:
    """Return the targets: risk routes p50 <= 100 ms and >= 25% of health's rate; national
    scores p50 <= 200 ms once warm."""
    found: dict[str, bool] = {}
    for block in out["backends"]:
        routes_of = block["routes"]
        found[f"{block['backend']}: risk routes p50 <= 100 ms"] = all(
            routes_of[r]["p50_ms"] <= 100 for r in RISK_ROUTES)
        found[f"{block['backend']}: risk routes >= 25% of health rps"] = all(
            routes_of[r]["rps_share_of_baseline"] >= 0.25 for r in RISK_ROUTES)
    for block in out.get("national", []):
        found[f"{block['backend']}: national scores p50 <= 200 ms warm"] = all(
            v["p50_ms"] <= 200 for k, v in block["routes"].items() if "scores" in k)
    return found


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
            if NATIONAL:
                out["national"] = [
                    measure_national("sqlite", f"sqlite:///{root / 'national.db'}", data_dir,
                                     root / "home-national-sqlite"),
                    measure_national("postgresql", server.create_database("national"),
                                     data_dir, root / "home-national-pg")]
        finally:
            server.stop()
    out["targets_met"] = verdict(out)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
