"""Reading reports in: SMS-style text, CSV rows, receipt codes and source keys."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from siaga.domain.cases import Channel, NewReport, Reporter, ReportOrigin
from siaga.domain.lapor import report_form
from siaga.domain.timezones import in_range

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
MAX_TEXT = 10_000
CSV_COLUMNS = ("text", "region", "url", "occurred_at", "reporter_name", "reporter_contact",
               "category", "anonymous")



class IntakeError(ValueError):
    """A report that cannot be taken in, with the reason in both languages."""


def new_receipt(token: Callable[[int], str] | None = None) -> str:
    """Return a fresh receipt code like SGA-7KQ2-M9XD."""
    pick = token or (lambda n: "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(n)))
    raw = pick(8)
    return f"SGA-{raw[:4]}-{raw[4:]}"


def normalise_receipt(text: str) -> str:
    """Return a receipt code as stored, from what a citizen typed.

    'sga-7kq2-m9xd', '7KQ2-M9XD', '7kq2m9xd' and 'SGA 7KQ2 M9XD' all give 'SGA-7KQ2-M9XD';
    anything else comes back upper-cased and trimmed (and will simply not be found).
    """
    raw = re.sub(r"[\s\-_.]", "", text.strip().upper())
    raw = raw.removeprefix("SGA")
    if len(raw) == 8:
        return f"SGA-{raw[:4]}-{raw[4:]}"
    return text.strip().upper()


def source_key(kind: str, value: str) -> str:
    """Return a one-way key of a sender (IP, phone) for abuse limits; the sender is not stored."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def check_text(text: str) -> str:
    """Return the trimmed report text, or raise IntakeError when it is empty or too long."""
    cleaned = text.strip()
    if not cleaned:
        raise IntakeError("isi laporan kosong / the report text is empty")
    if len(cleaned) > MAX_TEXT:
        raise IntakeError(f"isi laporan terlalu panjang / report text too long: {len(cleaned):,} "
                          f"characters, limit {MAX_TEXT:,}")
    return cleaned


def parse_sms(message: str, sender: str, operator: str) -> NewReport:
    """Return the report in an SMS-style message "LAPOR <region code> <text>"."""
    found = report_form(message)
    if found is None:
        raise IntakeError("format SMS tidak dikenal / unknown SMS format; expected "
                          "'LAPOR <kode wilayah> <isi laporan>', e.g. 'LAPOR 15.02.01 ...'")
    region, text = found
    return NewReport(text=check_text(text), channel=Channel.SMS, region=region,
                     reporter=Reporter(name=sender, contact=sender), submitted_by=operator,
                     origin=ReportOrigin("sms", sender))


@dataclass(frozen=True)
class CsvRow:
    """One parsed CSV row: its row number and report, or the problem with it."""

    row: int
    report: NewReport | None
    problem: str | None


def parse_csv_row(row: int, values: Mapping[str, str | None], origin_ref: str,
                  operator: str) -> CsvRow:
    """Return the report of one CSV row (row numbers count the header as row 1)."""
    def get(name: str) -> str | None:
        value = (values.get(name) or "").strip()
        return value or None

    try:
        text = check_text(get("text") or "")
        occurred = _parse_time(get("occurred_at"))
    except IntakeError as exc:
        return CsvRow(row, None, str(exc))
    anonymous = (get("anonymous") or "").lower() in ("1", "ya", "yes", "true", "y")
    name = None if anonymous else get("reporter_name")
    reporter = Reporter(name, get("reporter_contact")) if name else None
    return CsvRow(row, NewReport(
        text=text, channel=Channel.CSV, region=get("region"), url=get("url"),
        occurred_at=occurred, reporter=reporter, category=get("category"),
        origin=ReportOrigin("csv", f"{origin_ref}#row={row}"), submitted_by=operator), None)


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise IntakeError(f"occurred_at {value!r} bukan waktu ISO / is not an ISO time "
                          "(expected e.g. 2024-11-20T14:30+07:00)") from None
    if parsed.tzinfo is None:
        raise IntakeError(f"occurred_at {value!r} tanpa zona waktu / has no time zone "
                          "(add +07:00 for WIB)")
    try:
        return in_range(parsed, "occurred_at")
    except ValueError as exc:
        raise IntakeError(str(exc)) from None
