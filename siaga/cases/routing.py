"""The routing rules file: lead and supporting agencies, deadlines and legal references per type."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from siaga.datafiles.rules_yaml import Loc, YamlError, line_of, load_with_lines
from siaga.domain.cases import CaseStatus, CaseType
from siaga.domain.roles import AGENCIES

OPENED = "opened"


class RulesError(ValueError):
    """A routing rules file that cannot be used, naming the file and line."""


@dataclass(frozen=True)
class DeadlineRule:
    """One deadline: from entering `starts` until entering one of `stops`."""

    name: str
    starts: str
    stops: frozenset[CaseStatus]
    hours: float
    urgent_hours: float
    legal_ref: str | None
    assumption: bool
    note: str | None

    def hours_for(self, urgent: bool) -> float:
        """Return the hours allowed, urgent or not."""
        return self.urgent_hours if urgent else self.hours


@dataclass(frozen=True)
class TypeRule:
    """Routing of one case type."""

    case_type: CaseType
    label: str
    lead: str
    supporting: tuple[str, ...]
    deadlines: tuple[DeadlineRule, ...]


@dataclass(frozen=True)
class Rules:
    """The whole rules file."""

    path: Path
    escalate_to: str
    types: dict[CaseType, TypeRule]
    takedown_categories: dict[str, str]
    legal_articles: dict[str, str]

    def route(self, case_type: CaseType) -> TypeRule:
        """Return the rule of a case type."""
        return self.types[case_type]


def builtin_rules_path() -> Path:
    """Return the path of the shipped rules file."""
    return Path(str(resources.files("siaga.cases").joinpath("rules/routing.yaml")))


class _Reader:
    def __init__(self, path: Path, lines: dict[Loc, int]) -> None:
        self.path, self.lines = path, lines

    def fail(self, loc: Loc, message: str) -> RulesError:
        return RulesError(f"{self.path}:{line_of(self.lines, loc)}: {message}")

    def mapping(self, value: Any, loc: Loc) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(loc, f"{'.'.join(map(str, loc)) or 'file'} must be a mapping")
        return value

    def agency(self, value: Any, loc: Loc) -> str:
        if value not in AGENCIES:
            raise self.fail(loc, f"unknown agency {value!r}; expected one of {', '.join(AGENCIES)}")
        return str(value)

    def hours(self, value: Any, loc: Loc) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(loc, f"{loc[-1]} must be a positive number of hours, got {value!r}")
        return float(value)

    def status(self, value: Any, loc: Loc) -> CaseStatus:
        try:
            return CaseStatus(value)
        except ValueError:
            raise self.fail(loc, f"unknown case status {value!r}") from None

    def deadline(self, raw: Any, loc: Loc) -> DeadlineRule:
        item = self.mapping(raw, loc)
        starts = item.get("starts", OPENED)
        if starts != OPENED:
            self.status(starts, (*loc, "starts"))
        stops = item.get("stops")
        if not isinstance(stops, list) or not stops:
            raise self.fail((*loc, "stops"), "stops must be a non-empty list of statuses")
        hours = self.hours(item.get("hours"), (*loc, "hours"))
        legal, assumption = item.get("legal_ref"), bool(item.get("assumption", False))
        if not legal and not assumption:
            raise self.fail(loc, "a deadline needs legal_ref, or assumption: true when no "
                                 "law sets it")
        return DeadlineRule(
            name=str(item.get("name") or f"deadline_{loc[-1]}"), starts=str(starts),
            stops=frozenset(self.status(s, (*loc, "stops", i)) for i, s in enumerate(stops)),
            hours=hours, urgent_hours=self.hours(item.get("urgent_hours", hours),
                                                 (*loc, "urgent_hours")),
            legal_ref=str(legal) if legal else None, assumption=assumption,
            note=str(item["note"]) if item.get("note") else None)

    def type_rule(self, case_type: CaseType, raw: Any, loc: Loc) -> TypeRule:
        item = self.mapping(raw, loc)
        supporting = item.get("supporting") or []
        if not isinstance(supporting, list):
            raise self.fail((*loc, "supporting"), "supporting must be a list of agencies")
        deadlines = item.get("deadlines") or []
        if not isinstance(deadlines, list) or not deadlines:
            raise self.fail(loc, f"type {case_type.value} needs at least one deadline")
        return TypeRule(
            case_type=case_type, label=str(item.get("label", case_type.value)),
            lead=self.agency(item.get("lead"), (*loc, "lead")),
            supporting=tuple(self.agency(a, (*loc, "supporting", i))
                             for i, a in enumerate(supporting)),
            deadlines=tuple(self.deadline(d, (*loc, "deadlines", i))
                            for i, d in enumerate(deadlines)))


def load_rules(path: Path | None = None) -> Rules:
    """Return the rules in `path` (default: the shipped file), checked line by line."""
    path = path or builtin_rules_path()
    try:
        data, lines = load_with_lines(path)
    except (YamlError, OSError) as exc:
        raise RulesError(str(exc)) from exc
    reader = _Reader(path, lines)
    top = reader.mapping(data, ())
    types = reader.mapping(top.get("types"), ("types",))
    rules: dict[CaseType, TypeRule] = {}
    for key, raw in types.items():
        try:
            case_type = CaseType(key)
        except ValueError:
            raise reader.fail(("types", key), f"unknown case type {key!r}; expected one of "
                              f"{', '.join(t.value for t in CaseType)}") from None
        rules[case_type] = reader.type_rule(case_type, raw, ("types", key))
    missing = [t.value for t in CaseType if t not in rules]
    if missing:
        raise reader.fail(("types",), f"no rule for case type(s): {', '.join(missing)}")
    return Rules(
        path=path, escalate_to=reader.agency(top.get("escalate_to"), ("escalate_to",)),
        types=rules,
        takedown_categories={str(k): str(v) for k, v in
                             reader.mapping(top.get("takedown_categories", {}),
                                            ("takedown_categories",)).items()},
        legal_articles={str(k): str(v) for k, v in
                        reader.mapping(top.get("legal_articles", {}), ("legal_articles",)).items()})
