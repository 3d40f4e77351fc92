"""The FastAPI app factory: each call builds its own store from the settings it is given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from siaga import __version__
from siaga.api import (
    auth_routes,
    briefing_routes,
    detect_routes,
    events,
    import_routes,
    regions_routes,
    risk_routes,
)
from siaga.api.case_routes import case_router
from siaga.api.errors import ErrorShield, invalid_request
from siaga.api.headers import SecurityHeaders
from siaga.api.reports import reports_router
from siaga.api.security import LoginRequired, current_principal, secured, store_of
from siaga.api.text_guard import TextGuard
from siaga.domain.access import Permission, Principal
from siaga.risk.cache import ResultCache
from siaga.services.casework import casework_from
from siaga.settings import Settings
from siaga.store import Store, open_store
from siaga.store.queries import recent_imports, table_counts
from siaga.web import detection_pages, forum_page, pages, work_pages
from siaga.web.pages import render, template_env

TABLE_LABELS = {
    "regions": "Wilayah / Regions",
    "legacy_region_codes": "Kode wilayah 2023 / 2023 codes",
    "boundaries": "Batas wilayah / Boundaries",
    "polling_stations": "TPS / Polling stations",
    "contests": "Pemilihan / Contests",
    "candidate_pairs": "Paslon / Candidate pairs",
    "contest_results": "Hasil sementara / Provisional results",
    "voter_counts": "DPT / Voter counts",
    "risk_observations": "Pengamatan kerawanan / Risk observations",
    "users": "Pengguna / Users",
    "reports": "Laporan / Reports",
    "cases": "Kasus / Cases",
}


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
        docs_url=None,  # served below from the installed package, not from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.store = the_store
    app.state.settings = settings
    app.state.templates = template_env()
    app.state.risk_cache = ResultCache()
    app.mount("/static/swagger-ui", StaticFiles(directory=str(swagger_ui_path)),
              name="swagger-ui")
    app.mount("/static", StaticFiles(directory=str(resources.files("siaga.web") / "static")),
              name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_middleware(TextGuard)
    # Maps and score tables are large text; officers on slow links get them compressed.
    app.add_middleware(GZipMiddleware, minimum_size=1_000, compresslevel=6)
    app.add_middleware(ErrorShield)  # outside the guard, inside the headers
    app.add_middleware(SecurityHeaders)  # added last: outermost, so every answer has them
    casework = app.state.casework = casework_from(settings, the_store)
    app.state.routers = (system_router, auth_routes.router, regions_routes.router,
                         risk_routes.router, events.router(settings),
                         reports_router(casework), case_router(casework),
                         detect_routes.router, import_routes.router,
                         briefing_routes.router, pages.router, work_pages.router,
                         detection_pages.router, forum_page.router)
    for router in app.state.routers:
        app.include_router(router)
    return app


async def _login_required(request: Request, exc: Exception) -> Response:
    # Pages send the public to the login form; the API answers 401 with a reason.
    if request.url.path.startswith("/api/"):
        assert isinstance(exc, LoginRequired)
        return JSONResponse({"detail": exc.detail}, status_code=401, headers=exc.headers)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/masuk?next={quote(target)}", status_code=303)


system_router = APIRouter(tags=["system"])


@system_router.get("/api/v1/health", **secured(Permission.HEALTH))
def health(request: Request) -> dict[str, str]:
    """Answer without login: the service is up and its database answers."""
    the_store = store_of(request)
    with the_store.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    return {"status": "ok", "version": __version__, "database": the_store.dialect}


API_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Siaga API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>
"""


@system_router.get("/api/docs", include_in_schema=False, **secured(Permission.HEALTH))
def api_docs() -> HTMLResponse:
    """Show the API description in Swagger UI, every file served by this app."""
    return HTMLResponse(API_DOCS_PAGE)


@system_router.get("/api/v1/status", **secured(Permission.VIEW_STATUS))
def status(request: Request) -> dict[str, Any]:
    """Return what is loaded: row counts per table and the newest imports."""
    return status_data(store_of(request))


@system_router.get("/status", include_in_schema=False, **secured(Permission.VIEW_STATUS))
def status_page(request: Request,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show what is loaded, as a page."""
    return render(request, "status.html", principal, data=status_data(store_of(request)),
                  labels=TABLE_LABELS, active="status")
