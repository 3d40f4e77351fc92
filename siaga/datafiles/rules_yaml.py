"""The one reader of YAML rules files (alert rules, readiness rules, case routing, risk
frameworks): errors name the file and the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]


class YamlError(ValueError):
    """A YAML file that cannot be read, with the file and line in the message."""


def _walk(node: yaml.Node, loader: yaml.SafeLoader, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            if key in mapping:
                raise YamlError(f"{key_node.start_mark.line + 1}: key {key!r} appears twice")
            mapping[key] = _walk(value_node, loader, (*loc, key), lines)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, loader, (*loc, i), lines) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def load_with_lines(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Return the parsed document of `path` and a map from each value's location to its line."""
    text = path.read_text(encoding="utf-8")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        data = _walk(node, loader, (), lines) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", exc)
        raise YamlError(f"{path}:{line}: not valid YAML ({problem})") from exc
    except YamlError as exc:
        raise YamlError(f"{path}:{exc}") from exc
    finally:
        loader.dispose()
    return data, lines


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """Return the line of the deepest known location on the path `loc` (1 when none is known)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def parse_text(text: str, where: str) -> Any:
    """Return the parsed YAML document in `text` (read from `where`); raise YamlError
    '<where>:<line>: not valid YAML (<problem>)' when it is not YAML."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise YamlError(f"{where}{line}: not valid YAML ({exc})") from exc
