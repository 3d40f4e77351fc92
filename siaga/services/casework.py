"""What every report and case use case shares: the context (store, rules, clock) and errors."""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from siaga.cases.attachments import AttachmentLimits
from siaga.cases.routing import Rules, load_rules
from siaga.domain.regions import RegionCodeError, normalize_code
from siaga.settings import Settings
from siaga.store import Store
from siaga.store.cases import region_exists
from siaga.store.tx import Tx, new_id, reading, writing

__all__ = ["Casework", "CaseworkError", "IntakeLimits", "NotAllowed", "NotFound",
           "TooManyReports", "casework_from", "check_region", "default_operator", "new_id",
           "reading", "system_clock", "utc", "writing"]

Clock = Callable[[], datetime]


class CaseworkError(ValueError):
    """A request about reports or cases that cannot be done, saying why (Indonesian, English)."""


class NotFound(CaseworkError):
    """A report or case id (or receipt) that does not exist."""


class TooManyReports(CaseworkError):
    """The sender has reached the abuse limit for now."""


class NotAllowed(CaseworkError):
    """The asking user may not do this to these rows (their role may, their scope may not)."""


def system_clock() -> datetime:
    """Return the current time (UTC); the only place the services read the wall clock."""
    return datetime.now(UTC)


def default_operator() -> str:
    """Return the operator name: SIAGA_OPERATOR, else the OS user."""
    try:
        return os.environ.get("SIAGA_OPERATOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class IntakeLimits:
    """Abuse and size limits for incoming reports."""

    per_source_per_hour: int
    attachments: AttachmentLimits


@dataclass(frozen=True)
class Casework:
    """The world a use case runs in: storage, the working folder, rules, clock and limits."""

    store: Store
    home: Path
    rules: Rules
    limits: IntakeLimits
    clock: Clock = system_clock

    def now(self) -> datetime:
        """Return the clock's time, which must be time-zone aware."""
        moment = self.clock()
        if moment.tzinfo is None:
            raise CaseworkError("the clock returned a naive datetime; it must carry a time zone")
        return moment


def casework_from(settings: Settings, store: Store, clock: Clock = system_clock) -> Casework:
    """Return the context built from settings: the rules file, limits and SIAGA_HOME."""
    rules_path = settings.case_rules
    if rules_path is None and (settings.home / "cases" / "routing.yaml").is_file():
        rules_path = settings.home / "cases" / "routing.yaml"
    limits = IntakeLimits(
        per_source_per_hour=settings.report_limit_per_hour,
        attachments=AttachmentLimits(settings.attachment_max_bytes,
                                     tuple(t.strip() for t in settings.attachment_types.split(",")
                                           if t.strip())))
    return Casework(store, settings.home, load_rules(rules_path), limits, clock)


def utc(moment: datetime | None) -> datetime | None:
    """Return `moment` as aware UTC (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_region(conn: Tx, code: str | None) -> str | None:
    """Return the dotted, known region code, or raise CaseworkError naming the problem."""
    if code is None or not code.strip():
        return None
    try:
        dotted = normalize_code(code)
    except RegionCodeError as exc:
        raise CaseworkError(f"kode wilayah tidak sah / invalid region code: {exc}") from exc
    if not region_exists(conn, dotted):
        raise CaseworkError(f"wilayah {dotted} tidak dikenal / unknown region {dotted}: no such "
                            "code in the loaded region list (run `siaga init` for its province)")
    return dotted
