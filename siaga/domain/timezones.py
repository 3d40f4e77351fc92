"""Indonesia's three time zones and the province codes in each (WIB, WITA, WIT)."""

from __future__ import annotations

from datetime import timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

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
