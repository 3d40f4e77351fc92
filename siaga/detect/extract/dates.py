"""Dates written the Indonesian way, resolved against a reference date.

Recognised: '4 November 2024', '4 Nov', '4 Agt 2024', '17/April/2018'; '27/11', 'Selasa (10/9)',
'27/11/2024', '27-11-2024', '27.11.24'; ISO '2024-11-27'; 'hari ini', 'kemarin', 'kemarin lusa',
'besok', 'lusa'. A date without a year takes the reference year, or the year before when that
would put it more than half a year after the reference (texts mostly report what has happened).
When a weekday is written just before a yearless date ('Selasa (10/9)') and the reference year
does not fit it, the nearest earlier year whose calendar agrees is taken. Impossible dates
(31/2, 0/5, 13/13) are rejected.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable

_MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3,
    "jumat": 4, "sabtu": 5, "minggu": 6, "ahad": 6,
}  # fmt: skip
_RELATIVE = {"hari ini": 0, "kemarin": -1, "kemarin lusa": -2, "besok": 1, "lusa": 2}

_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_WORDS = "|".join(_WEEKDAYS)
# The patterns open with a digit, not with a lookbehind: Python's regex engine then skips from
# digit to digit instead of trying the whole pattern at every position, several times faster
# on long articles. `(\d(?<!\d\d)\d?)` is `(?<!\d)(\d{1,2})` with the lookbehind moved past the
# first digit (it looks at the character before that digit and the digit itself).
_ISO = re.compile(r"(\d(?<!\d\d)\d{3})-(\d{2})-(\d{2})(?!\d)")
_NUMERIC_YEAR = re.compile(r"(\d(?<![\d/.-]\d)\d?)([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])")
_NAMED = re.compile(rf"(\d(?<!\d\d)\d?)[\s/-]*({_MONTH_WORDS})\b\.?(?:[\s/-]+(\d{{4}}))?(?!\d)")
_SHORT = re.compile(
    rf"(?:\b({_WEEKDAY_WORDS})\b[\s,(]*)?(?<![\d/.])(\d{{1,2}})/(\d{{1,2}})(?![\d/])"
)
_SHORT_NUMBERS = re.compile(r"(\d(?<![\d/.]\d)\d?)/(\d{1,2})(?![\d/])")
"""The day/month part of `_SHORT` alone, opening with a digit (see `_find_short`)."""
_RELATIVE_RE = re.compile(r"\b(kemarin lusa|kemarin|hari ini|besok|lusa)\b")
_RELATIVE_WORDS = ("kemarin", "hari ini", "besok", "lusa")
_NUMBER_CUE = re.compile(rf"\d(?:[/.-]\d|[\s/-]*(?:{_MONTH_WORDS}))")
"""A digit followed by a separator and a digit, or by a month: every pattern above but the
relative one needs it, so a text without it skips them all."""
_HALF_YEAR = datetime.timedelta(days=183)


def _make(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _yearless(
    month: int, day: int, reference: datetime.date, weekday: int | None = None
) -> datetime.date | None:
    """Return the day/month in the year the reference implies, or None if it never exists."""
    found = _make(reference.year, month, day)
    if found is None and (month, day) == (2, 29):
        found = _make(reference.year - 1 - (reference.year - 1) % 4, 2, 29)
    if found is not None and found - reference > _HALF_YEAR:
        found = _make(found.year - 1, month, day) or found
    if found is not None and weekday is not None and found.weekday() != weekday:
        for back in range(1, 7):
            earlier = _make(found.year - back, month, day)
            if earlier is not None and earlier.weekday() == weekday:
                return earlier
    return found


def _blank(text: str, matches: list[re.Match[str]]) -> str:
    """Return the text with the matched spans replaced by spaces (positions kept)."""
    pieces, last = [], 0
    for match in matches:
        start, end = match.span()
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _find_short(text: str) -> list[re.Match[str]]:
    """Return the matches of `_SHORT` in `text`, the same as `_SHORT.finditer(text)` gives.

    `_SHORT` opens with an optional weekday, which makes the regex engine try it at every
    position. Instead its numbers are found by `_SHORT_NUMBERS`, and `_SHORT` is matched from
    the weekday written just before them (only separators in between), else from the numbers.
    """
    found: list[re.Match[str]] = []
    for numbers in _SHORT_NUMBERS.finditer(text):
        start = gap = numbers.start()
        while gap > 0 and (text[gap - 1].isspace() or text[gap - 1] in ",("):
            gap -= 1  # str.isspace is exactly the regex's \s
        match = None
        if gap < start:
            weekday = next((w for w in _WEEKDAYS if text.endswith(w, 0, gap)), None)
            if weekday is not None:
                match = _SHORT.match(text, gap - len(weekday))
        match = match or _SHORT.match(text, start)
        if match is not None:
            found.append(match)
    return found


_Finder = Callable[[str], Iterable[re.Match[str]]]
_Reader = Callable[[re.Match[str], datetime.date], datetime.date | None]


def find_dates(text: str, reference: datetime.date) -> list[datetime.date]:
    """Return the valid dates written in `text`, in order of appearance, without repeats."""
    lower = text.lower().replace("jum'at", "jumat ").replace("jum\u2019at", "jumat ")
    relative = any(word in lower for word in _RELATIVE_WORDS)
    if not relative and _NUMBER_CUE.search(lower) is None:
        return []  # most texts: numbers perhaps, but none written as a date
    found: list[tuple[int, datetime.date]] = []
    passes: tuple[tuple[_Finder, _Reader, bool], ...] = (
        (_ISO.finditer, _read_iso, "-" in lower),
        (_NUMERIC_YEAR.finditer, _read_numeric, True),
        (_NAMED.finditer, _read_named, True),
        (_find_short, _read_short, "/" in lower),
        (_RELATIVE_RE.finditer, _read_relative, relative),
    )
    for find, read, needed in passes:
        if not needed:
            continue
        matches = list(find(lower))
        for match in matches:
            date = read(match, reference)
            if date is not None:
                found.append((match.start(), date))
        if matches:
            lower = _blank(lower, matches)
    found.sort(key=lambda item: item[0])
    return list(dict.fromkeys(date for _position, date in found))


def _read_iso(match: re.Match[str], _reference: datetime.date) -> datetime.date | None:
    return _make(int(match[1]), int(match[2]), int(match[3]))


def _read_numeric(match: re.Match[str], _reference: datetime.date) -> datetime.date | None:
    return _make(_full_year(match[4]), int(match[3]), int(match[1]))


def _read_named(match: re.Match[str], reference: datetime.date) -> datetime.date | None:
    month, day = _MONTHS[match[2]], int(match[1])
    if match[3]:
        return _make(int(match[3]), month, day)
    return _yearless(month, day, reference)


def _read_short(match: re.Match[str], reference: datetime.date) -> datetime.date | None:
    weekday = _WEEKDAYS[match[1]] if match[1] else None
    return _yearless(int(match[3]), int(match[2]), reference, weekday)


def _read_relative(match: re.Match[str], reference: datetime.date) -> datetime.date | None:
    return reference + datetime.timedelta(days=_RELATIVE[match[1]])
