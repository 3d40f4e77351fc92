"""Readiness rules (escorts, medical teams, ambulances) read from an editable YAML file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from siaga.datafiles.rules_yaml import YamlError, parse_text

RULES_FILE = "readiness_rules.yaml"


class RulesError(ValueError):
    """A readiness rules file that cannot be used, with the file and the field at fault."""


@dataclass(frozen=True, slots=True)
class Band:
    """Requirements of one event whose crowd is at most `max_crowd` (None: no upper bound)."""

    max_crowd: int | None
    escort_personnel: int
    medical_teams: int
    ambulances: int
    medical_post: bool
    assumption: bool
    note: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """What one event needs: escort personnel, medical teams, ambulances, a medical post."""

    escort_personnel: int
    medical_teams: int
    ambulances: int
    medical_post: bool
    assumption: bool


@dataclass(frozen=True)
class ReadinessRules:
    """The parsed rules file."""

    path: str
    bands: tuple[Band, ...]
    risk_multiplier: dict[str, float]
    unknown_crowd: int
    large_crowd: int
    tps_per_medical_team: int
    ambulances_per_district: int
    medical_posts_per_district: int
    officer_screening_target: float
    raw: dict[str, Any]

    def requirement(self, crowd: int | None, risk_class: str = "low") -> Requirement:
        """Return what an event of this crowd needs in an area of this risk class."""
        size = self.unknown_crowd if crowd is None else crowd
        band = next(b for b in self.bands if b.max_crowd is None or size <= b.max_crowd)
        escorts = math.ceil(band.escort_personnel * self.risk_multiplier.get(risk_class, 1.0))
        return Requirement(escorts, band.medical_teams, band.ambulances, band.medical_post,
                           band.assumption)


def _number(section: dict[str, Any], key: str, where: str) -> Any:
    value = section.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise RulesError(f"{where}: `{key}` must be a number ≥ 0, found {value!r}")
    return value


def _band(entry: Any, n: int, path: str) -> Band:
    where = f"{path}: bands[{n}]"
    if not isinstance(entry, dict):
        raise RulesError(f"{where} must be a mapping")
    top = entry.get("max_crowd")
    if top is not None and (not isinstance(top, int) or top < 0):
        raise RulesError(f"{where}: `max_crowd` must be a whole number or null, found {top!r}")
    return Band(top, int(_number(entry, "escort_personnel", where)),
                int(_number(entry, "medical_teams", where)),
                int(_number(entry, "ambulances", where)), bool(entry.get("medical_post")),
                bool(entry.get("assumption", True)), str(entry.get("note", "")))


def parse_rules(text: str, path: str) -> ReadinessRules:
    """Return rules parsed from YAML text; raise RulesError naming the field at fault."""
    try:
        data = parse_text(text, path)
    except YamlError as exc:
        raise RulesError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("bands"), list) \
            or not data["bands"]:
        raise RulesError(f"{path}: expected a mapping with a non-empty `bands` list")
    bands = tuple(_band(b, n, path) for n, b in enumerate(data["bands"]))
    bounded = [b.max_crowd for b in bands[:-1] if b.max_crowd is not None]
    if bands[-1].max_crowd is not None or len(bounded) != len(bands) - 1 \
            or bounded != sorted(bounded):
        raise RulesError(f"{path}: bands must rise by max_crowd and only the last may be null")
    multiplier = data.get("risk_multiplier") or {}
    polling = data.get("polling_day") or {}
    return ReadinessRules(
        path, bands,
        {k: float(_number(multiplier, k, f"{path}: risk_multiplier"))
         for k in ("low", "medium", "high")},
        int(_number(data.get("unknown_crowd") or {}, "value", f"{path}: unknown_crowd")),
        int(_number(data.get("large_crowd") or {}, "value", f"{path}: large_crowd")),
        max(1, int(_number(polling, "tps_per_medical_team", f"{path}: polling_day"))),
        int(_number(polling, "ambulances_per_district", f"{path}: polling_day")),
        int(_number(polling, "medical_posts_per_district", f"{path}: polling_day")),
        float(_number(polling, "officer_screening_target", f"{path}: polling_day")),
        data)


def load_rules(home: Path | None = None) -> ReadinessRules:
    """Return the user's rules (home/readiness_rules.yaml) if present, else the shipped ones."""
    if home is not None and (home / RULES_FILE).is_file():
        own = home / RULES_FILE
        return parse_rules(own.read_text(encoding="utf-8"), str(own))
    shipped = resources.files("siaga").joinpath(f"data/{RULES_FILE}")
    return parse_rules(shipped.read_text(encoding="utf-8"), f"siaga/data/{RULES_FILE}")
