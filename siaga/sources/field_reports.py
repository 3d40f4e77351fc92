"""Field reports by SMS or WhatsApp: `LAPOR <TPS or village code or name> <CODE> <free text>`.

Any gateway that hands Siaga the message text can use it. Each message gets a reply in
Indonesian: a confirmation with a reference number, or exactly what was wrong (unknown
category code, unknown or ambiguous village, missing text) and how to write it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from siaga.datafiles.problems import RowProblem
from siaga.domain.lapor import CATEGORY_CODES, EXAMPLE, category_code, lapor_words
from siaga.domain.regions import Level, Region, RegionCodeError, level_of, normalize_code
from siaga.domain.signals import Signal, SourceKind, content_hash
from siaga.regions.codelist import CODE_LIST_FILES, CURRENT_VINTAGE, name_key, read_code_list
from siaga.sources.base import ReadResult, parse_time

_TPS_DOTTED = re.compile(r"^(\d{2}\.\d{2}\.\d{2}\.\d{4})\.(\d{1,3})$")
_TPS_KPU = re.compile(r"^(\d{10})(\d{3})$")
_VILLAGE_PLAIN = re.compile(r"^\d{10}$")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a field report is from: a village, and the TPS when one was given."""

    village_code: str
    village_name: str
    tps_code: str | None = None


@dataclass(frozen=True, slots=True)
class FieldReport:
    """A well-formed field report."""

    place: Place
    code: str
    category: str
    text: str


class ReportRejected(ValueError):
    """A message that is not a valid field report; the message is the reply to send."""


class VillageDirectory:
    """Villages by code and by name (optionally inside a scope), to place a field report."""

    def __init__(self, villages: Iterable[Region], scope: Sequence[str] = ()) -> None:
        prefixes = tuple(code + "." for code in scope)
        self.by_code: dict[str, Region] = {}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for region in villages:
            if region.level is not Level.VILLAGE:
                continue
            if prefixes and not region.code.startswith(prefixes):
                continue
            self.by_code[region.code] = region
            self.by_name[name_key(region.name)].append(region)

    @classmethod
    def from_data_dir(cls, data_dir: Path, scope: Sequence[str] = ()) -> VillageDirectory:
        """Return the directory of the official code list in the shared data."""
        path = data_dir / CODE_LIST_FILES[CURRENT_VINTAGE]
        return cls((r for r in read_code_list(path) if isinstance(r, Region)), scope)

    def place(self, words: Sequence[str]) -> Place:
        """Return the place named by the words after LAPOR; raise ReportRejected when unknown."""
        if len(words) >= 3 and words[0].upper() == "TPS" and words[1].isdigit():
            village = self.place(words[2:])  # "TPS 3 Pasar Bangko" or "TPS 3 15.02.01.2001"
            tps = village.village_code.replace(".", "") + f"{int(words[1]):03d}"
            return Place(village.village_code, village.village_name, tps)
        joined = " ".join(words)
        if len(words) == 1:
            found = self._by_code(words[0])
            if found is not None:
                return found
        matches = self.by_name.get(name_key(joined), [])
        if len(matches) == 1:
            return Place(matches[0].code, matches[0].name)
        if len(matches) > 1:
            some = ", ".join(m.code for m in matches[:4])
            raise ReportRejected(
                f"Nama desa '{joined}' ada di {len(matches)} wilayah ({some}, ...): "
                "kirim kode desa. "
                f"Contoh: {EXAMPLE}"
            )
        raise ReportRejected(
            f"Desa/kelurahan atau TPS '{joined}' tidak dikenal: tulis kode desa (15.02.01.2001), "
            f"kode TPS (1502012001003) atau nama desa. Contoh: {EXAMPLE}"
        )

    def _by_code(self, token: str) -> Place | None:
        tps = _TPS_DOTTED.match(token) or _TPS_KPU.match(token)
        village_part = tps.group(1) if tps else token
        if not (tps or _VILLAGE_PLAIN.match(token) or token.count(".") == 3):
            return None
        try:
            code = normalize_code(village_part)
        except RegionCodeError:
            return None
        if level_of(code) is not Level.VILLAGE:
            return None
        region = self.by_code.get(code)
        if region is None:
            raise ReportRejected(
                f"Kode desa {code} tidak dikenal (atau di luar wilayah layanan). Contoh: {EXAMPLE}"
            )
        tps_code = code.replace(".", "") + f"{int(tps.group(2)):03d}" if tps else None
        return Place(code, region.name, tps_code)


