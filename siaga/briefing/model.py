"""What a briefing holds: plain records, filled by `collect` and written up by `summary`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Ranked:
    """A unit among the most vulnerable: its score, class, change and the reasons for it."""

    code: str
    name: str
    score: float
    klass: str
    change: float | None
    reasons: tuple[str, ...]
    tps_rawan: int = 0


@dataclass(frozen=True)
class Recommendation:
    """An action for one agency, with the data it rests on (so it can be checked)."""

    agency: str
    action: str
    basis: str


@dataclass(frozen=True)
class DataSource:
    """Where a part of the briefing comes from, and how fresh it is."""

    name: str
    as_of: str
    note: str = ""


@dataclass
class Briefing:
    """Everything one briefing shows, in the language it was asked in."""

    scope: str
    scope_name: str
    scope_level: str
    unit_level: str
    lang: str
    as_of: datetime
    since: datetime
    period_days: int
    framework: str
    framework_title: str
    map_svg: str
    units_total: int
    class_counts: dict[str, int]
    top_units: list[Ranked]
    top_tps: list[Ranked]
    rising: list[Ranked]
    demo: bool
    recommendations: list[Recommendation] = field(default_factory=list)
    sources: list[DataSource] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    unit_scores: dict[str, float] = field(default_factory=dict)  # every unit shown, for the next
    compared_to: datetime | None = None  # as-of of the briefing the changes are measured from
