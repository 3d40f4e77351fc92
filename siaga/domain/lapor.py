"""The LAPOR message grammar, the one both SMS channels read.

A message starts with the keyword LAPOR. Two forms follow it:

- the field-report form (officers, `sources.field_reports`):
  `LAPOR <TPS, village code or village name> <CATEGORY CODE> <free text>`;
- the report form (citizens' SMS, `cases.intake`): `LAPOR <dotted region code> <free text>`,
  where `#` and `:` may stand for the spaces.
"""

from __future__ import annotations

import re

KEYWORD = "LAPOR"
CATEGORY_CODES: dict[str, str] = {
    "UANG": "money_politics",
    "ASN": "asn_neutrality",
    "SARA": "hate_sara",
    "HOAKS": "hoax",
    "HITAM": "black_campaign",
    "KEKERASAN": "violence_intimidation",
    "MASSA": "mass_mobilization",
    "LOGISTIK": "logistics_admin",
    "BENCANA": "disaster_health",
    "PARTISIPASI": "participation",
}
"""The category code an officer writes → the detection category it files the report under."""
ALIASES = {"HOAX": "HOAKS", "POLITIKUANG": "UANG", "INTIMIDASI": "KEKERASAN"}
EXAMPLE = "LAPOR 15.02.01.2001 UANG ada pembagian amplop di dekat TPS 3"
REPORT_EXAMPLE = "LAPOR 15.02.01 ..."

_SEPARATOR = r"[\s#:]+"
_REPORT_FORM = re.compile(
    rf"^\s*{KEYWORD}{_SEPARATOR}(?P<region>\d{{2}}(?:\.\d{{2}}(?:\.\d{{2}}(?:\.\d{{4}})?)?)?)"
    rf"{_SEPARATOR}(?P<text>\S.*)$", re.IGNORECASE | re.DOTALL)


def lapor_words(message: str) -> list[str] | None:
    """Return the words after the keyword (field-report form), or None when the message does
    not start with LAPOR (a colon after it is allowed)."""
    words = message.split()
    if not words or words[0].upper().rstrip(":") != KEYWORD:
        return None
    return words[1:]


def category_code(word: str) -> str | None:
    """Return the category code a word stands for (aliases and punctuation allowed), or None."""
    key = word.upper().strip(".,:;")
    key = ALIASES.get(key, key)
    return key if key in CATEGORY_CODES else None


def report_form(message: str) -> tuple[str, str] | None:
    """Return (region code, text) of a message in the report form, or None."""
    found = _REPORT_FORM.match(message)
    return None if found is None else (found["region"], found["text"])
