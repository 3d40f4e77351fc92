"""Login throttling: how long a caller must wait after too many failed logins."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed logins per account and per client address a window allows."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


class LoginThrottled(Exception):
    """Logins are refused for now; `retry_after` is the wait in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit / "
            f"Too many failed logins; try again in {minutes} minute(s)")
        self.retry_after = retry_after


def throttle_key(kind: str, value: str) -> str:
    """Return the stored key of an account ('account') or a client address ('address').

    Only a digest is stored, so the table of failures lists no address or name in clear.
    """
    return hashlib.sha256(f"{kind}:{value.strip().lower()}".encode()).hexdigest()


def wait_seconds(failures: Iterable[datetime], limit: int, window: timedelta,
                 now: datetime) -> int:
    """Return the seconds until fewer than `limit` failures lie in the window (0: go ahead)."""
    recent = sorted(f for f in failures if f > now - window)
    if len(recent) < limit:
        return 0
    # The attempt is allowed again once enough of the oldest failures have left the window.
    leaves = recent[len(recent) - limit] + window
    return max(1, math.ceil((leaves - now).total_seconds()))
