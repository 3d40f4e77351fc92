"""Plain records of the vulnerability index: units, indicator kinds, observations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from siaga.domain.regions import RegionCodeError, level_of, normalize_code


class UnitLevel(StrEnum):
    """The levels a score is computed at, from the nation's provinces down to each TPS."""

    PROVINCE = "province"
    REGENCY = "regency"
    DISTRICT = "district"
    VILLAGE = "village"
    TPS = "tps"


LEVEL_ORDER = list(UnitLevel)  # top first; a leaf (TPS) is last


class IndicatorKind(StrEnum):
    """How a raw indicator value becomes a 0..1 figure."""

    BINARY = "binary"  # occurred or not
    COUNT = "count"  # number of incidents, saturating at a cap
    RATE = "rate"  # number per `per` voters, saturating at a cap


class ObservationSource(StrEnum):
    """Where an observation came from; the evidence string says which one."""

    IMPORT = "import"
    CASE = "case"
    SIGNAL = "signal"
    FORM = "form"
    DEMO = "demo"


_TPS_DOTTED = re.compile(r"^(\d{2}\.\d{2}\.\d{2}\.\d{4})\.(\d{3})$")
_TPS_KPU = re.compile(r"^\d{13}$")


def normalize_unit(code: str) -> tuple[UnitLevel, str]:
    """Return the level and canonical code of a unit: dotted region code or 13-digit TPS code.

    A TPS may be written as KPU does (``1502012001001``) or as village code plus number
    (``15.02.01.2001.001``); both give the KPU form.
    """
    text = code.strip()
    if _TPS_KPU.match(text):
        return UnitLevel.TPS, text
    match = _TPS_DOTTED.match(text)
    if match:
        return UnitLevel.TPS, match.group(1).replace(".", "") + match.group(2)
    try:
        dotted = normalize_code(text)
    except RegionCodeError as exc:
        raise RegionCodeError(
            f"{code!r} is neither a region code (15.02.01.2001) nor a TPS code "
            "(1502012001001 or 15.02.01.2001.001)"
        ) from exc
    return UnitLevel(level_of(dotted).value), dotted


@dataclass(frozen=True, slots=True)
class Observation:
    """One indicator value for one unit at one time, with where it came from."""

    framework: str
    indicator: str
    unit_level: UnitLevel
    unit_code: str
    value: float
    observed_at: datetime
    source: ObservationSource
    evidence: str  # e.g. "case:12", "file:<sha256>#row=5", "form:ana@kesbangpol"
    demo: bool = False
    note: str | None = None
