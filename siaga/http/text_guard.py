"""Refuses, before any route runs, requests the app could not handle well: too large, nested too
deeply, or carrying a character no database can store.

Size: a body over its route's limit (`body_limit`) is refused with 413, from Content-Length
before anything is read, and for a chunked body while it streams, never held whole.
Nesting: a JSON body nested deeper than `MAX_DEPTH` is refused with 422 (the parsers would
recurse until Python's own limit breaks them, a server error).
Text: PostgreSQL text cannot hold NUL (0x00), so such a value would fail deep inside a write as a
server error, and SQLite would store it silently; neither is what the sender should get. A
JSON string may also carry half of a surrogate pair (`"\\ud800"`), which is no character at
all and cannot be encoded for either database. The guard looks at the path, the query string,
URL-encoded bodies, and every body the app may parse as JSON whatever its declared
Content-Type (the report route parses its body itself; FastAPI validates a text/plain body as
JSON too), and answers 422 with a message that says what was wrong.
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

# Body limits: 1 MiB for the JSON and form bodies of most routes; more where files come in.
DEFAULT_BODY_LIMIT = 1024 * 1024
BODY_LIMITS = (  # (method, path prefix, bytes), first match wins
    ("POST", "/api/v1/reports", 15 * 1024 * 1024 + 64 * 1024),  # base64 attachments
    ("POST", "/api/v1/imports/", 21 * 1024 * 1024),  # a 20 MiB file plus multipart framing
)
MAX_DEPTH = 32  # JSON arrays and objects inside each other

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
    None. A body of any other type that looks like JSON is checked as JSON."""
    kind = _kind(content_type, body)
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
            except (ValueError, RecursionError):
                return None  # malformed JSON is the route's to report; depth is checked first
    return None


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"?', re.DOTALL)
_OPEN_CLOSE = bytes.maketrans(b"[{]}", b"\x01\x01\x02\x02")


def json_depth(body: bytes) -> int:
    """Return how deeply arrays and objects nest in a JSON text (brackets inside strings do
    not count); malformed text gets the depth its brackets suggest."""
    if body.count(b"[") + body.count(b"{") <= MAX_DEPTH:
        return min(MAX_DEPTH, body.count(b"[") + body.count(b"{"))
    brackets = _STRING.sub(b"", body).translate(_OPEN_CLOSE)
    depth = deepest = 0
    for byte in brackets:
        if byte == 1:
            depth += 1
            deepest = max(deepest, depth)
        elif byte == 2:
            depth -= 1
    return deepest


def body_limit(method: str, path: str) -> int:
    """Return the largest body, in bytes, a request to this route may carry."""
    for verb, prefix, limit in BODY_LIMITS:
        if method == verb and path.startswith(prefix):
            return limit
    return DEFAULT_BODY_LIMIT


def unstorable_in_target(scope: Scope) -> str | None:
    """Return "path" or "query" when the request target decodes to a NUL, else None."""
    if "\x00" in scope.get("path", ""):
        return "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if "\x00" in unquote(query):
        return "query"
    return None


class TextGuard:
    """ASGI middleware: 413 for a body over its route's limit, 422 for JSON nested too deeply
    and for any request whose path, query or text body holds a NUL, or whose JSON holds half a
    surrogate pair."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unchanged, or answer 413 or 422 saying what was wrong."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = unstorable_in_target(scope)
        if where is not None:
            await _refuse(send, 422, f"{MESSAGE} ({where})")
            return
        headers = dict(scope.get("headers") or [])
        limit = body_limit(scope.get("method", ""), scope.get("path", ""))
        declared = _declared_length(headers)
        if declared is not None and declared > limit:
            await _refuse(send, 413, _too_large(declared, limit))
            return
        messages, body, size = await _read_body(receive, limit)
        if size > limit:
            await _refuse(send, 413, _too_large(size, limit))
            return
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        problem = _body_problem(content_type, body)
        if problem is not None:
            await _refuse(send, 422, problem)
            return
        await self.app(scope, _replay(messages, receive), send)


def _body_problem(content_type: str, body: bytes) -> str | None:
    """Return why a read body is refused (too deep, unstorable text), else None."""
    if _kind(content_type, body) == "json" and json_depth(body) > MAX_DEPTH:
        return (f"JSON bersarang terlalu dalam / JSON nested deeper than {MAX_DEPTH} levels")
    where = unstorable_in_body(content_type, body)
    return None if where is None else f"{MESSAGE} ({where})"


def _declared_length(headers: dict[bytes, bytes]) -> int | None:
    try:
        return int(headers[b"content-length"])
    except (KeyError, ValueError):
        return None


def _too_large(size: int, limit: int) -> str:
    return (f"permintaan terlalu besar / request too large: {size:,} bytes or more, "
            f"limit {limit:,}")


def _kind(content_type: str, body: bytes = b"") -> str | None:
    """Return "json" or "form" for the bodies the guard reads, else None (multipart).

    A body without a JSON content type is still read as JSON when it looks like JSON: routes
    that parse their body themselves, and FastAPI for text/plain, would take it as JSON.
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    if kind == "application/x-www-form-urlencoded":
        return "form"
    if kind.startswith("multipart/"):
        return None
    return "json" if body.lstrip()[:1] in (b"{", b"[", b'"') else None


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes, int]:
    """Return the messages read, the body they carry and its size, stopping once the size is
    past `limit` (the body is then incomplete and must be refused)."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, b"".join(chunks), size
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > limit:
            return messages, b"", size
        if not message.get("more_body", False):
            return messages, b"".join(chunks), size


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()
    return replayed


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
