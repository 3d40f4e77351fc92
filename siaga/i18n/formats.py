"""Numbers, dates and times as an Indonesian (or English) reader writes them, via Babel's CLDR.

Every time carries its zone label: WIB, WITA or WIT, from the province of the region it
belongs to (`siaga.domain.timezones`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.numbers import format_decimal, format_percent

from siaga.domain.timezones import zone_of

DASH = "\u2013"  # the en dash: no value, and ranges such as 0\u20131

LOCALES = {"id": "id_ID", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "id_ID")


def number(value: float | int | None, lang: str = "id", digits: int = 0) -> str:
    """Return the number with the language's separators (id: 12.345,6; en: 12,345.6)."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=_locale(lang)))


def percent(fraction: float | None, lang: str = "id", digits: int = 1) -> str:
    """Return a 0..1 fraction as a percentage (id: 72,5%; en: 72.5%)."""
    if fraction is None:
        return DASH
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return str(format_percent(fraction, format=pattern, locale=_locale(lang)))


def _aware(moment: datetime | str) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(moment: datetime | str | None, region: str | None, lang: str = "id") -> str:
    """Return date and time in the region's zone with its label, e.g. '6 Des 2026 11.20 WIB'.

    No region: WIB (the forum's demo regencies and the capital are WIB).
    """
    if moment is None:
        return DASH
    zone = zone_of(region or "31")
    local = _aware(moment).astimezone(zone)
    pattern = "d MMM y HH.mm" if lang != "en" else "d MMM y HH:mm"
    return f"{_format_datetime(local, pattern, locale=_locale(lang))} {zone.tzname(None)}"


def clock(moment: datetime | str, region: str | None, lang: str = "id") -> str:
    """Return only the time of day in the region's zone with its label, e.g. '14.00 WIB'."""
    zone = zone_of(region or "31")
    local = _aware(moment).astimezone(zone)
    pattern = "HH.mm" if lang != "en" else "HH:mm"
    return f"{_format_datetime(local, pattern, locale=_locale(lang))} {zone.tzname(None)}"


def day(value: date | datetime | str | None, lang: str = "id", long: bool = False) -> str:
    """Return a calendar date, e.g. '6 Des 2026' (long: 'Minggu, 6 Desember 2026')."""
    if value is None:
        return DASH
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    pattern = "EEEE, d MMMM y" if long else "d MMM y"
    return str(_format_date(value, pattern, locale=_locale(lang)))
