"""The dashboard's language: Bahasa Indonesia by default, English on request.

Templates get `t(id, en)` for prose and, from the one catalogue (`siaga.i18n`), `L(domain, code)`
for every code, plus number, percentage, date and zoned-time formatters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from siaga.i18n import catalogue
from siaga.i18n import formats as fmt

LANG_COOKIE = "siaga_lang"
LANGUAGES = ("id", "en")


def choose_language(query: str | None, cookie: str | None) -> str:
    """Return 'id' or 'en': the query's choice, else the remembered one, else Indonesian."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return "id"


def translator(lang: str) -> Callable[[str, str], str]:
    """Return t(indonesian, english) picking the text of the chosen language."""
    english = lang == "en"

    def t(indonesian: str, english_text: str) -> str:
        return english_text if english else indonesian

    return t


def contest_name(name: str | None) -> str:
    """Return a contest's stored name as officers say it: 'Pilkada Bupati Merangin 2024'."""
    if not name:
        return ""
    return "Pilkada " + name.removeprefix("Pemilihan ")


def helpers(lang: str) -> dict[str, Any]:
    """Return the functions templates format with, bound to the language."""
    return {
        "t": translator(lang),
        "L": lambda domain, code: catalogue.label(domain, code, lang),
        "Ls": lambda domain: catalogue.labels(domain, lang),
        "num": lambda value, digits=0: fmt.number(value, lang, digits),
        "pct": lambda value, digits=1: fmt.percent(value, lang, digits),
        "when": lambda moment, region=None: fmt.local_time(moment, region, lang),
        "clock": lambda moment, region=None: fmt.clock(moment, region, lang),
        "day": lambda value, long=False: fmt.day(value, lang, long),
        "contest": contest_name,
    }
