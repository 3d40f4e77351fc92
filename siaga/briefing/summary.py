"""The briefing's opening paragraph, written from its data in plain Indonesian (or English)."""

from __future__ import annotations

from collections.abc import Callable

from siaga.briefing.model import Briefing

UNIT_WORDS = {"province": ("provinsi", "provinces"), "regency": ("kabupaten/kota", "regencies"),
              "district": ("kecamatan", "districts"), "village": ("desa/kelurahan", "villages")}
CLASS_WORDS = {"high": ("tinggi", "high"), "medium": ("sedang", "medium"),
               "low": ("rendah", "low")}
Line = Callable[[Briefing], str | None]


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _picture(b: Briefing) -> str:
    units = _pick(UNIT_WORDS[b.unit_level], b.lang)
    high, medium = b.class_counts["high"], b.class_counts["medium"]
    if b.lang == "en":
        return (f"As of {b.as_of:%d %B %Y %H:%M %Z}, {high} of {b.units_total} {units} of "
                f"{b.scope_name} are in the high vulnerability class and {medium} in the medium "
                f"class ({b.framework_title}).")
    return (f"Per {b.as_of:%d-%m-%Y %H:%M %Z}, {high} dari {b.units_total} {units} di "
            f"{b.scope_name} berada pada kelas kerawanan tinggi dan {medium} pada kelas sedang "
            f"({b.framework_title}).")


def _most(b: Briefing) -> str | None:
    if not b.top_units:
        return None
    top = b.top_units[0]
    klass = _pick(CLASS_WORDS[top.klass], b.lang)
    reason = top.reasons[0].rsplit(" (", 1)[0] if top.reasons else None
    if b.lang == "en":
        why = f", driven mostly by {reason.lower()}" if reason else ""
        return f"The most vulnerable is {top.name} ({top.score:.1f}, {klass}){why}."
    why = f", terutama karena {reason.lower()}" if reason else ""
    return f"Paling rawan: {top.name} ({top.score:.1f}, {klass}){why}."


def _rose(b: Briefing) -> str | None:
    if not b.rising:
        return (f"No unit's score rose in the last {b.period_days} days." if b.lang == "en"
                else f"Tidak ada wilayah yang skornya naik dalam {b.period_days} hari terakhir.")
    parts = ", ".join(f"{r.name} (+{r.change:.1f})" for r in b.rising[:3])
    return (f"Rising most over the last {b.period_days} days: {parts}." if b.lang == "en"
            else f"Kenaikan terbesar dalam {b.period_days} hari terakhir: {parts}.")


def _demo(b: Briefing) -> str | None:
    if not b.demo:
        return None
    return ("Note: part of the data is invented demo data." if b.lang == "en"
            else "Catatan: sebagian data adalah data contoh (demo), bukan kejadian nyata.")


def _sections(b: Briefing) -> str | None:
    said = [pair[1] if b.lang == "en" else pair[0]
            for section in b.sections.values() for pair in section.sentences]
    return " ".join(said) or None


LINES: list[Line] = [_picture, _most, _rose, _sections, _demo]


def write_summary(b: Briefing) -> str:
    """Return the summary paragraph: each line that has something to say, in order."""
    return " ".join(text for line in LINES if (text := line(b)))
