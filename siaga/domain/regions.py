"""Kemendagri region codes and the region record.

A code has 2 (province), 4 (regency/city), 6 (district) or 10 (village) digits; written with dots
as ``15``, ``15.02``, ``15.02.01``, ``15.02.01.2001``. KPU files write the same codes without dots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """Administrative level of a region."""

    PROVINCE = "province"
    REGENCY = "regency"
    DISTRICT = "district"
    VILLAGE = "village"


class RegionCodeError(ValueError):
    """A string that is not a well-formed Kemendagri region code."""


_DIGITS_TO_LEVEL = {2: Level.PROVINCE, 4: Level.REGENCY, 6: Level.DISTRICT, 10: Level.VILLAGE}
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_UNDOTTED = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$")


def normalize_code(code: str) -> str:
    """Return the dotted form of a region code given dotted or undotted; raise RegionCodeError."""
    text = code.strip()
    if _DOTTED.match(text):
        return text
    if _UNDOTTED.match(text):
        parts = [text[:2], text[2:4], text[4:6], text[6:]]
        return ".".join(p for p in parts if p)
    raise RegionCodeError(
        f"{code!r} is not a region code: expected 2, 4, 6 or 10 digits, "
        "dotted like 15.02.01.2001 or undotted like 1502012001"
    )


def undotted(code: str) -> str:
    """Return the code without dots, as KPU writes it."""
    return normalize_code(code).replace(".", "")


def level_of(code: str) -> Level:
    """Return the administrative level implied by the code's length."""
    return _DIGITS_TO_LEVEL[len(undotted(code))]


def parent_of(code: str) -> str | None:
    """Return the dotted code of the parent region, or None for a province."""
    dotted = normalize_code(code)
    return dotted.rsplit(".", 1)[0] if "." in dotted else None


def ancestors_of(code: str) -> list[str]:
    """Return the codes of all enclosing regions, nearest first."""
    found: list[str] = []
    parent = parent_of(code)
    while parent is not None:
        found.append(parent)
        parent = parent_of(parent)
    return found


def is_city(regency_code: str) -> bool:
    """Return True when a regency-level code denotes a city (kota): its own part is 71 or above."""
    return int(normalize_code(regency_code).split(".")[1]) >= 71


def is_kelurahan(village_code: str) -> bool:
    """Return True for an urban kelurahan (village part starting with 1), False for a desa."""
    return normalize_code(village_code).split(".")[3].startswith("1")


@dataclass(frozen=True, slots=True)
class Region:
    """One region of the official code list."""

    code: str
    name: str
    level: Level
    parent: str | None
