"""What every source shares: the documented record schema, time parsing, and read results.

The schema (JSON Lines keys, CSV headers): `id`, `text` (required), `title`, `url`, `author`,
`platform`, `published_at`, `lang`. Other exports are read through a column mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from siaga.datafiles.problems import RowProblem
from siaga.domain.signals import Signal, SourceKind, content_hash
from siaga.domain.timezones import WIB

FIELDS = ("id", "text", "title", "url", "author", "platform", "published_at", "lang")
OPTIONAL = FIELDS[2:]
MAX_FIELD = {"title": 1000, "url": 2000, "author": 200, "platform": 40, "lang": 16, "id": 200}
_EPOCH = re.compile(r"^\d{9,13}(\.\d+)?$")


class SourceError(ValueError):
    """An input that cannot be read at all (missing file, bad mapping, unreachable feed)."""


@dataclass
class ReadResult:
    """Signals read from one input, and the rows that were rejected (with their line numbers)."""

    signals: list[Signal] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    replies: list[tuple[int, str]] = field(default_factory=list)  # (line, reply) for SMS


def parse_time(value: Any, time_format: str | None = None) -> datetime:
    """Return an aware datetime from ISO 8601, RFC 822, epoch seconds/ms or `time_format`.

    Times without a zone are read as WIB (UTC+7), the zone of most regencies' forums.
    Raises ValueError saying what was expected.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        raise ValueError("empty time")
    moment: datetime | None = None
    if time_format:
        moment = datetime.strptime(text, time_format)
    elif _EPOCH.match(text):
        return _from_epoch(float(text))
    else:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            try:
                moment = parsedate_to_datetime(text)
            except (TypeError, ValueError):
                moment = None
    if moment is None:
        raise ValueError(
            f"time {text!r} is not ISO 8601 (2024-11-27T08:00:00+07:00), RFC 822 or epoch seconds"
        )
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _from_epoch(number: float) -> datetime:
    if number > 1e11:  # milliseconds
        number /= 1000
    return datetime.fromtimestamp(number, UTC)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def signal_from_record(
    record: Mapping[str, Any],
    kind: SourceKind,
    received_at: datetime,
    origin: str,
    *,
    time_format: str | None = None,
    defaults: Mapping[str, str] | None = None,
) -> Signal:
    """Return the signal of one record in the documented schema; raise ValueError when bad.

    A record without `id` gets its content hash as source id, so re-reading it is still
    recognised.
    """
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("field 'text' is missing or empty")
    values: dict[str, str | None] = {name: _clean(record.get(name)) for name in OPTIONAL}
    for name, default in (defaults or {}).items():
        values[name] = values.get(name) or default
    for name, limit in MAX_FIELD.items():
        found = values.get(name)
        if found is not None and len(found) > limit:
            raise ValueError(f"field {name!r} is longer than {limit} characters")
    published = None
    if values["published_at"]:
        try:
            published = parse_time(values["published_at"], time_format)
        except ValueError as exc:
            raise ValueError(f"field 'published_at': {exc}") from None
    digest = content_hash(
        text, title=values["title"], url=values["url"], author=values["author"],
        platform=values["platform"], published_at=published,
    )
    ident = _clean(record.get("id"))
    if ident is not None and len(ident) > MAX_FIELD["id"]:
        raise ValueError(f"field 'id' is longer than {MAX_FIELD['id']} characters")
    return Signal(
        source_kind=kind, source_id=ident or digest, content_hash=digest, text=text,
        received_at=received_at, title=values["title"], url=values["url"],
        author=values["author"], platform=values["platform"], published_at=published,
        lang=values["lang"], origin=origin,
    )
