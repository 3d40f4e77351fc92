"""The meeting briefing over HTTP: the same document `siaga brief` writes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request, Response

from siaga.application.errors import RiskError
from siaga.application.risk import DEFAULT_FRAMEWORK
from siaga.domain.access import Permission
from siaga.http.deps import App, framework_of
from siaga.http.security import secured

router = APIRouter(prefix="/api/v1/briefings", tags=["briefings"])
MEDIA = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@router.get("", **secured(Permission.VIEW_BRIEFING))
def briefing(request: Request, siaga: App, scope: str,
             format: str = Query("pdf", pattern="^(pdf|html)$"),
             period: str = "7d", as_of: str | None = None,
             lang: str = Query("id", pattern="^(id|en)$"),
             framework: str = DEFAULT_FRAMEWORK) -> Response:
    """Return the briefing of a province, regency or district as a PDF (or HTML) download."""
    chosen = framework_of(request, framework)
    try:
        rendered = siaga.briefing.make(chosen, scope, period=period, as_of=as_of, lang=lang,
                                       fmt=format)
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc
    b = rendered.briefing
    name = f"bahan-rakor-{b.scope}-{b.as_of:%Y%m%d-%H%M}.{format}"
    disposition = "attachment" if format == "pdf" else "inline"
    return Response(rendered.content, media_type=MEDIA[format],
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"'})
