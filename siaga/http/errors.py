"""The last line of defence: an exception no route handled becomes a JSON answer, and the
connection stays open.

Starlette's own handler answers 500 and then re-raises, and the server closes a keep-alive
connection whose application raised after answering, so one bad request cost the client its
connection. This middleware answers instead and logs the exception. An OverflowError is a
date or number out of the range Python can compute with, which only input can bring: 422.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from siaga.http.text_guard import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("siaga.api")


class ErrorShield:
    """ASGI middleware: a JSON 422 for an OverflowError, a JSON 500 for any other exception
    raised before the answer started; either way the exception is logged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; answer for it when it raises before starting its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise
            log.exception("request %s %s failed", scope.get("method"), scope.get("path"))
            if isinstance(exc, OverflowError):
                await _answer(send, 422, "tanggal atau angka di luar jangkauan / a date or "
                              "number is out of range")
            else:
                await _answer(send, 500, "kesalahan server / internal server error")


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _finite(value: Any) -> Any:
    """Return the value with every infinite or NaN float written as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


async def invalid_request(_request: Request, exc: Exception) -> Response:
    """Answer a request that failed validation with 422 and the problems.

    FastAPI's own answer echoes the input, and JSON cannot carry the infinity that a number
    like 1e999999 decodes to: writing the answer failed with a 500. Here such a value is
    echoed as text.
    """
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": _finite(jsonable_encoder(exc.errors()))}, status_code=422)
