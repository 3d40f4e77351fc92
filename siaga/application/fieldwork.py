"""The forum's field work: campaign events and their clashes, medical readiness, turnout."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from siaga.application.concern import Concern
from siaga.domain.elections import PILKADA_2024
from siaga.domain.events import Severity
from siaga.events.rules import ReadinessRules, load_rules
from siaga.readiness.gaps import ReadinessRow
from siaga.services import events as events_service
from siaga.services import participation as participation_service
from siaga.services import readiness as readiness_service
from siaga.services.events import ClashOptions
from siaga.services.participation import PILPRES_2024


class Events(Concern):
    """Campaign events: import, add, the calendar, clash and risk warnings."""

    def rules(self) -> ReadinessRules:
        """Return the readiness rules of the workspace (RulesError if unreadable)."""
        return load_rules(self.app.settings.home)

    def window(self, since: str | None, until: str | None,
               scope: str) -> tuple[datetime | None, datetime | None]:
        """Return the times `since` and `until` name in the zone of `scope` (EventsError)."""
        return events_service.window(since, until, scope)

    def options(self, *, distance_km: float | None = None, buffer_hours: float | None = None,
                since: datetime | None = None, until: datetime | None = None,
                min_severity: Severity = Severity.LOW) -> ClashOptions:
        """Return the clash check's options: the settings' distances unless given."""
        settings = self.app.settings
        return ClashOptions(
            settings.events_clash_km if distance_km is None else distance_km,
            settings.events_buffer_hours if buffer_hours is None else buffer_hours,
            settings.events_tps_radius_km, since, until, min_severity)

    def import_file(self, path: Path) -> events_service.EventImportOutcome:
        """Return what an events CSV loaded and refused (stored raw first)."""
        with self.writing() as conn:
            return events_service.import_events(conn, self.app.settings.home, path)

    def add(self, fields: Mapping[str, str]) -> int:
        """Return the id of one event entered by hand (the CSV's fields)."""
        with self.writing() as conn:
            return events_service.add_event(conn, fields)

    def find(self, scope: str, since: datetime | None = None,
             until: datetime | None = None) -> list[events_service.EventView]:
        """Return the events of a scope in a time window."""
        with self.reading() as conn:
            return events_service.list_events(conn, scope, since, until)

    def calendar(self, scope: str, since: datetime | None = None,
                 until: datetime | None = None) -> events_service.EventCalendar:
        """Return the events of a scope by local day."""
        return self.calendar_of(self.find(scope, since, until))

    def calendar_of(self, events: list[events_service.EventView]
                    ) -> events_service.EventCalendar:
        """Return events already found, by local day."""
        return events_service.calendar(events)

    def clashes(self, scope: str, options: ClashOptions | None = None,
                rules: ReadinessRules | None = None) -> events_service.ClashReport:
        """Return the clash and risk warnings of a scope's events, most severe first."""
        with self.reading() as conn:
            return events_service.clashes(conn, scope, rules or self.rules(),
                                          options or self.options(), self.app.settings.home)


class Readiness(Concern):
    """Medical readiness: resources and officer health imports, the board per district."""

    def import_resources(self, path: Path) -> readiness_service.FileOutcome:
        """Return what a readiness resources CSV loaded and refused."""
        with self.writing() as conn:
            return readiness_service.import_resources(conn, self.app.settings.home, path)

    def import_health(self, path: Path) -> readiness_service.FileOutcome:
        """Return what an officer health CSV loaded and refused."""
        with self.writing() as conn:
            return readiness_service.import_health(conn, self.app.settings.home, path)

    def board(self, scope: str, rules: ReadinessRules | None = None, *,
              since: datetime | None = None,
              until: datetime | None = None) -> list[ReadinessRow]:
        """Return one readiness row per district of `scope` (ReadinessError if none)."""
        with self.reading() as conn:
            return readiness_service.board(conn, scope, rules or load_rules(
                self.app.settings.home), since=since, until=until, home=self.app.settings.home)


class Participation(Concern):
    """Turnout: figures, targets, the shared data, the gap table."""

    def import_figures(self, path: Path, kind: str,
                       election: str = PILKADA_2024) -> participation_service.FiguresOutcome:
        """Return what a turnout, baseline or target CSV loaded and refused."""
        with self.writing() as conn:
            return participation_service.import_figures(conn, self.app.settings.home, path,
                                                        kind, election)

    def import_dpt(self, path: Path,
                   election: str = PILKADA_2024) -> participation_service.FiguresOutcome:
        """Return what a DPT CSV loaded and refused."""
        with self.writing() as conn:
            return participation_service.import_dpt(conn, self.app.settings.home, path,
                                                    election)

    def set_target(self, region: str, election: str, *, value: str | None = None,
                   above_points: float | None = None,
                   baseline_election: str = PILPRES_2024) -> participation_service.TargetSet:
        """Return the target set for a region: a value, or the baseline plus points."""
        with self.writing() as conn:
            return participation_service.set_target(conn, region, election, value=value,
                                                    above_points=above_points,
                                                    baseline_election=baseline_election)

    def load_shared(self, scope: str) -> list[participation_service.SharedFigure]:
        """Return what the shared data's participation figures loaded for `scope`."""
        with self.writing() as conn:
            return participation_service.load_shared(conn, self.app.settings.require_data_dir(),
                                                     scope)

    def gap(self, scope: str, election: str = PILKADA_2024, level: str = "district", *,
            baseline_election: str = PILPRES_2024
            ) -> participation_service.GapTable:
        """Return the turnout gap rows of a scope, worst first, and how they were made."""
        with self.reading() as conn:
            return participation_service.gap_table(conn, scope, election, level,
                                                   baseline_election=baseline_election)
