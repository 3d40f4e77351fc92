"""Index frameworks as data: YAML files validated on load and compiled to weight arrays.

A framework is a tree of weighted groups (IKP: dimension → sub-dimension; TPS rawan: variable)
whose leaves are indicators. Sibling weights sum to the framework's declared ``weights_sum``;
when every sibling omits its weight they share it equally.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from siaga.datafiles.rules_yaml import Loc, YamlError, line_of, load_with_lines
from siaga.domain.risk import IndicatorKind, UnitLevel

WEIGHT_TOLERANCE = 1e-6


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message names the file and line."""


class Text(BaseModel):
    """A label in Bahasa Indonesia first, English second."""

    model_config = ConfigDict(extra="forbid")
    id: str
    en: str


class Thresholds(BaseModel):
    """Lower bounds of the high and medium classes on the 0-100 score."""

    model_config = ConfigDict(extra="forbid")
    high: float = Field(ge=0, le=100)
    medium: float = Field(ge=0, le=100)


class IndicatorSpec(BaseModel):
    """One indicator as written in the file."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    kind: IndicatorKind
    weight: float | None = Field(default=None, ge=0)
    cap: float | None = Field(default=None, gt=0)
    per: float | None = Field(default=None, gt=0)
    mitigation: Text | None = None


class GroupSpec(BaseModel):
    """A dimension, sub-dimension or variable: weighted, holding groups or indicators."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    weight: float | None = Field(default=None, ge=0)
    groups: list[GroupSpec] = []
    indicators: list[IndicatorSpec] = []


class Defaults(BaseModel):
    """Normalisation defaults for indicators that do not set their own."""

    model_config = ConfigDict(extra="forbid")
    count_cap: float = Field(default=3, gt=0)
    rate_per: float = Field(default=1000, gt=0)
    rate_cap: float = Field(default=10, gt=0)


