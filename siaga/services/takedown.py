"""Takedown use cases: record evidence and the complaint's fields, build the pack, track times."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from siaga.cases.attachments import check_file
from siaga.cases.deadlines import deadlines_of
from siaga.cases.pack import EvidenceItem, PackContent, write_pack
from siaga.domain.cases import CaseType, CaseView
from siaga.domain.records import JsonRecord
from siaga.services.cases import case_row, describe, set_details, timeline, utc_at
from siaga.services.casework import Casework, CaseworkError
from siaga.services.reports import attach
from siaga.store import audit
from siaga.store import takedown as db
from siaga.store.cases import log_action
from siaga.store.tx import reading, writing

PLATFORM_DEADLINE = "platform_takedown"


def _takedown_case(row: Any) -> None:
    if row.case_type != CaseType.CONTENT_TAKEDOWN.value:
        raise CaseworkError(f"kasus {row.id} bukan penurunan konten / case {row.id} is a "
                            f"{row.case_type} case, not content_takedown")


def add_evidence(cw: Casework, case_id: int, url: str, actor: str, *,
                 captured_at: datetime | None = None, captured_text: str | None = None,
                 platform: str | None = None,
                 screenshot: tuple[str, bytes] | None = None) -> int:
    """Record one URL with its captured text and screenshot; return the evidence id."""
    if not url.strip().lower().startswith(("http://", "https://")):
        raise CaseworkError(f"URL tidak sah / not a web address: {url!r} (expected http(s)://…)")
    checked = check_file(screenshot[1], screenshot[0], cw.limits.attachments) \
        if screenshot else None
    now = cw.now()
    with writing(cw.store) as conn:
        row = case_row(conn, case_id, lock=True)
        _takedown_case(row)
        shot = attach(conn, cw, checked, now, case_id=case_id) if checked else None
        values = {"case_id": case_id, "url": url.strip(), "captured_text": captured_text,
                  "captured_at": captured_at or now, "platform": platform,
                  "screenshot_id": shot, "added_by": actor}
        evidence_id = db.insert_evidence(conn, values)
        log_action(conn, case_id, now, actor, "evidence", body=url.strip())
        audit.append(conn, now, [audit.Change(
            actor, "case.evidence", "case", case_id, None,
            {**values, "screenshot_sha256": checked.sha256 if checked else None})])
    return evidence_id


def set_complaint(cw: Casework, case_id: int, actor: str, *, category: str,
                  articles: list[str], candidate_pair: str | None) -> CaseView:
    """Record the complaint's category, legal articles and targeted pair; return the case."""
    if category not in cw.rules.takedown_categories:
        raise CaseworkError(f"kategori tidak dikenal / unknown category {category!r}; expected "
                            f"one of {', '.join(cw.rules.takedown_categories)}")
    unknown = [a for a in articles if a not in cw.rules.legal_articles]
    if unknown or not articles:
        raise CaseworkError(f"pasal tidak dikenal / unknown or missing legal article(s) "
                            f"{unknown}; expected some of {', '.join(cw.rules.legal_articles)}")
    with reading(cw.store) as conn:
        _takedown_case(case_row(conn, case_id))
    return set_details(cw, case_id, "takedown", {"category": category, "articles": articles,
                                                 "candidate_pair": candidate_pair}, actor)


@dataclass(frozen=True)
class PackResult(JsonRecord):
    """A takedown pack written: its case, path, digest and the files inside."""

    case: int
    out: str
    sha256: str
    files: list[str]


@dataclass(frozen=True)
class TakedownTracker:
    """A takedown's submission and answer times against the platform deadline.

    Before the request is submitted only the times (all None) are known; `outcome`,
    `hours_allowed` and `overdue` are then left out of its dict.
    """

    case: int
    submitted_at: datetime | None
    responded_at: datetime | None
    due_at: datetime | None
    hours_taken: float | None
    met: bool | None
    outcome: str | None = None
    hours_allowed: float | None = None
    overdue: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the tracker as a JSON-ready dict, in the order the CLI has printed it."""
        if self.submitted_at is None:
            return {"case": self.case, "submitted_at": None, "responded_at": None,
                    "due_at": None, "hours_taken": None, "met": None}
        return {"case": self.case, "submitted_at": self.submitted_at,
                "responded_at": self.responded_at, "outcome": self.outcome,
                "due_at": self.due_at, "hours_allowed": self.hours_allowed,
                "hours_taken": self.hours_taken, "met": self.met, "overdue": self.overdue}


def build_pack(cw: Casework, case_id: int, out: Path, actor: str) -> PackResult:
    """Write the takedown pack of a case to `out`; return its manifest's file list and path."""
    with reading(cw.store) as conn:
        row = case_row(conn, case_id)
        _takedown_case(row)
        line = timeline(conn, row)
        record = describe(cw, row, line)
        evidence = db.evidence_of(conn, case_id)
    complaint = record.details.get("takedown")
    missing = [name for name, ok in (("evidence (siaga case evidence)", evidence),
                                     ("category and legal article (siaga case complaint)",
                                      complaint)) if not ok]
    if missing:
        raise CaseworkError(f"paket belum lengkap / the pack is incomplete for case {case_id}: "
                            f"missing {'; '.join(missing)}")
    assert complaint is not None
    items = tuple(EvidenceItem(
        url=e.url, captured_at=utc_at(e.captured_at), captured_text=e.captured_text,
        platform=e.platform, screenshot=(cw.home / e.stored_path).read_bytes()
        if e.stored_path else None, screenshot_type=e.media_type) for e in evidence)
    rule = next((d for d in cw.rules.route(CaseType.CONTENT_TAKEDOWN).deadlines
                 if d.name == PLATFORM_DEADLINE), None)
    content = PackContent(
        case=record.to_dict(), category=complaint["category"],
        category_label=cw.rules.takedown_categories[complaint["category"]],
        articles=tuple(cw.rules.legal_articles[a] for a in complaint["articles"]),
        candidate_pair=complaint.get("candidate_pair"), items=items, created_at=cw.now(),
        created_by=actor, deadline_hours=rule.hours_for(record.urgent) if rule else None)
    files = write_pack(content, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with writing(cw.store) as conn:
        log_action(conn, case_id, content.created_at, actor, "pack",
                   body=f"{out.name} sha256={digest}")
        audit.append(conn, content.created_at, [audit.Change(
            actor, "case.pack", "case", case_id, None, {"file": out.name, "sha256": digest,
                                                        "files": sorted(files)})])
    return PackResult(case_id, str(out), digest, sorted(files))


def tracker(cw: Casework, case_id: int) -> TakedownTracker:
    """Return the submission and response times of a takedown case against its deadline."""
    with reading(cw.store) as conn:
        row = case_row(conn, case_id)
        _takedown_case(row)
        line = timeline(conn, row)
    found = [d for d in deadlines_of(cw.rules.route(CaseType.CONTENT_TAKEDOWN), line)
             if d.rule.name == PLATFORM_DEADLINE]
    if not found:
        return TakedownTracker(case_id, None, None, None, None, None)
    d = found[-1]
    taken = ((d.met_at - d.started_at).total_seconds() / 3600) if d.met_at else None
    return TakedownTracker(
        case=case_id, submitted_at=d.started_at, responded_at=d.met_at, due_at=d.due_at,
        hours_taken=taken, met=(not d.late()) if d.met_at else None,
        outcome=line.status.value if d.met_at else None,
        hours_allowed=d.rule.hours_for(line.urgent), overdue=d.overdue(cw.now()))
