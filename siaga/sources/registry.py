"""The one list of input kinds `siaga ingest` reads: each kind's reader and what it needs.

A new kind is one entry here (a reader with the shared signature, and whether it takes a
column mapping or the village list); the CLI's `--source-type` choices and the reading
code both come from this list, so nothing else names the kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from siaga.sources.base import ReadResult, SourceError
from siaga.sources.feeds import read_feed
from siaga.sources.field_reports import VillageDirectory, read_messages
from siaga.sources.files import read_csv, read_jsonl
from siaga.sources.mapping import ColumnMapping


@dataclass(frozen=True)
class ReadOptions:
    """What some readers need besides the bytes: a column mapping, the village list."""

    mapping: ColumnMapping | None = None
    villages: VillageDirectory | None = None


Reader = Callable[[bytes, str, datetime, ReadOptions], ReadResult]


@dataclass(frozen=True)
class SourceKind:
    """One input kind: its name, a line of help, its reader, and what the reader needs."""

    name: str
    help: str
    reader: Reader
    takes_mapping: bool = False
    needs_villages: bool = False


def _villages_of(options: ReadOptions) -> VillageDirectory:
    if options.villages is None:
        raise SourceError("field reports need the village list (SIAGA_DATA_DIR)")
    return options.villages


KINDS: dict[str, SourceKind] = {kind.name: kind for kind in (
    SourceKind("jsonl", "JSON Lines, one record a line (the documented schema or a mapping)",
               lambda c, n, t, o: read_jsonl(c, n, t, o.mapping), takes_mapping=True),
    SourceKind("csv", "CSV with a header (the documented schema or a mapping)",
               lambda c, n, t, o: read_csv(c, n, t, o.mapping), takes_mapping=True),
    SourceKind("rss", "an RSS or Atom feed, a file or an http(s) URL",
               lambda c, n, t, o: read_feed(c, n, t)),
    SourceKind("sms", "field reports, one SMS-style message a line",
               lambda c, n, t, o: read_messages(c, n, t, _villages_of(o)),
               needs_villages=True),
)}


def kind_of(name: str) -> SourceKind:
    """Return the kind called `name`, or raise SourceError listing the known ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise SourceError(f"unknown source type {name!r}; known: {', '.join(KINDS)}") from None


def read(name: str, content: bytes, source: str, received_at: datetime, *,
         mapping: ColumnMapping | None = None,
         villages: VillageDirectory | None = None) -> ReadResult:
    """Return the signals and numbered problems of one input of kind `name`.

    A mapping given to a kind that takes none is refused, as is a kind no one knows.
    """
    kind = kind_of(name)
    if mapping is not None and not kind.takes_mapping:
        takes = ", ".join(k.name for k in KINDS.values() if k.takes_mapping)
        raise SourceError(f"--mapping applies to {takes} sources only")
    return kind.reader(content, source, received_at, ReadOptions(mapping, villages))
