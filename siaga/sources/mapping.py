"""Column mappings: how another tool's export (CSV or JSON Lines) maps onto the signal schema.

A mapping is a small YAML file::

    columns:            # schema field: column (or key) in the export
      id: tweet_id
      text: full_text
      published_at: created_at
      author: user.screen_name   # dotted keys reach into nested JSON objects
    time_format: "%a %b %d %H:%M:%S %z %Y"   # optional, strptime format of published_at
    defaults:           # optional constants for fields the export lacks
      platform: twitter
      lang: id
    encoding: utf-8     # optional, CSV only (latin-1 for the Ibrohim corpora)
    delimiter: ","      # optional, CSV only
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from siaga.datafiles.rules_yaml import YamlError, parse_text
from siaga.sources.base import FIELDS, SourceError

_KEYS = {"columns", "time_format", "defaults", "encoding", "delimiter"}


@dataclass(frozen=True)
class ColumnMapping:
    """Schema field → export column, with an optional time format, defaults and CSV dialect."""

    columns: dict[str, str] = field(default_factory=lambda: {f: f for f in FIELDS})
    time_format: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8-sig"
    delimiter: str = ","

    def apply(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Return the record with the schema's field names (missing columns are left out)."""
        out: dict[str, Any] = {}
        for name, column in self.columns.items():
            value = _dig(record, column)
            if value is not None:
                out[name] = value
        return out


def _dig(record: Mapping[str, Any], column: str) -> Any:
    if column in record:
        return record[column]
    value: Any = record
    for part in column.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def load_mapping(path: Path) -> ColumnMapping:
    """Return the mapping in a YAML file; raise SourceError naming the file and the problem."""
    try:
        data = parse_text(path.read_text(encoding="utf-8"), f"mapping file {path}")
    except OSError as exc:
        raise SourceError(f"mapping file {path}: {exc.strerror or exc}") from exc
    except YamlError as exc:  # 'mapping file <path>:<line>: not valid YAML (...)'
        raise SourceError(str(exc)) from exc
    if not isinstance(data, dict):
        raise SourceError(f"mapping file {path}: expected a mapping with a 'columns' section")
    unknown = set(data) - _KEYS
    if unknown:
        raise SourceError(
            f"mapping file {path}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}"
        )
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise SourceError(f"mapping file {path}: 'columns' must map schema fields to columns")
    bad = sorted(set(columns) - set(FIELDS))
    if bad:
        raise SourceError(
            f"mapping file {path}: unknown fields {bad} in 'columns'; fields: {', '.join(FIELDS)}"
        )
    if "text" not in columns:
        raise SourceError(f"mapping file {path}: 'columns' must name the column of 'text'")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - set(FIELDS[2:]):
        raise SourceError(f"mapping file {path}: 'defaults' may set only {', '.join(FIELDS[2:])}")
    return ColumnMapping(
        columns={str(k): str(v) for k, v in columns.items()},
        time_format=data.get("time_format"),
        defaults={str(k): str(v) for k, v in defaults.items()},
        encoding=str(data.get("encoding", "utf-8-sig")),
        delimiter=str(data.get("delimiter", ",")),
    )
