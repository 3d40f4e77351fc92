"""The service itself: health, the API description, what is loaded."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from siaga import __version__
from siaga.domain.access import Permission
from siaga.http.deps import App
from siaga.http.security import secured

router = APIRouter(tags=["system"])


@router.get("/api/v1/health", **secured(Permission.HEALTH))
def health(siaga: App) -> dict[str, str]:
    """Answer without login: the service is up and its database answers."""
    siaga.system.probe()
    return {"status": "ok", "version": __version__, "database": siaga.store.dialect}


API_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Siaga API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>
"""


@router.get("/api/docs", include_in_schema=False, **secured(Permission.HEALTH))
def api_docs() -> HTMLResponse:
    """Show the API description in Swagger UI, every file served by this app."""
    return HTMLResponse(API_DOCS_PAGE)


@router.get("/api/v1/status", **secured(Permission.VIEW_STATUS))
def status(siaga: App) -> dict[str, Any]:
    """Return what is loaded: row counts per table and the newest imports."""
    return siaga.system.status().to_dict()
