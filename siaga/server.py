"""The web app factory: one application object, the JSON API and the dashboard over it.

Each call builds its own `Siaga` (and store, unless one is given) from the settings. The route
modules of `siaga.api` and `siaga.web` never import each other; both stand on `siaga.http`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from siaga import __version__
from siaga.api import (
    auth_routes,
    briefing_routes,
    case_routes,
    detect_routes,
    events_routes,
    import_routes,
    regions_routes,
    report_routes,
    risk_routes,
    system_routes,
)
from siaga.application import Siaga
from siaga.http.errors import ErrorShield, invalid_request
from siaga.http.headers import SecurityHeaders
from siaga.http.security import LoginRequired
from siaga.http.text_guard import TextGuard
from siaga.settings import Settings
from siaga.store import Store
from siaga.web import (
    detection_pages,
    forum_pages,
    login_pages,
    map_pages,
    status_pages,
    work_pages,
)
from siaga.web.rendering import template_env

API_ROUTERS = (system_routes.router, auth_routes.router, regions_routes.router,
               risk_routes.router, events_routes.router, report_routes.router,
               case_routes.router, detect_routes.router, import_routes.router,
               briefing_routes.router)
PAGE_ROUTERS = (status_pages.router, login_pages.router, map_pages.router, work_pages.router,
                detection_pages.router, forum_pages.router)


def create_app(settings: Settings, store: Store | None = None) -> FastAPI:
    """Return the Siaga web app bound to the settings' database (or the given store)."""
    siaga = Siaga(settings, store)
    siaga.casework  # noqa: B018 - read the routing rules now: a broken file fails at start

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        siaga.close()

    app = FastAPI(
        title="Siaga",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served by system_routes from the installed package, not from a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.siaga = siaga
    app.state.store = siaga.store
    app.state.settings = settings
    app.state.risk_cache = siaga.risk_cache
    app.state.templates = template_env()
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
    app.state.routers = API_ROUTERS + PAGE_ROUTERS
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
