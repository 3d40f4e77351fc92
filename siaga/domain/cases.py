"""Reports and cases: statuses, types, and the plain records the workflow passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ReportStatus(StrEnum):
    """Triage statuses of a report: new → verifying → verified | rejected | duplicate."""

    NEW = "new"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class Channel(StrEnum):
    """How a report came in."""

    PUBLIC = "public"
    FIELD_FORM = "field_form"
    SMS = "sms"
    ANALYST = "analyst"
    API = "api"
    CSV = "csv"


class CaseType(StrEnum):
    """Kinds of case; each has its routing, deadlines and workflow in the rules file."""

    CONTENT_TAKEDOWN = "content_takedown"
    ASN_NEUTRALITY = "asn_neutrality"
    MONEY_POLITICS = "money_politics"
    SECURITY = "security"
    LOGISTICS = "logistics"
    HEALTH = "health"
    OTHER = "other"


class CaseStatus(StrEnum):
    """Every status a case can hold; which ones a type uses is in `siaga.cases.workflow`."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    TAKEN_DOWN = "taken_down"
    REFUSED = "refused"
    RESOLVED = "resolved"
    REPORTED = "reported"
    CHECKING = "checking"
    VERIFYING = "verifying"
    RECOMMENDATION = "recommendation"
    SANCTION_MONITORING = "sanction_monitoring"
    CLOSED = "closed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class ReportOrigin:
    """Where a report came from, e.g. ("signal", "123"), ("alert", "9"), ("csv", "<sha>#row=4")."""

    kind: str
    ref: str


@dataclass(frozen=True)
class Reporter:
    """The reporter's identity; absent when the report is anonymous."""

    name: str
    contact: str | None = None


@dataclass(frozen=True)
class NewReport:
    """A report as submitted, before storage: text, place, and where it came from."""

    text: str
    channel: Channel
    region: str | None = None
    url: str | None = None
    occurred_at: datetime | None = None
    reporter: Reporter | None = None
    origin: ReportOrigin | None = None
    category: str | None = None
    submitted_by: str | None = None
    client_id: str | None = None  # the sender's own id of the report: a resend finds the first


@dataclass(frozen=True)
class PromotedItem:
    """A signal or alert-cluster item an analyst promotes to a report (wired to signals later)."""

    text: str
    origin: ReportOrigin
    region: str | None = None
    url: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class AsnElements:
    """The formal elements of an ASN-neutrality report (joint decree of 2022)."""

    reported_name: str
    nip: str
    position: str
    unit: str
    occurred_at: datetime
    place: str
    description: str
    reporter_name: str
    witnesses: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatusChange:
    """One status a case entered and when."""

    status: CaseStatus
    at: datetime


@dataclass(frozen=True)
class CaseTimeline:
    """What deadlines are computed from: the type, urgency and when each status was entered."""

    case_type: CaseType
    urgent: bool
    history: tuple[StatusChange, ...] = field(default_factory=tuple)

    def entered(self, status: CaseStatus) -> datetime | None:
        """Return when the case last entered `status`, or None."""
        found = [change.at for change in self.history if change.status is status]
        return found[-1] if found else None

    @property
    def status(self) -> CaseStatus:
        """Return the current status (the last one entered)."""
        return self.history[-1].status
