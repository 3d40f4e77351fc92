"""Plain records of elections: polling stations, contests, pairs, results, voter counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

PEMILU_2024 = "pemilu2024"
PILKADA_2024 = "pilkada2024"


class Office(StrEnum):
    """The office a Pilkada contest fills."""

    GOVERNOR = "governor"
    REGENT = "regent"
    MAYOR = "mayor"


OFFICE_TITLES = {Office.GOVERNOR: "Gubernur", Office.REGENT: "Bupati", Office.MAYOR: "Wali Kota"}


class LocationSource(StrEnum):
    """Where a polling station's coordinates come from."""

    VILLAGE_CENTROID = "village_centroid"
    IMPORTED = "imported"
    UNKNOWN = "unknown"


def contest_id(election: str, office: Office, region_code: str) -> str:
    """Return the stable id of a contest, e.g. 'pilkada2024:regent:15.02'."""
    return f"{election}:{office.value}:{region_code}"


@dataclass(frozen=True, slots=True)
class PollingStation:
    """One polling station (TPS) as KPU lists it."""

    code: str  # 13 digits: village code + 3-digit TPS number
    number: int
    name: str
    village_code: str  # dotted, as KPU wrote it (2023 vintage)
    kpu_id: int | None
    overseas: bool


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """A candidate pair (paslon) with its ballot number, in a contest for a region (KPU code)."""

    office: Office
    region_code: str
    number: int
    names: str
    kpu_id: int | None
    color: str | None
    line: int = field(default=0, compare=False)  # source line, for messages


@dataclass(frozen=True, slots=True)
class ContestResult:
    """Votes of one pair in one area (regency or district) of a regent/mayor contest."""

    contest_region: str  # the regency whose contest it is
    area_code: str  # the regency itself or one of its districts
    number: int
    votes: int
    tps_total: int | None
    tps_counted: int | None
    progress_percent: float | None
    counted_at: str | None
    status: str | None
    line: int = field(default=0, compare=False)  # source line, for messages


@dataclass(frozen=True, slots=True)
class VoterCount:
    """Registered voters (DPT) of a region for an election."""

    election: str
    region_code: str
    voters: int
    source: str
    line: int = field(default=0, compare=False)  # source line, for messages
