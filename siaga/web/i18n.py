"""The dashboard's language: Bahasa Indonesia by default, English on request."""

from __future__ import annotations

from collections.abc import Callable

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
