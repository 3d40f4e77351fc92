"""Deadlines of a case from its rules and history, in UTC and in the region's own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from siaga.cases.routing import OPENED, DeadlineRule, TypeRule
from siaga.domain.cases import CaseTimeline
from siaga.domain.timezones import zone_of


@dataclass(frozen=True)
class Deadline:
    """One deadline of one case: when it started, when it is due, and whether it is met."""

    rule: DeadlineRule
    started_at: datetime
    due_at: datetime
    met_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Return True when the deadline is still open and past due at `now`."""
        return self.met_at is None and now > self.due_at

    def late(self) -> bool:
        """Return True when it was met, but after it was due."""
        return self.met_at is not None and self.met_at > self.due_at


def deadlines_of(rule: TypeRule, timeline: CaseTimeline) -> list[Deadline]:
    """Return every deadline that has started for the case, in rule order."""
    opened = timeline.history[0].at
    found = []
    for item in rule.deadlines:
        started = opened if item.starts == OPENED else _entered(timeline, item.starts)
        if started is None:
            continue
        met = [c.at for c in timeline.history if c.at >= started and c.status in item.stops]
        due = started + timedelta(hours=item.hours_for(timeline.urgent))
        found.append(Deadline(item, started, due, met[0] if met else None))
    return found


def _entered(timeline: CaseTimeline, status: str) -> datetime | None:
    for change in reversed(timeline.history):
        if change.status.value == status:
            return change.at
    return None


def current_due(rule: TypeRule, timeline: CaseTimeline) -> Deadline | None:
    """Return the earliest open deadline, or None when nothing is pending."""
    open_ones = [d for d in deadlines_of(rule, timeline) if d.met_at is None]
    return min(open_ones, key=lambda d: d.due_at) if open_ones else None


def local_time(moment: datetime, region: str | None) -> str:
    """Return `moment` in the region's zone (WIB when none), e.g. 2024-11-20 14:00 WIB."""
    zone = zone_of(region or "15")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M ") + str(zone.tzname(None))
