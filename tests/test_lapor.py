"""The one LAPOR grammar: both message forms and the category codes."""

from __future__ import annotations

from siaga.domain.lapor import CATEGORY_CODES, category_code, lapor_words, report_form


def test_the_report_form_gives_region_and_text_whatever_the_separators() -> None:
    assert report_form("LAPOR 15.02.01 ada amplop") == ("15.02.01", "ada amplop")
    assert report_form("lapor#15.02#ada\namplop") == ("15.02", "ada\namplop")
    assert report_form("  LAPOR: 15 banjir") == ("15", "banjir")
    assert report_form("LAPOR kampung ada amplop") is None  # a name is not a region code
    assert report_form("LAPORAN 15.02 x") is None
    assert report_form("LAPOR 15.02") is None  # no text


def test_the_field_report_form_gives_the_words_after_the_keyword() -> None:
    assert lapor_words("lapor: Desa Air Dikit UANG ada amplop") == [
        "Desa", "Air", "Dikit", "UANG", "ada", "amplop"]
    assert lapor_words("LAPOR") == []
    assert lapor_words("LAPORAN Desa UANG x") is None
    assert lapor_words("") is None


def test_category_codes_take_aliases_and_punctuation() -> None:
    assert category_code("uang") == "UANG"
    assert category_code("hoax,") == "HOAKS"
    assert category_code("POLITIKUANG:") == "UANG"
    assert category_code("amplop") is None
    assert CATEGORY_CODES[category_code("intimidasi") or ""] == "violence_intimidation"
