"""Who may do what: roles, permissions and the permission matrix (documented in docs/access.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The roles of the forum's users; `public` is anyone without an account."""

    ADMIN = "admin"
    CHAIR = "chair"
    ANALYST = "analyst"
    AGENCY_OFFICER = "agency_officer"
    FIELD_REPORTER = "field_reporter"
    PUBLIC = "public"


class Permission(StrEnum):
    """An action a route or command performs; each route declares exactly one."""

    HEALTH = "health"
    LOGIN = "login"
    SUBMIT_REPORT = "submit_report"
    CHECK_RECEIPT = "check_receipt"
    VIEW_OWN_ACCOUNT = "view_own_account"
    VIEW_REGIONS = "view_regions"
    VIEW_RISK = "view_risk"
    RECORD_OBSERVATIONS = "record_observations"
    VIEW_SIGNALS = "view_signals"
    VIEW_ALERTS = "view_alerts"
    VIEW_REPORTS = "view_reports"
    TRIAGE_REPORTS = "triage_reports"
    VIEW_CASES = "view_cases"
    CHANGE_CASES = "change_cases"
    VIEW_EVENTS = "view_events"
    CHANGE_EVENTS = "change_events"
    VIEW_PARTICIPATION = "view_participation"
    VIEW_BRIEFING = "view_briefing"
    VIEW_REPORTER_IDENTITY = "view_reporter_identity"
    VIEW_INTELLIGENCE = "view_intelligence"
    VIEW_STATUS = "view_status"
    MANAGE_USERS = "manage_users"


_STAFF = frozenset({Role.ADMIN, Role.CHAIR, Role.ANALYST, Role.AGENCY_OFFICER})
_EVERYONE = frozenset(Role)
_SIGNED_IN = _EVERYONE - {Role.PUBLIC}

# Why these sets: the public may only submit and check its own receipt; field reporters send
# reports and see the map; agency officers work their own agency's cases (the case scope is
# enforced per row, see `sees_all_agencies`); the reporter's identity is for the analysts who
# verify reports (and, per report, the lead agency of a linked case: `siaga.cases.privacy`);
# intelligence notes also for the chair who answers for the forum.
MATRIX: dict[Permission, frozenset[Role]] = {
    Permission.HEALTH: _EVERYONE,
    Permission.LOGIN: _EVERYONE,
    Permission.SUBMIT_REPORT: _EVERYONE,
    Permission.CHECK_RECEIPT: _EVERYONE,
    Permission.VIEW_OWN_ACCOUNT: _SIGNED_IN,
    Permission.VIEW_REGIONS: _SIGNED_IN,
    Permission.VIEW_RISK: _SIGNED_IN,
    Permission.RECORD_OBSERVATIONS: _SIGNED_IN - {Role.CHAIR},
    Permission.VIEW_SIGNALS: _STAFF,
    Permission.VIEW_ALERTS: _STAFF,
    Permission.VIEW_REPORTS: _STAFF | {Role.FIELD_REPORTER},  # a field reporter: their own
    Permission.TRIAGE_REPORTS: frozenset({Role.ADMIN, Role.ANALYST}),
    Permission.VIEW_CASES: _STAFF,
    Permission.CHANGE_CASES: frozenset({Role.ADMIN, Role.ANALYST, Role.AGENCY_OFFICER}),
    Permission.VIEW_EVENTS: _STAFF,
    Permission.CHANGE_EVENTS: frozenset({Role.ADMIN, Role.ANALYST, Role.AGENCY_OFFICER}),
    Permission.VIEW_PARTICIPATION: _STAFF,
    Permission.VIEW_BRIEFING: _STAFF,
    Permission.VIEW_REPORTER_IDENTITY: frozenset({Role.ADMIN, Role.ANALYST}),
    Permission.VIEW_INTELLIGENCE: frozenset({Role.ADMIN, Role.CHAIR, Role.ANALYST}),
    Permission.VIEW_STATUS: frozenset({Role.ADMIN, Role.CHAIR, Role.ANALYST}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
}


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user (name, role, agency) or the anonymous public."""

    username: str | None
    role: Role
    agency: str | None = None

    def may(self, permission: Permission) -> bool:
        """Return True when this principal's role holds the permission."""
        return allowed(self.role, permission)

    @property
    def sees_all_agencies(self) -> bool:
        """Return False for agency officers, who see only their own agency's work."""
        return self.role is not Role.AGENCY_OFFICER


PUBLIC = Principal(username=None, role=Role.PUBLIC)


def allowed(role: Role, permission: Permission) -> bool:
    """Return True when the role holds the permission in the matrix."""
    return role in MATRIX[permission]


def parse_role(text: str) -> Role:
    """Return the role named by text, or raise ValueError listing the valid roles."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role if r is not Role.PUBLIC)
        raise ValueError(f"unknown role {text!r}: use one of {names}") from None


def matrix_markdown() -> str:
    """Return the permission matrix as the Markdown table docs/access.md shows."""
    roles = list(Role)
    lines = ["| permission | " + " | ".join(r.value for r in roles) + " |",
             "|---|" + "---|" * len(roles)]
    for permission, holders in MATRIX.items():
        marks = " | ".join("✔" if r in holders else "·" for r in roles)
        lines.append(f"| `{permission.value}` | {marks} |")
    return "\n".join(lines)
