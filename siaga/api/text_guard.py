"""Refuses requests whose text carries a character no database can store, before any route runs.

PostgreSQL text cannot hold NUL (0x00), so such a value would fail deep inside a write as a
server error, and SQLite would store it silently; neither is what the sender should get. A
JSON string may also carry half of a surrogate pair (`"\\ud800"`), which is no character at
all and cannot be encoded for either database. The guard looks at the path, the query string,
and JSON or URL-encoded bodies, and answers 422 with a message that says what was wrong.
Multipart uploads are files, which may hold any byte; their parsers decide what a NUL means.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Bodies past this size are handed on unread: every route that takes one refuses it itself
# (reports at 15 MiB), and the guard must not hold a large upload in memory to look at it.
INSPECT_LIMIT = 16 * 1024 * 1024

MESSAGE = ("teks tidak boleh memuat karakter NUL (0x00) atau separuh pasangan surrogate / "
           "text must not contain the NUL character (0x00) or half a surrogate pair")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A JSON escape that may decode to NUL or to half a surrogate pair.
_RISKY_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def holds_unstorable(value: Any) -> bool:
    """Return True when a decoded JSON value has a NUL or a lone surrogate in any string, key
    or nested item."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(holds_unstorable(k) or holds_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_unstorable(item) for item in value)
    return False


def unstorable_in_body(content_type: str, body: bytes) -> str | None:
    """Return "body" when a JSON or form body holds a NUL (JSON: or a lone surrogate), else
    None."""
    kind = _kind(content_type)
    if kind == "form":
        if b"\x00" in body or b"%00" in body:
            text = body.decode("latin-1")
            if any("\x00" in k or "\x00" in v for k, v in parse_qsl(text, keep_blank_values=True)):
                return "body"
        return None
    if kind == "json":
        if b"\x00" in body:
            return "body"
        # Cheap test first: a JSON NUL or surrogate half is always written as an escape.
        if _RISKY_ESCAPE.search(body):
            try:
                return "body" if holds_unstorable(json.loads(body)) else None
            except ValueError:
                return None  # malformed JSON is the route's to report
    return None


def unstorable_in_target(scope: Scope) -> str | None:
    """Return "path" or "query" when the request target decodes to a NUL, else None."""
    if "\x00" in scope.get("path", ""):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if "\x00" in unquote(query):
        return "query"
    return None


class TextGuard:
    """ASGI middleware: 422 for any request whose path, query or text body holds a NUL, or
    whose JSON holds half a surrogate pair."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unchanged, or answer 422 when it carries a NUL."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = unstorable_in_target(scope)
        if where is not None:
            await _refuse(send, where)
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if _kind(content_type) is None:
            await self.app(scope, receive, send)
            return
        messages, body, whole = await _read_body(receive)
        where = unstorable_in_body(content_type, body) if whole else None
        if where is not None:
            await _refuse(send, where)
            return
        await self.app(scope, _replay(messages, receive), send)


def _kind(content_type: str) -> str | None:
    """Return "json" or "form" for the body kinds the guard reads, else None."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    return "form" if kind == "application/x-www-form-urlencoded" else None


async def _read_body(receive: Receive) -> tuple[list[Message], bytes, bool]:
    """Return the messages read, the body they carry, and whether that is the whole body."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, b"".join(chunks), False
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body", False):
            return messages, b"".join(chunks), True
        if size > INSPECT_LIMIT:
            return messages, b"", False


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()
    return replayed


async def _refuse(send: Send, where: str) -> None:
    body = json.dumps({"detail": f"{MESSAGE} ({where})"}).encode()
    await send({"type": "http.response.start", "status": 422,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
