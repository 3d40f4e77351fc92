"""The refusals and result types of the use cases, for adapters to catch and name.

Adapters import these from here, never from `siaga.services`: the application object is the one
way in, and this module is its vocabulary.
"""

from __future__ import annotations

from siaga.services.alert_cases import CATEGORY_LABELS, AlertCase
from siaga.services.attacks import CONTEST_ID_PATTERN
from siaga.services.audit import AuditReport
from siaga.services.briefing import Rendered
from siaga.services.casework import (
    CaseworkError,
    NotAllowed,
    NotFound,
    TooManyReports,
    default_operator,
)
from siaga.services.events import ClashOptions, ClashReport, EventImportOutcome, EventsError
from siaga.services.maps import RiskMap
from siaga.services.participation import FiguresOutcome, ParticipationError
from siaga.services.readiness import FileOutcome, ReadinessError
from siaga.services.reports import BulkResult, StoredReport
from siaga.services.risk import ImportOutcome, RiskError, RiskExplanation
from siaga.services.users import Account, UserError
from siaga.store.engine import StoreError

__all__ = [
    "CATEGORY_LABELS", "CONTEST_ID_PATTERN", "Account", "AlertCase", "AuditReport",
    "BulkResult", "CaseworkError", "ClashOptions", "ClashReport", "EventImportOutcome",
    "EventsError", "FiguresOutcome", "FileOutcome", "ImportOutcome", "NotAllowed", "NotFound",
    "ParticipationError", "ReadinessError",
    "Rendered", "RiskError", "RiskExplanation", "RiskMap", "StoreError", "StoredReport",
    "TooManyReports",
    "UserError", "default_operator",
]
