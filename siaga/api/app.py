"""The FastAPI app factory: each call builds its own store from the settings it is given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, select_autoescape

from siaga import __version__
from siaga.api.reports import reports_router
from siaga.services.casework import casework_from
from siaga.settings import Settings
from siaga.store import Store, open_store
from siaga.store.queries import recent_imports, table_counts

TABLE_LABELS = {
    "regions": "Wilayah / Regions",
    "legacy_region_codes": "Kode wilayah 2023 / 2023 codes",
    "boundaries": "Batas wilayah / Boundaries",
    "polling_stations": "TPS / Polling stations",
    "contests": "Pemilihan / Contests",
    "candidate_pairs": "Paslon / Candidate pairs",
    "contest_results": "Hasil sementara / Provisional results",
    "voter_counts": "DPT / Voter counts",
    "reports": "Laporan / Reports",
    "cases": "Kasus / Cases",
}


def _templates() -> Environment:
    env = Environment(autoescape=select_autoescape(["html"]))
    env.globals["version"] = __version__
    return env


def status_data(store: Store) -> dict[str, Any]:
    """Return what is loaded: row counts per table and the newest imports."""
    with store.engine.connect() as conn:
        counts = table_counts(conn)
        imports = recent_imports(conn, limit=20)
    return {
        "database": store.dialect,
        "tables": {name: counts.get(name, 0) for name in TABLE_LABELS},
        "imports": imports,
    }


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Return the Siaga web app bound to the settings' database (or the given store)."""
    owned = store is None
    the_store = store or open_store(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            the_store.dispose()

    app = FastAPI(
        title="Siaga",
        version=__version__,
        lifespan=lifespan,
        docs_url="/api/docs",
        openapi_url="/api/v1/openapi.json",
    )
    app.state.store = the_store
    app.include_router(reports_router(casework_from(settings, the_store)))
    template = _templates().from_string(
        resources.files("siaga.web").joinpath("templates/status.html").read_text("utf-8")
    )

    @app.get("/api/v1/health", tags=["system"])
    def health() -> dict[str, str]:
        """Answer without login: the service is up and its database answers."""
        with the_store.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": __version__, "database": the_store.dialect}

    @app.get("/api/v1/status", tags=["system"])
    def status() -> dict[str, Any]:
        """Return what is loaded: row counts per table and the newest imports."""
        return status_data(the_store)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def status_page(request: Request) -> str:
        return template.render(data=status_data(the_store), labels=TABLE_LABELS)

    return app
