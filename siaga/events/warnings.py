"""Turn clash pairs and risk look-ups into warnings with a reason, severity and response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from siaga.domain.events import (
    RESPONSE_LABELS,
    SEVERITY_ORDER,
    PermitStatus,
    Response,
    Severity,
    WarningKind,
    raise_severity,
)


@dataclass
class EventWarning:
    """One warning: which events, why, how severe, and what to do."""

    kind: WarningKind
    severity: Severity
    response: Response
    reason: str
    events: list[int]
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Return the warning as plain JSON-ready values."""
        return {"kind": self.kind.value, "severity": self.severity.value,
                "response": self.response.value, "response_label": RESPONSE_LABELS[self.response],
                "reason": self.reason, "events": self.events, **self.detail}


def clash_warning(a: Any, b: Any, distance_km: float, overlapping: bool, max_km: float,
                  large_crowd: int) -> EventWarning:
    """Return the warning for two rival events `a`, `b` (stored rows) this close in time."""
    if overlapping and distance_km <= max_km / 2:
        severity, response = Severity.HIGH, Response.RESCHEDULE
        why = "waktu bertumpuk dan lokasi sangat dekat / same time, very close"
    elif overlapping:
        severity, response = Severity.MEDIUM, Response.MOVE
        why = "waktu bertumpuk / same time"
    else:
        severity, response = Severity.LOW, Response.ESCORT
        why = "jeda antar-acara kurang dari buffer / gap shorter than the buffer"
    crowd = (a.expected_crowd or 0) + (b.expected_crowd or 0)
    if crowd >= large_crowd:
        severity = raise_severity(severity)
    target = _to_change(a, b)
    reason = (f"Paslon {a.pair_number} dan paslon {b.pair_number} ({a.contest_id}) berjarak "
              f"{distance_km:.2f} km; {why}. Rival pairs {distance_km:.2f} km apart "
              f"(limit {max_km:g} km).")
    return EventWarning(WarningKind.RIVAL_CLASH, severity, response, reason, [a.id, b.id], {
        "distance_km": round(distance_km, 3), "overlapping": overlapping,
        "combined_crowd": crowd or None,
        "change_event": target.id if response is not Response.ESCORT else None})


def _to_change(a: Any, b: Any) -> Any:
    """Return the event to move or reschedule: one without an issued STTP, else the later entry."""
    issued = PermitStatus.ISSUED.value
    if (a.permit_status == issued) != (b.permit_status == issued):
        return b if a.permit_status == issued else a
    return max(a, b, key=lambda e: e.id)


def area_warning(event: Any, risk_class: str, area: str, large_crowd: int) -> EventWarning | None:
    """Return a warning for an event in a medium- or high-risk area, or None."""
    crowd = event.expected_crowd or 0
    if risk_class == "high":
        severity = Severity.HIGH if crowd >= large_crowd else Severity.MEDIUM
    elif risk_class == "medium" and crowd >= large_crowd:
        severity = Severity.MEDIUM
    else:
        return None
    reason = (f"Acara di wilayah rawan {risk_class} ({area}) / event in a {risk_class}-risk "
              "area of the vulnerability index")
    return EventWarning(WarningKind.HIGH_RISK_AREA, severity, Response.ESCORT, reason,
                        [event.id], {"area": area, "risk_class": risk_class})


def tps_warning(event: Any, tps: list[tuple[str, float]], radius_km: float,
                large_crowd: int) -> EventWarning:
    """Return a warning for an event within `radius_km` of vulnerable TPS (code, km)."""
    severity = Severity.MEDIUM if (event.expected_crowd or 0) >= large_crowd else Severity.LOW
    nearest = min(tps, key=lambda t: t[1])
    reason = (f"{len(tps)} TPS rawan dalam {radius_km:g} km (terdekat {nearest[0]}, "
              f"{nearest[1]:.2f} km) / vulnerable TPS near the venue; TPS are placed at their "
              "village centroid")
    return EventWarning(WarningKind.NEAR_VULNERABLE_TPS, severity, Response.ESCORT, reason,
                        [event.id], {"tps": [t[0] for t in sorted(tps, key=lambda t: t[1])][:20],
                                     "tps_count": len(tps)})


def sort_warnings(warnings: list[EventWarning]) -> list[EventWarning]:
    """Return warnings most severe first, then by first event id."""
    return sorted(warnings, key=lambda w: (-SEVERITY_ORDER.index(w.severity), w.events))
