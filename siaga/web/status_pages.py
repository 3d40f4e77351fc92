"""The status page: what the workspace has loaded."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from siaga.application.places import STATUS_TABLES
from siaga.domain.access import Permission, Principal
from siaga.http.deps import App
from siaga.http.security import current_principal, secured
from siaga.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/status", **secured(Permission.VIEW_STATUS))
def status_page(request: Request, siaga: App,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show what is loaded, as a page."""
    return render(request, "status.html", principal, data=siaga.system.status(),
                  labels=STATUS_TABLES, active="status")
