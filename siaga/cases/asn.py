"""The formal elements of an ASN-neutrality report, checked before a case may be verified."""

from __future__ import annotations

import re
from typing import Any

from siaga.domain.cases import AsnElements

_NIP = re.compile(r"^\d{18}$")


class AsnError(ValueError):
    """Formal elements that are missing or malformed, naming each one."""


def check_asn(elements: AsnElements) -> dict[str, Any]:
    """Return the elements as a record, or raise AsnError listing what is missing or wrong."""
    problems = [name for name in ("reported_name", "position", "unit", "place", "description",
                                  "reporter_name") if not str(getattr(elements, name)).strip()]
    nip = elements.nip.replace(" ", "")
    if not _NIP.match(nip):
        problems.append(f"nip (18 digits expected, got {elements.nip!r})")
    if elements.occurred_at.tzinfo is None:
        problems.append("occurred_at (needs a time zone, e.g. +07:00)")
    if problems:
        raise AsnError("unsur formal ASN tidak lengkap / ASN formal elements missing or wrong: "
                       + ", ".join(problems))
    return {"reported_name": elements.reported_name.strip(), "nip": nip,
            "position": elements.position.strip(), "unit": elements.unit.strip(),
            "occurred_at": elements.occurred_at.isoformat(), "place": elements.place.strip(),
            "description": elements.description.strip(),
            "reporter_name": elements.reporter_name.strip(),
            "witnesses": list(elements.witnesses), "evidence": list(elements.evidence)}
