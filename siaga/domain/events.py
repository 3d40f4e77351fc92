"""Plain records of campaign events and gatherings, and the warnings they raise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventType(StrEnum):
    """Kinds of campaign events and gatherings (metode kampanye and other crowds)."""

    RALLY = "rally"  # rapat umum
    LIMITED_MEETING = "limited_meeting"  # pertemuan terbatas
    FACE_TO_FACE = "face_to_face"  # pertemuan tatap muka dan dialog
    DOOR_TO_DOOR = "door_to_door"  # blusukan / dari rumah ke rumah
    DEBATE = "debate"  # debat publik
    RELIGIOUS = "religious"  # pengajian, ibadah bersama
    CULTURAL = "cultural"  # pentas seni, budaya, olahraga
    DEMONSTRATION = "demonstration"  # unjuk rasa
    OTHER = "other"


# Indonesian words an operator may write in a CSV, mapped to the types above.
EVENT_TYPE_ALIASES = {
    "rapat umum": EventType.RALLY, "kampanye akbar": EventType.RALLY,
    "pertemuan terbatas": EventType.LIMITED_MEETING,
    "tatap muka": EventType.FACE_TO_FACE, "dialog": EventType.FACE_TO_FACE,
    "blusukan": EventType.DOOR_TO_DOOR, "door to door": EventType.DOOR_TO_DOOR,
    "debat": EventType.DEBATE, "pengajian": EventType.RELIGIOUS,
    "keagamaan": EventType.RELIGIOUS, "budaya": EventType.CULTURAL,
    "pentas seni": EventType.CULTURAL, "unjuk rasa": EventType.DEMONSTRATION,
    "demo": EventType.DEMONSTRATION, "lainnya": EventType.OTHER,
}


class PermitStatus(StrEnum):
    """State of the police notice of a campaign event (STTP, Surat Tanda Terima Pemberitahuan)."""

    NOT_REQUESTED = "not_requested"
    REQUESTED = "requested"
    ISSUED = "issued"
    REFUSED = "refused"
    NOT_REQUIRED = "not_required"


PERMIT_ALIASES = {
    "": PermitStatus.NOT_REQUESTED, "belum": PermitStatus.NOT_REQUESTED,
    "diajukan": PermitStatus.REQUESTED, "proses": PermitStatus.REQUESTED,
    "terbit": PermitStatus.ISSUED, "ada": PermitStatus.ISSUED, "sttp": PermitStatus.ISSUED,
    "ditolak": PermitStatus.REFUSED, "tidak perlu": PermitStatus.NOT_REQUIRED,
}


class LocationSource(StrEnum):
    """Where an event's coordinates come from."""

    GIVEN = "given"
    VILLAGE_CENTROID = "village_centroid"
    DISTRICT_CENTROID = "district_centroid"


@dataclass(frozen=True, slots=True)
class Camp:
    """The side behind an event: a candidate pair of a contest, or a named organiser."""

    contest_id: str | None
    pair_number: int | None
    organiser: str | None

    @property
    def label(self) -> str:
        """Return a short name: 'paslon 2 (pilkada2024:regent:15.02)' or the organiser."""
        if self.pair_number is not None:
            return f"paslon {self.pair_number} ({self.contest_id})"
        return self.organiser or "?"


@dataclass(frozen=True, slots=True)
class Event:
    """A campaign event or gathering with place, time window and expected crowd."""

    camp: Camp
    type: EventType
    region_code: str
    venue: str | None
    lat: float
    lng: float
    location_source: LocationSource
    starts_at: datetime  # timezone-aware
    ends_at: datetime
    expected_crowd: int | None
    permit_status: PermitStatus
    contact: str | None = None
    title: str | None = None


class Severity(StrEnum):
    """How urgent a warning is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH)
SEVERITY_LABELS = {Severity.LOW: "rendah / low", Severity.MEDIUM: "sedang / medium",
                   Severity.HIGH: "tinggi / high"}


class Response(StrEnum):
    """What the forum is advised to do about a warning."""

    RESCHEDULE = "reschedule"  # jadwal ulang
    MOVE = "move"  # pindah lokasi
    ESCORT = "escort"  # pengawalan / pengamanan


RESPONSE_LABELS = {Response.RESCHEDULE: "jadwal ulang / reschedule",
                   Response.MOVE: "pindah lokasi / move", Response.ESCORT: "pengawalan / escort"}


class WarningKind(StrEnum):
    """Why a warning was raised."""

    RIVAL_CLASH = "rival_clash"
    HIGH_RISK_AREA = "high_risk_area"
    NEAR_VULNERABLE_TPS = "near_vulnerable_tps"


def raise_severity(severity: Severity) -> Severity:
    """Return the next severity up (HIGH stays HIGH)."""
    return SEVERITY_ORDER[min(SEVERITY_ORDER.index(severity) + 1, len(SEVERITY_ORDER) - 1)]


class ResourceKind(StrEnum):
    """Medical readiness resources a district reports."""

    MEDICAL_POST = "medical_post"  # pos kesehatan
    MEDICAL_TEAM = "medical_team"  # tim medis / tim kesehatan
    AMBULANCE = "ambulance"
    PSC119 = "psc119"  # Public Safety Center 119 covering the district


RESOURCE_ALIASES = {
    "pos kesehatan": ResourceKind.MEDICAL_POST, "posko kesehatan": ResourceKind.MEDICAL_POST,
    "tim medis": ResourceKind.MEDICAL_TEAM, "tim kesehatan": ResourceKind.MEDICAL_TEAM,
    "ambulans": ResourceKind.AMBULANCE, "psc 119": ResourceKind.PSC119,
    "psc": ResourceKind.PSC119,
}
