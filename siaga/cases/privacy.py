"""Who sees what of a report: the reporter's identity is shown only to roles that need it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from siaga.domain.access import Permission, allowed
from siaga.domain.roles import Role, Viewer

REDACTED = "[disembunyikan / withheld]"
IDENTITY_FIELDS = ("reporter_name", "reporter_contact")


@dataclass(frozen=True)
class ReportAccess:
    """What a viewer may know about one report, beyond its content."""

    see_report: bool
    see_reporter: bool


def report_access(viewer: Viewer, *, submitted_by: str | None,
                  lead_agencies: Collection[str]) -> ReportAccess:
    """Return what `viewer` may see of a report.

    `submitted_by` is the operator who filed it (None for the public); `lead_agencies` are the
    lead agencies of the cases the report belongs to. Analysts verify reports and must be able
    to call the reporter back; the lead agency of a linked case needs the reporter as a formal
    element (ASN neutrality, money politics); a field reporter sees the reports they filed.
    The chair reads the situation picture and needs no identities; the public sees nothing
    here (only the status, through the receipt code).
    """
    if allowed(viewer.role, Permission.VIEW_REPORTER_IDENTITY):
        return ReportAccess(True, True)
    if viewer.role is Role.AGENCY_OFFICER:
        return ReportAccess(True, viewer.agency in lead_agencies)
    if viewer.role is Role.FIELD_REPORTER:
        own = submitted_by is not None and submitted_by == viewer.name
        return ReportAccess(own, own)
    return ReportAccess(allowed(viewer.role, Permission.VIEW_REPORTS), False)


def redact(record: dict[str, Any], access: ReportAccess) -> dict[str, Any] | None:
    """Return a copy of a report record fit for the viewer, or None when they may not see it."""
    if not access.see_report:
        return None
    shown = dict(record)
    if not access.see_reporter:
        for name in IDENTITY_FIELDS:
            if shown.get(name) is not None:
                shown[name] = REDACTED
    return shown


def may_link(access: ReportAccess, *, has_identity: bool) -> bool:
    """Return True when a viewer with `access` may link the report to a case.

    Linking a report to a case its agency leads would show the lead agency the reporter, so
    whoever links must already see the report and, when it names someone, that person too:
    a link never widens who sees a reporter.
    """
    return access.see_report and (access.see_reporter or not has_identity)
