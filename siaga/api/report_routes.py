"""Public report routes: anyone may submit a report and check its status by receipt code.

Authenticated routes (review queue, cases) come with the login of issue 7.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.concurrency import run_in_threadpool

from siaga.application.errors import CaseworkError, NotFound, TooManyReports
from siaga.cases.attachments import AttachmentError
from siaga.cases.intake import MAX_TEXT, IntakeError, source_key
from siaga.domain.access import Permission
from siaga.domain.cases import Channel, NewReport, Reporter
from siaga.domain.timezones import in_range
from siaga.http.client import request_address
from siaga.http.deps import App
from siaga.http.security import secured

MAX_BODY = 15 * 1024 * 1024


class AttachmentIn(BaseModel):
    """A file sent with a report, as base64."""

    filename: str = Field(max_length=255)
    content_base64: str = Field(max_length=MAX_BODY)


class ReportIn(BaseModel):
    """A public report."""

    # Twice the stored limit: the text is trimmed first, and the service says how long it was.
    text: str = Field(min_length=1, max_length=2 * MAX_TEXT, description="What happened.")
    region: str | None = Field(default=None, max_length=20,
                               description="Region code, e.g. 15.02 or 1502.")
    url: str | None = Field(default=None, max_length=2000)
    occurred_at: datetime | None = None
    anonymous: bool = False
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_contact: str | None = Field(default=None, max_length=200)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=5)
    client_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="An id the sender makes for this report (e.g. a UUID); sending the same "
                    "id again returns the first report's receipt instead of storing a double.")

    @field_validator("occurred_at")
    @classmethod
    def _plausible(cls, value: datetime | None) -> datetime | None:
        return None if value is None else in_range(value, "occurred_at")


class ReceiptOut(BaseModel):
    """What the public learns about a report: its receipt code and status, nothing else."""

    receipt: str
    status: str
    received_at: datetime


def _decode(files: list[AttachmentIn]) -> list[tuple[str, bytes]]:
    decoded = []
    for item in files:
        try:
            decoded.append((item.filename, base64.b64decode(item.content_base64, validate=True)))
        except (binascii.Error, ValueError):
            raise HTTPException(422, f"lampiran {item.filename}: base64 tidak sah / attachment "
                                "is not valid base64") from None
    return decoded


router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post("", status_code=201, response_model=ReceiptOut,
             **secured(Permission.SUBMIT_REPORT))
async def create(request: Request, siaga: App) -> dict[str, Any]:
    """Submit a report without an account; answers with the receipt code to check later.

    The body is JSON: text (required), region, url, occurred_at, anonymous, reporter_name,
    reporter_contact, attachments [{filename, content_base64}]. It is read raw so an
    oversize body is refused with 413 before it is parsed.
    """
    declared = int(request.headers.get("content-length") or 0)
    body = b"" if declared > MAX_BODY else await request.body()
    if max(declared, len(body)) > MAX_BODY:
        raise HTTPException(413, f"permintaan terlalu besar / request too large: "
                            f"{max(declared, len(body)):,} bytes, limit {MAX_BODY:,}")
    try:
        payload = ReportIn.model_validate_json(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in exc.errors())
        raise HTTPException(422, f"isian tidak sah / invalid report: {problems}") from exc
    name = None if payload.anonymous else payload.reporter_name
    new = NewReport(text=payload.text, channel=Channel.PUBLIC, region=payload.region,
                    url=payload.url, occurred_at=payload.occurred_at,
                    reporter=Reporter(name, payload.reporter_contact) if name else None,
                    client_id=payload.client_id)
    sender = source_key("ip", request_address(request))
    try:
        # The store is blocking; keep the event loop free for other requests.
        stored = await run_in_threadpool(
            siaga.reports.submit, new, anonymous=payload.anonymous, source_hash=sender,
            files=_decode(payload.attachments))
    except TooManyReports as exc:
        raise HTTPException(429, str(exc)) from exc
    except AttachmentError as exc:
        raise HTTPException(413 if exc.too_large else 422, str(exc)) from exc
    except (CaseworkError, IntakeError) as exc:
        raise HTTPException(422, str(exc)) from exc
    found = await run_in_threadpool(siaga.reports.receipt, stored.receipt)
    return found.to_dict()


@router.get("/receipt/{code}", response_model=ReceiptOut,
            **secured(Permission.CHECK_RECEIPT))
def by_receipt(code: str, siaga: App) -> dict[str, Any]:
    """Return the status of the report with this receipt code, and nothing else."""
    try:
        found = siaga.reports.receipt(code)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return found.to_dict()
