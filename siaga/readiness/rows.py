"""Rows of readiness files: resource kinds, counts, districts and officer-health records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from siaga.domain.events import RESOURCE_ALIASES, ResourceKind
from siaga.domain.regions import RegionCodeError, normalize_code
from siaga.domain.timezones import in_range, zone_of


def resource_kind(text: str) -> ResourceKind:
    """Return the resource kind a file names (its code or an alias); ValueError otherwise."""
    key = text.strip().lower().replace("-", " ")
    if key.replace(" ", "_") in ResourceKind.__members__.values():
        return ResourceKind(key.replace(" ", "_"))
    if key in RESOURCE_ALIASES:
        return RESOURCE_ALIASES[key]
    raise ValueError(f"kind {text!r} is unknown; expected one of "
                     f"{', '.join(k.value for k in ResourceKind)}")


def whole_number(row: dict[str, str], key: str) -> int:
    """Return the whole number ≥ 0 in column `key` (empty: 0); ValueError otherwise."""
    text = row.get(key, "") or "0"
    if not text.isdigit():
        raise ValueError(f"{key} {text!r} is not a whole number ≥ 0")
    return int(text)


def district_of(text: str, known: set[str]) -> str:
    """Return the district code of a region code inside the workspace; ValueError otherwise."""
    try:
        code = normalize_code(text)
    except RegionCodeError as exc:
        raise ValueError(f"region: {exc}") from None
    if len(code) < 8:
        raise ValueError(f"region {code} is above district level; give the district code")
    if code[:8] not in known:
        raise ValueError(f"region {code} is not in the workspace")
    return code[:8]


def health_row(row: dict[str, str], tps: dict[str, str], known: set[str],
                when: datetime) -> dict[str, Any]:
    """Return the stored form of one officer-health row; ValueError saying what is wrong.

    `tps` maps 13-digit TPS codes to their region, `known` holds the workspace's districts and
    `when` is the report time used when the row gives none.
    """
    unit = row["unit"].replace(".", "")
    region = tps.get(unit) if len(unit) == 13 else None
    if region is None:
        region = district_of(row["unit"], known) if len(unit) != 13 else None
    if region is None:
        raise ValueError(f"unit {row['unit']!r} is not a TPS of the workspace "
                         "(13-digit KPU code) nor a district code")
    officers, screened = whole_number(row, "officers"), whole_number(row, "screened")
    if screened > officers:
        raise ValueError(f"screened {screened} is more than officers {officers}")
    reported = when
    if row.get("reported_at"):
        try:
            reported = datetime.fromisoformat(row["reported_at"])
        except ValueError:
            raise ValueError(f"reported_at {row['reported_at']!r} is not an ISO date") from None
        if reported.tzinfo is None:
            reported = reported.replace(tzinfo=zone_of(region))
        in_range(reported, "reported_at")
    return {"unit_code": unit if len(unit) == 13 else region, "region_code": region,
            "officers": officers, "screened": screened, "ill": whole_number(row, "ill"),
            "died": whole_number(row, "died"), "reported_at": reported}
