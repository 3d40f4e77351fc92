"""Who may act in Siaga: the roles and the forum's agencies (codes and labels)."""

from __future__ import annotations

from dataclasses import dataclass

from siaga.domain.access import Role

__all__ = ["AGENCIES", "Role", "RoleError", "Viewer"]


# The forum's agencies at regency level; routing rules and officers name them by these codes.
AGENCIES: dict[str, str] = {
    "pemkab": "Pemerintah Kabupaten / Regency government (forum chair)",
    "kesbangpol": "Badan Kesbangpol / National-unity agency",
    "diskominfo": "Diskominfo / Communications agency",
    "bawaslu": "Bawaslu Kabupaten / Election supervisory body",
    "kpu": "KPU Kabupaten / Election commission",
    "polres": "Polres / District police",
    "kodim": "Kodim / Military district command",
    "dinkes": "Dinas Kesehatan / Health agency",
    "bkpsdm": "BKPSDM / Regency civil-service agency",
    "satpolpp": "Satpol PP / Civil-service police",
}


class RoleError(ValueError):
    """A viewer that cannot exist (unknown role, or an officer without an agency)."""


@dataclass(frozen=True)
class Viewer:
    """Someone looking at reports and cases: a name, a role, and the agency of an officer."""

    name: str
    role: Role
    agency: str | None = None

    def __post_init__(self) -> None:
        if self.role is Role.AGENCY_OFFICER and self.agency not in AGENCIES:
            raise RoleError(
                f"petugas instansi harus terikat pada satu instansi / an agency officer needs one "
                f"agency; got {self.agency!r}, expected one of {', '.join(AGENCIES)}"
            )
        if self.role is not Role.AGENCY_OFFICER and self.agency is not None:
            raise RoleError(f"role {self.role.value} is not bound to an agency")
