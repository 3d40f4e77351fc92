"""Early detection: ingest signals, run the pipeline, classify, and read alerts and signals.

Imported only when first used (see `Siaga.detect`): the pipeline's modules load the text models'
libraries, which every other command would otherwise pay for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from siaga.application.concern import Concern
from siaga.detect.alerts import AlertRules, load_rules
from siaga.domain.records import JsonRecord
from siaga.domain.signals import Alert, ClassifyResult, Cluster
from siaga.services import alert_cases, attacks
from siaga.services.attacks import ContestAttacks
from siaga.sources.field_reports import VillageDirectory
from siaga.store import alerts as alert_db
from siaga.store import attacks as attack_db
from siaga.store import signals as signal_db
from siaga.store.attacks import Contest
from siaga.store.explorer import (
    SignalFilter,
    SignalRow,
    count_signals,
    find_signals,
    signal_sources,
)

if TYPE_CHECKING:
    from siaga.detect.pipeline import DetectionPipeline
    from siaga.progress import Progress
    from siaga.services.detect import IngestReport, ProcessReport

__all__ = ["AlertDetails", "AlertView", "Detect", "SignalFilter", "SignalRow", "alert_view"]


def __getattr__(name: str) -> Any:
    """Return BATCH or DetectError from the detection service, imported on first use.

    The pipeline's modules load pandas and the models' libraries; the commands and routes that
    only read alerts and signals import this module without paying for them.
    """
    if name in ("BATCH", "DetectError"):
        from siaga.services import detect

        return getattr(detect, name)
    raise AttributeError(name)


@dataclass(frozen=True)
class AlertView(JsonRecord):
    """An alert as the API answers it and the pages show it (times as ISO text)."""

    id: int
    region: str
    category: str
    window_start: str
    window_days: int
    observed: int
    expected: float
    p_value: float
    method: str
    status: str
    opened_at: str
    updated_at: str
    max_severity: float
    signals: list[int]


@dataclass(frozen=True)
class AlertDetails(AlertView):
    """An alert's view with its case id (None: no case yet) and its signals' details."""

    case: int | None = None
    signal_details: list[SignalRow] = field(default_factory=list)


def alert_view(alert: Alert) -> AlertView:
    """Return an alert as the API answers it and the pages show it."""
    return AlertView(
        id=alert.id, region=alert.region_code, category=alert.category,
        window_start=alert.window_start.isoformat(), window_days=alert.window_days,
        observed=alert.observed, expected=alert.expected, p_value=alert.p_value,
        method=alert.method, status=alert.status.value, opened_at=alert.opened_at.isoformat(),
        updated_at=alert.updated_at.isoformat(), max_severity=alert.max_severity,
        signals=alert.signal_ids)


class Detect(Concern):
    """Signals in, detections and alerts out; and what the dashboard reads of them."""

    def rules(self) -> AlertRules:
        """Return the alert rules the settings name (AlertRulesError if unreadable)."""
        return load_rules(self.app.settings.alert_rules)

    def pipeline(self, rules: AlertRules | None = None, *, progress: Progress | None = None,
                 scope: str | None = None) -> DetectionPipeline:
        """Return the detection pipeline on the cached models, training them when missing.

        Built once per application object and scope: the models take seconds to load.
        """
        from siaga.services import detect as detect_service

        key = scope or ""
        if key not in self.app.pipelines:
            self.app.pipelines[key] = detect_service.build_pipeline(
                self.app.settings.home, self.app.settings.require_data_dir(),
                rules or self.rules(), progress=progress, scope=scope)
        found: DetectionPipeline = self.app.pipelines[key]
        return found

    def ingest(self, location: str, source_type: str, *, mapping_path: Path | None = None,
               villages: VillageDirectory | None = None,
               progress: Progress | None = None) -> IngestReport:
        """Return what a file or feed gave: stored raw first, then its new signals."""
        from siaga.services import detect as detect_service

        return detect_service.ingest(self.app.store, self.app.settings.home, location,
                                     source_type, mapping_path=mapping_path, villages=villages,
                                     progress=progress)

    def process(self, pipeline: DetectionPipeline, rules: AlertRules, *,
                progress: Progress | None = None, batch_size: int = 1000) -> ProcessReport:
        """Return what processing every pending signal did, alerts evaluated at the end."""
        from siaga.services import detect as detect_service

        return detect_service.process_pending(self.app.store, pipeline, rules,
                                              progress=progress, batch_size=batch_size)

    def classify(self, pipeline: DetectionPipeline, rules: AlertRules,
                 lines: Iterable[str]) -> Iterator[ClassifyResult]:
        """Yield one contract object per non-blank input line, in order."""
        from siaga.services import detect as detect_service

        return detect_service.classify_stream(self.app.store, pipeline, rules, lines)

    def alerts(self, scope: str | None = None, status: str | None = None,
               limit: int = 100) -> list[Alert]:
        """Return alerts, newest window first."""
        with self.reading() as conn:
            return alert_db.list_alerts(conn, scope, status, limit)

    def alert(self, alert_id: int) -> Alert:
        """Return one alert (NotFound if none)."""
        return alert_cases.alert_by_id(self.app.casework, alert_id)

    def alert_details(self, alert_id: int) -> AlertDetails:
        """Return one alert's view with its case id and its signals' details (NotFound)."""
        view = alert_view(self.alert(alert_id))
        details = self.signals(SignalFilter(ids=tuple(view.signals), limit=500))
        return AlertDetails(**vars(view), case=self.app.cases.of_alert(alert_id),
                            signal_details=details)

    def signals(self, wanted: SignalFilter) -> list[SignalRow]:
        """Return signals with their categories, places and cluster, newest first."""
        with self.reading() as conn:
            return find_signals(conn, wanted)

    def signal_sources(self) -> list[str]:
        """Return the names of the sources signals came from."""
        with self.reading() as conn:
            return signal_sources(conn)

    def count_signals(self, scope: str, since: datetime, until: datetime) -> int:
        """Return how many signals of `scope` arrived in [since, until)."""
        with self.reading() as conn:
            return count_signals(conn, scope, since, until)

    def clusters(self, limit: int = 20, min_count: int = 2) -> list[Cluster]:
        """Return the largest clusters of near-duplicate signals."""
        with self.reading() as conn:
            return signal_db.largest_clusters(conn, limit, min_count)

    def contest_attacks(self, contest_id: str, limit: int = 500) -> ContestAttacks | None:
        """Return a contest's attack signals over time by target pair (None: no contest)."""
        with self.reading() as conn:
            return attacks.contest_timeline(conn, contest_id, limit)

    def attacked_contests(self, since: datetime, limit: int = 50) -> list[Contest]:
        """Return the contests with attack signals since `since`, most attacked first."""
        with self.reading() as conn:
            found = [attack_db.contest(conn, c)
                     for c in attack_db.attacked_contests(conn, since, limit)]
        return [c for c in found if c is not None]

    def demo(self, now: datetime) -> tuple[int, int, int, int]:
        """Return (signals, alerts, events, cases) the marked demo activity added."""
        from siaga.services import demo_activity as demo

        pipeline = self.pipeline()
        signals, alerts = demo.add_demo_signals(self.app.store, pipeline,
                                                self.app.settings.home, now)
        events = demo.add_demo_events(self.app.store, now)
        cases = demo.add_demo_case(self.app.store, self.app.casework)
        return signals, alerts, events, cases
