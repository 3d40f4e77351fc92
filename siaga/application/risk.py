"""The vulnerability index, its maps and the meeting briefing.

Read methods pass the application's index cache, so a table asked for twice in one revision of
the index inputs is computed once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from siaga.application.concern import Concern
from siaga.domain.risk import ObservationSource, UnitLevel
from siaga.risk.framework import Framework, get_framework, load_frameworks
from siaga.services import briefing as briefing_service
from siaga.services import risk as risk_service
from siaga.services.events import list_events
from siaga.services.maps import RiskMap, alert_points, event_points, risk_map, signal_points

DEFAULT_FRAMEWORK = "tps-rawan-pilkada-2024"


class Risk(Concern):
    """Frameworks, scores, explanations, observations and templates of the index."""

    def framework(self, framework_id: str = DEFAULT_FRAMEWORK) -> Framework:
        """Return a framework by id, shipped or the user's (FrameworkError if unknown)."""
        return get_framework(framework_id, self.app.settings.home / "frameworks")

    def frameworks(self) -> dict[str, Framework]:
        """Return every framework by id."""
        return load_frameworks(self.app.settings.home / "frameworks")

    def moment(self, text: str | None, scope: str) -> datetime | None:
        """Return the time `text` names, in the zone of `scope` (None for none)."""
        return risk_service.moment_of(text, scope)

    def check_scope(self, scope: str) -> str:
        """Return the dotted scope code ('' for national), or raise RiskError."""
        return risk_service.check_scope(scope)

    def scores(self, framework: Framework, level: UnitLevel, scope: str, *,
               as_of: datetime | None = None, since: datetime | None = None,
               shapes: bool = False, cached: bool = True
               ) -> risk_service.RiskScores:
        """Return the score rows of `level` in `scope`, how they were made, and (with
        `shapes`) each unit's GeoJSON geometry."""
        with self.reading() as conn:
            rows, meta = risk_service.score_table(
                conn, framework, level, scope, as_of=as_of, since=since,
                cache=self.app.risk_cache if cached else None)
            geometry = risk_service.geometries_for(conn, rows, level) if shapes else {}
        return risk_service.RiskScores(rows, meta, geometry)

    def explain(self, framework: Framework, unit: str, as_of: datetime | None = None, *,
                cached: bool = True) -> risk_service.RiskExplanation:
        """Return why a unit scores what it does: drivers, weights, evidence."""
        with self.reading() as conn:
            return risk_service.explain(conn, framework, unit, as_of,
                                        cache=self.app.risk_cache if cached else None)

    def record(self, framework: Framework, unit: str, indicator: str, value: str | float, *,
               source: ObservationSource, evidence: str, observed_at: datetime | None = None,
               note: str | None = None) -> str:
        """Return what became of one observation ("recorded" or why not)."""
        with self.writing() as conn:
            return risk_service.record_observation(
                conn, framework, unit, indicator, value, source=source, evidence=evidence,
                observed_at=observed_at, note=note)

    def import_observations(self, framework: Framework, path: Path, *,
                            default_time: datetime | None = None) -> risk_service.ImportOutcome:
        """Return what an observations file loaded and refused (stored raw first)."""
        with self.writing() as conn:
            return risk_service.import_observations(conn, self.app.settings.home, framework,
                                                    path, default_time=default_time)

    def template_units(self, framework: Framework, scope: str,
                       level: UnitLevel | None = None) -> list[tuple[str, str]]:
        """Return (code, name) of every unit a template for `scope` should list."""
        with self.reading() as conn:
            return risk_service.template_units(conn, framework, scope, level)

    def load_demo(self, frameworks: list[Framework],
                  scopes: list[str]) -> dict[str, dict[str, int]]:
        """Return, per scope, how many demo observations each framework got (one
        transaction: all scopes or none)."""
        with self.writing() as conn:
            return {code: risk_service.load_demo(conn, frameworks, code) for code in scopes}


class Maps(Concern):
    """The choropleth of a scope's children, with the dashboard's layers."""

    def risk(self, framework: Framework, scope: str, *, as_of: datetime | None = None,
             layered: bool = False) -> RiskMap:
        """Return the map of `scope`'s children; `layered` adds the week's signals, the open
        alerts and the events from yesterday on."""
        with self.reading() as conn:
            layers: Sequence[tuple[str, Sequence[Any]]] = ()
            if layered:
                now = datetime.now().astimezone()
                events = list_events(conn, scope, since=now - timedelta(days=1))
                layers = [("signals", signal_points(conn, scope, now - timedelta(days=7))),
                          ("alerts", alert_points(conn, scope)),
                          ("events", event_points(events))]
            return risk_map(conn, framework, scope, as_of=as_of, layers=layers,
                            cache=self.app.risk_cache)


class Briefing(Concern):
    """The meeting briefing: one document per province, regency or district."""

    def make(self, framework: Framework, scope: str, *, period: str = "7d",
             as_of: str | None = None, lang: str = "id",
             fmt: str = "pdf") -> briefing_service.Rendered:
        """Return the rendered briefing of a scope (PDF or HTML bytes and what it says)."""
        with self.reading() as conn:
            return briefing_service.make_briefing(
                conn, framework, scope, period=period, as_of=as_of, lang=lang, fmt=fmt,
                cw=self.app.casework, home=self.app.settings.home)

    def format_of(self, path: Path) -> str:
        """Return "pdf" or "html" from a file name (RiskError otherwise)."""
        return briefing_service.format_of(path)