def parse_report(message: str, villages: VillageDirectory) -> FieldReport:
    """Return the field report in a message; raise ReportRejected whose text is the reply."""
    rest = lapor_words(message)
    if rest is None:
        raise ReportRejected(f"Pesan harus diawali kata LAPOR. Contoh: {EXAMPLE}")
    found = next((i for i, w in enumerate(rest) if category_code(w)), None)
    if not rest:
        raise ReportRejected(
            f"Laporan kosong: tulis desa/TPS, kode kategori dan isi. Contoh: {EXAMPLE}"
        )
    if found is None:
        codes = ", ".join(CATEGORY_CODES)
        guess = _unknown_code(rest, villages)
        raise ReportRejected(
            f"Kode kategori tidak dikenal (misalnya '{guess}'). Gunakan salah satu: {codes}. "
            f"Contoh: {EXAMPLE}"
        )
    if found == 0:
        raise ReportRejected(
            f"Desa/TPS belum ditulis sebelum kode {rest[0].upper()}. Contoh: {EXAMPLE}"
        )
    place = villages.place(rest[:found])
    code = category_code(rest[found]) or ""
    text = " ".join(rest[found + 1 :]).strip()
    if not text:
        raise ReportRejected(
            f"Isi laporan kosong: tulis apa yang terjadi setelah kode {code}. Contoh: {EXAMPLE}"
        )
    return FieldReport(place, code, CATEGORY_CODES[code], text)


def _unknown_code(words: Sequence[str], villages: VillageDirectory) -> str:
    # The word right after the longest prefix that names a place is the bad code.
    for end in range(len(words) - 1, 0, -1):
        try:
            villages.place(words[:end])
        except ReportRejected:
            continue
        return words[end]
    return words[1] if len(words) > 1 else words[0]


def reference_of(signal_hash: str) -> str:
    """Return the reference number given to the reporter (stable for the same message)."""
    return "LPR-" + signal_hash[:8].upper()


def confirmation(report: FieldReport, reference: str) -> str:
    """Return the reply confirming a report."""
    where = f"TPS {report.place.tps_code[-3:]} " if report.place.tps_code else ""
    return (
        f"Terima kasih, laporan {report.code} dari {where}{report.place.village_name} "
        f"({report.place.village_code}) diterima. Nomor referensi: {reference}."
    )


def _message_fields(line: str) -> tuple[str, str | None, str | None, str | None]:
    # A gateway export line is JSON ({"id", "from", "received_at", "text"}); else the bare text.
    if line.lstrip().startswith("{"):
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("expected a JSON object")
        sender = record.get("from") or record.get("sender")
        return (str(record.get("text") or ""), _str(record.get("id")), _str(sender),
                _str(record.get("received_at")))
    return line, None, None, None


def _str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def read_messages(
    content: bytes, name: str, received_at: datetime, villages: VillageDirectory
) -> ReadResult:
    """Return the signals of valid reports (one message a line), a reply for every message."""
    result = ReadResult()
    for number, line in enumerate(content.decode("utf-8-sig", "replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            text, ident, sender, when = _message_fields(line)
            moment = parse_time(when) if when else None
        except ValueError as exc:
            result.problems.append(RowProblem(name, number, f"unreadable message line: {exc}"))
            continue
        try:
            report = parse_report(text, villages)
        except ReportRejected as exc:
            result.problems.append(RowProblem(name, number, str(exc)))
            result.replies.append((number, str(exc)))
            continue
        digest = content_hash(text, author=sender, platform="sms", published_at=moment)
        reference = reference_of(digest)
        meta = {"category_code": report.code, "category": report.category,
                "village_code": report.place.village_code, "tps_code": report.place.tps_code,
                "reference": reference}
        result.signals.append(Signal(
            source_kind=SourceKind.SMS, source_id=ident or digest, content_hash=digest,
            text=report.text, received_at=received_at, author=sender, platform="sms",
            published_at=moment, lang="id", origin=f"{name}:{number}", meta=meta,
        ))
        result.replies.append((number, confirmation(report, reference)))
    return result
