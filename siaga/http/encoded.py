"""Encoded bodies of shared results, kept by identity so a warm route does not encode again.

The risk index cache hands every request the same row list until a write bumps the data
revision (then it builds a new list). Encoding that list as JSON cost more than everything
else a warm `/risk/scores` request does on a national workspace, so its bytes are kept here,
keyed by the list's identity. Each entry holds a reference to its object, so an identity cannot
be reused by another object while its entry lives.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

ENTRIES = 16  # a few scopes x levels; the oldest goes first


class EncodedBodies:
    """A small LRU of (object, encoded bytes) by the object's identity."""

    def __init__(self, size: int = ENTRIES) -> None:
        self._size = size
        self._items: OrderedDict[int, tuple[object, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, shared: object, encode: Callable[[Any], bytes]) -> bytes:
        """Return `encode(shared)`, made once per object while it stays among the last few."""
        key = id(shared)
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] is shared:
                self._items.move_to_end(key)
                return found[1]
        body = encode(shared)
        with self._lock:
            self._items[key] = (shared, body)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return body


def json_bytes(value: Any) -> bytes:
    """Return compact JSON of `value` (dates and other objects as their text)."""
    return json.dumps(value, default=str, ensure_ascii=False, separators=(",", ":")).encode()


ROWS = EncodedBodies()


def rows_and_meta(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> bytes:
    """Return the JSON body {"meta": meta, "rows": rows}, the shared rows encoded once."""
    return b'{"meta":' + json_bytes(meta) + b',"rows":' + ROWS.encode(rows, json_bytes) + b"}"
