"""Reports and cases: statuses, types, and the plain records the workflow passes around."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from siaga.domain.records import JsonRecord


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


@dataclass(frozen=True)
class DeadlineView:
    """One deadline of a case as shown: its rule, when it started, is due and was met."""

    name: str
    started_at: datetime
    due_at: datetime
    due_local: str
    met_at: datetime | None
    late: bool
    hours: float
    urgent_hours: float
    legal_ref: str | None
    assumption: bool


# Parts of a case view that only some use cases fill; absent (not null) in its dict otherwise.
OPTIONAL_CASE_PARTS = ("deadlines", "actions", "reports")


@dataclass(frozen=True)
class CaseView:
    """A case as the case desk shows it; `deadlines`, `actions` and `reports` when asked for."""

    id: int
    type: str
    title: str
    status: str
    urgent: bool
    region: str | None
    lead_agency: str
    supporting_agencies: list[str]
    opened_at: datetime | None
    opened_by: str
    assigned_to: str | None
    due_at: datetime | None
    deadline_name: str | None
    escalated_at: datetime | None
    closed_at: datetime | None
    description: str | None
    details: dict[str, Any]
    alert: int | None
    due_local: str | None
    deadlines: list[DeadlineView] | None = None
    actions: list[dict[str, Any]] | None = None
    reports: list[int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the case as a JSON-ready dict; the parts not filled are left out."""
        out = asdict(self)
        for name in OPTIONAL_CASE_PARTS:
            if out[name] is None:
                del out[name]
        return out


@dataclass(frozen=True)
class ReportView:
    """A stored report as a viewer may see it (identity fields redacted where they may not)."""

    id: int
    receipt: str
    status: str
    channel: str
    text: str
    region: str | None
    url: str | None
    category: str | None
    occurred_at: datetime | None
    received_at: datetime | None
    anonymous: bool
    reporter_name: str | None
    reporter_contact: str | None
    origin_kind: str | None
    origin_ref: str | None
    submitted_by: str | None
    assigned_to: str | None
    duplicate_of: int | None
    reject_reason: str | None
    attachments: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict (attachments only when they were read)."""
        out = asdict(self)
        if out["attachments"] is None:
            del out["attachments"]
        return out


@dataclass(frozen=True)
class ReceiptStatus(JsonRecord):
    """What the public may know of a report by its receipt: its status and when it came."""

    receipt: str
    status: str
    received_at: datetime | None
