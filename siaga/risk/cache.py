"""A small in-process cache for index results, keyed by what they were computed from.

The vulnerability index of a regency takes a second or more to build and is read by every map
page, score table and explanation; sixteen officers opening the map at once would build it sixteen
times. Entries are keyed by the data revision (a counter every write to the index's inputs bumps),
so a stale entry is never served: it simply stops being asked for and ages out.

Builds are single-flight: when several requests miss the same key at once, one builds and the
others wait for its result instead of repeating the work.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

DEFAULT_ENTRIES = 64


class ResultCache:
    """A thread-safe least-recently-used map from keys to built results."""

    def __init__(self, max_entries: int = DEFAULT_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        """Return the entry for `key`, building it once (and keeping it) when missing."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]  # type: ignore[no-any-return]
            gate = self._building.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._entries:  # another request built it while this one waited
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return self._entries[key]  # type: ignore[no-any-return]
            value = build()  # a build that raises caches nothing; the next request retries
            with self._lock:
                self.misses += 1
                self._entries[key] = value
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
                self._building.pop(key, None)
            return value

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def clear(self) -> None:
        """Forget every entry (tests; a framework file edited on disk)."""
        with self._lock:
            self._entries.clear()
