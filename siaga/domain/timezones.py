"""Indonesia's three time zones and the province codes in each (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

# Times outside these years are typing errors in election work, and near year 1 or 9999 an
# offset pushes the instant past what Python's datetime can hold (OverflowError).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200

# Province codes (2025 decree) east of the WIB line; all others are WIB.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_of(code: str) -> timezone:
    """Return the time zone of the province a region or TPS code belongs to."""
    province = code.replace(".", "")[:2]
    if province in _WIT:
        return WIT
    if province in _WITA:
        return WITA
    return WIB


def in_range(moment: datetime, field: str) -> datetime:
    """Return the moment unchanged when it lies in the years 1900-2200 (as given and in UTC);
    raise ValueError naming the field otherwise."""
    try:
        utc = moment.astimezone(UTC) if moment.tzinfo is not None else moment
    except OverflowError:
        utc = None
    if utc is None or not (EARLIEST_YEAR <= utc.year <= LATEST_YEAR
                           and EARLIEST_YEAR <= moment.year <= LATEST_YEAR):
        raise ValueError(f"{field} {moment.isoformat()} di luar tahun {EARLIEST_YEAR}-"
                         f"{LATEST_YEAR} / is outside the years {EARLIEST_YEAR}-{LATEST_YEAR}")
    return moment