class FrameworkSpec(BaseModel):
    """A whole framework file."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    version: str
    source: str
    notes: list[str] = []
    group_levels: list[str]
    template_level: UnitLevel
    weights_sum: float = Field(default=100, gt=0)
    defaults: Defaults = Defaults()
    thresholds: dict[Literal["province", "regency", "district", "village", "tps", "default"],
                     Thresholds]
    groups: list[GroupSpec]


@dataclass(frozen=True, slots=True)
class Indicator:
    """A compiled indicator: its place in the tree, normalisation and effective weight (0..1)."""

    id: str
    name: Text
    kind: IndicatorKind
    weight: float
    cap: float
    per: float
    path: tuple[str, ...]  # ids of the groups above it, top first
    mitigation: Text | None


@dataclass(frozen=True, slots=True)
class Group:
    """A compiled group with its effective weight in the whole score (0..1)."""

    id: str
    name: Text
    depth: int
    weight: float
    path: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    """A validated framework ready for scoring; arrays are aligned with `indicators`."""

    id: str
    title: Text
    version: str
    source: str
    notes: tuple[str, ...]
    group_levels: tuple[str, ...]
    template_level: UnitLevel
    thresholds: dict[str, Thresholds]
    indicators: tuple[Indicator, ...]
    groups: tuple[Group, ...]
    path: Path

    @property
    def weights(self) -> np.ndarray:
        """Return the effective indicator weights, summing to 1."""
        return np.array([i.weight for i in self.indicators], dtype=np.float64)

    def index_of(self, indicator_id: str) -> int:
        """Return the position of an indicator, or raise KeyError naming the framework."""
        for i, indicator in enumerate(self.indicators):
            if indicator.id == indicator_id:
                return i
        raise KeyError(f"framework {self.id} has no indicator {indicator_id!r}")

    def thresholds_for(self, level: UnitLevel) -> Thresholds:
        """Return the class thresholds of a level (the framework's default when unset)."""
        return self.thresholds.get(level.value) or self.thresholds["default"]

    def groups_at(self, depth: int) -> list[Group]:
        """Return the groups at one depth of the tree (0 = dimensions or variables)."""
        return [g for g in self.groups if g.depth == depth]


def _fail(path: Path, lines: dict[Loc, int], loc: Loc, message: str) -> FrameworkError:
    return FrameworkError(f"{path}:{line_of(lines, loc)}: {message}")


def _shares(
    items: list[Any], total: float, path: Path, lines: dict[Loc, int], loc: Loc
) -> list[float]:
    """Return each sibling's share (0..1) of its parent, checking declared weights sum up."""
    weights = [item.weight for item in items]
    if all(w is None for w in weights):
        return [1 / len(items)] * len(items)
    if any(w is None for w in weights):
        missing = next(i for i, w in enumerate(weights) if w is None)
        raise _fail(path, lines, (*loc, missing), "weight missing: give every sibling a weight "
                    "or none (then they share equally)")
    given = sum(w for w in weights if w is not None)
    if abs(given - total) > WEIGHT_TOLERANCE * total:
        raise _fail(path, lines, (*loc, 0), f"weights sum to {given:g}, declared weights_sum "
                    f"is {total:g}")
    return [float(w) / total for w in weights if w is not None]


def _compile_groups(
    spec: FrameworkSpec, path: Path, lines: dict[Loc, int]
) -> tuple[list[Group], list[Indicator]]:
    groups: list[Group] = []
    indicators: list[Indicator] = []
    seen: dict[str, Loc] = {}

    def claim(item_id: str, loc: Loc) -> None:
        if item_id in seen:
            first = line_of(lines, seen[item_id])
            raise _fail(path, lines, loc, f"id {item_id!r} already used on line {first}")
        seen[item_id] = loc

    def visit(items: list[GroupSpec], loc: Loc, share: float, above: tuple[str, ...]) -> None:
        if not items:
            raise _fail(path, lines, loc, "a group needs at least one group or indicator")
        parts = _shares(items, spec.weights_sum, path, lines, loc)
        for n, (group, part) in enumerate(zip(items, parts, strict=True)):
            here = (*loc, n)
            claim(group.id, (*here, "id"))
            weight = share * part
            groups.append(Group(group.id, group.name, len(above), weight, above))
            if group.groups and group.indicators:
                raise _fail(path, lines, here, f"group {group.id} holds both groups and "
                            "indicators; put indicators in a sub-group")
            if group.groups:
                visit(group.groups, (*here, "groups"), weight, (*above, group.id))
            else:
                add_indicators(group, (*here, "indicators"), weight, (*above, group.id))

    def add_indicators(group: GroupSpec, loc: Loc, share: float, above: tuple[str, ...]) -> None:
        if not group.indicators:
            raise _fail(path, lines, loc, f"group {group.id} has no indicators")
        parts = _shares(group.indicators, spec.weights_sum, path, lines, loc)
        for n, (ind, part) in enumerate(zip(group.indicators, parts, strict=True)):
            claim(ind.id, (*loc, n, "id"))
            cap = ind.cap or (spec.defaults.count_cap if ind.kind is IndicatorKind.COUNT
                              else spec.defaults.rate_cap if ind.kind is IndicatorKind.RATE
                              else 1.0)
            per = ind.per or spec.defaults.rate_per
            indicators.append(Indicator(ind.id, ind.name, ind.kind, share * part, cap, per,
                                        above, ind.mitigation))

    visit(spec.groups, ("groups",), 1.0, ())
    return groups, indicators


def _check_thresholds(spec: FrameworkSpec, path: Path, lines: dict[Loc, int]) -> None:
    if "default" not in spec.thresholds:
        raise _fail(path, lines, ("thresholds",), "thresholds need a 'default' entry for the "
                    "levels not listed")
    for level, bounds in spec.thresholds.items():
        if not bounds.medium < bounds.high:
            raise _fail(path, lines, ("thresholds", level), f"thresholds for {level} are out of "
                        f"order: medium ({bounds.medium:g}) must be below high ({bounds.high:g})")


def parse_framework(path: Path) -> Framework:
    """Return the framework in `path`, or raise FrameworkError naming the file and line."""
    try:
        data, lines = load_with_lines(path)
    except (YamlError, OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(str(exc) if isinstance(exc, YamlError) else f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise FrameworkError(f"{path}:1: a framework file must be a mapping with id, title, groups")
    try:
        spec = FrameworkSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = ".".join(str(part) for part in loc) or "file"
        raise _fail(path, lines, loc, f"{where}: {first['msg']}") from exc
    _check_thresholds(spec, path, lines)
    groups, indicators = _compile_groups(spec, path, lines)
    return Framework(
        id=spec.id, title=spec.title, version=spec.version, source=spec.source,
        notes=tuple(spec.notes), group_levels=tuple(spec.group_levels),
        template_level=spec.template_level,
        thresholds={str(k): v for k, v in spec.thresholds.items()},
        indicators=tuple(indicators), groups=tuple(groups), path=path,
    )


def builtin_paths() -> list[Path]:
    """Return the framework files shipped in the package."""
    folder = resources.files("siaga.risk") / "frameworks"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def framework_paths(user_dir: Path | None) -> list[Path]:
    """Return the shipped framework files, then the user's (``*.yaml`` in `user_dir`)."""
    paths = builtin_paths()
    if user_dir is not None and user_dir.is_dir():
        paths += sorted(user_dir.glob("*.yaml"))
    return paths


def load_frameworks(user_dir: Path | None = None) -> dict[str, Framework]:
    """Return every framework by id; raise FrameworkError on a bad file or a repeated id."""
    found: dict[str, Framework] = {}
    for path in framework_paths(user_dir):
        framework = _parsed(path)
        if framework.id in found:
            raise FrameworkError(f"{path}:1: framework id {framework.id!r} is already defined "
                                 f"in {found[framework.id].path}")
        found[framework.id] = framework
    return found


def _parsed(path: Path) -> Framework:
    """Return `parse_framework(path)`, parsed again only when the file changed.

    Every request that scores names a framework; parsing its YAML each time cost more than
    answering from the index cache.
    """
    try:
        stat = path.stat()
    except OSError:
        return parse_framework(path)  # let the parser say what is wrong with the path
    return _parse_version(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _parse_version(path: Path, _modified: int, _size: int) -> Framework:
    return parse_framework(path)


def get_framework(framework_id: str, user_dir: Path | None = None) -> Framework:
    """Return one framework by id, or raise FrameworkError listing the known ids."""
    frameworks = load_frameworks(user_dir)
    if framework_id not in frameworks:
        known = ", ".join(sorted(frameworks))
        raise FrameworkError(f"no framework {framework_id!r}; known: {known}")
    return frameworks[framework_id]
