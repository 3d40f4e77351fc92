"""Sentences a reader understands, built from the figures behind alerts, warnings and gaps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scipy.stats import poisson

from siaga.i18n.catalogue import label
from siaga.i18n.formats import DASH, number


def usual_range(expected: float) -> tuple[int, int]:
    """Return the counts a Poisson baseline of `expected` gives 90% of the time (5th to 95th)."""
    return int(poisson.ppf(0.05, expected)), int(poisson.ppf(0.95, expected))


def alert_sentence(alert: Mapping[str, Any], lang: str = "id") -> str:
    """Return e.g. '8 laporan politik uang dalam 24 jam; biasanya 0 to 1' (an en dash)."""
    low, high = usual_range(float(alert["expected"]))
    usual = f"{low}{DASH}{high}" if high > low else str(low)
    kind = label("category_reports", alert["category"], lang)
    days = int(alert["window_days"])
    if lang == "en":
        span = "24 hours" if days == 1 else f"{days} days"
        return f"{alert['observed']} {kind} reports in {span}; usually {usual}"
    span = "24 jam" if days == 1 else f"{days} hari"
    return f"{alert['observed']} laporan {kind} dalam {span}; biasanya {usual}"


def shortage(short: Mapping[str, int], lang: str = "id") -> list[str]:
    """Return the readiness gaps in words: 'kurang 2 tim medis' / 'short of 2 medical teams'."""
    word = "short of" if lang == "en" else "kurang"
    return [f"{word} {count} {label('resource', ONE.get(kind, kind) if count == 1 else kind, lang)}"
            for kind, count in short.items()]


ONE = {"medical_teams": "medical_team", "ambulances": "ambulance", "medical_posts": "medical_post"}


def _camp(event: Mapping[str, Any], pairs: Mapping[tuple[str, int], str]) -> str:
    if event.get("pair_number") is None:
        return str(event.get("organiser") or "?")
    names = pairs.get((event.get("contest_id") or "", int(event["pair_number"])))
    return f"{names} (no. {event['pair_number']})" if names else f"no. {event['pair_number']}"


def warning_sentence(warning: Mapping[str, Any], lang: str,
                     pairs: Mapping[tuple[str, int], str],
                     places: Mapping[str, str]) -> str:
    """Return why an event warning was raised, from its figures, with names instead of codes."""
    en = lang == "en"
    events = warning.get("event_details") or []
    kind = warning["kind"]
    if kind == "rival_clash" and len(events) == 2:
        a, b = (_camp(e, pairs) for e in events)
        km = number(warning["distance_km"], lang, 2)
        when = (("at the same time" if en else "pada waktu yang sama")
                if warning.get("overlapping") else
                ("with less than the safe gap between them" if en
                 else "dengan jeda kurang dari batas aman"))
        return (f"{a} and {b} meet {km} km apart {when}." if en
                else f"{a} dan {b} berkegiatan berjarak {km} km {when}.")
    if kind == "high_risk_area":
        area = places.get(warning.get("area") or "", warning.get("area") or "")
        klass = label("risk_class", warning.get("risk_class"), lang).lower()
        return (f"The event is in {area}, an area of {klass} on the index." if en
                else f"Kegiatan berada di {area}, wilayah {klass} menurut indeks kerawanan.")
    if kind == "near_vulnerable_tps":
        count = warning.get("tps_count", 0)
        return (f"{count} vulnerable polling stations lie near the venue." if en
                else f"{count} TPS rawan berada di dekat lokasi kegiatan.")
    return label("warning_kind", kind, lang)
