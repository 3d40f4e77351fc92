"""Cases and reports on both databases: routing, logging, escalation, audit, triage, privacy."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from siaga.cases.attachments import AttachmentError
from siaga.cases.privacy import REDACTED
from siaga.cases.workflow import TransitionError
from siaga.domain.cases import (
    CaseStatus,
    CaseType,
    Channel,
    NewReport,
    PromotedItem,
    Reporter,
    ReportOrigin,
    ReportStatus,
)
from siaga.domain.roles import Role, Viewer
from siaga.services import cases as service
from siaga.services import reports as intake
from siaga.services.audit import verify_audit
from siaga.services.casework import Casework, CaseworkError, NotFound, TooManyReports
from siaga.store import Store
from siaga.store.schema import audit_log, case_actions, cases, reports
from tests import cases_support
from tests.cases_support import PNG, START, Clock

region_store, clock, cw = cases_support.region_store, cases_support.clock, cases_support.cw

pytestmark = pytest.mark.usefixtures("region_store")


def _actions(cw: Casework, case_id: int) -> list[tuple[str, str | None]]:
    with cw.store.engine.connect() as conn:
        return [(r.kind, r.to_status) for r in conn.execute(
            select(case_actions).where(case_actions.c.case_id == case_id)
            .order_by(case_actions.c.id))]


def test_open_routes_and_sets_the_deadline(cw: Casework) -> None:
    case = service.open_case(cw, CaseType.CONTENT_TAKEDOWN, "Video provokasi SARA", "ani",
                             region="1502", urgent=True)
    assert case.lead_agency == "diskominfo" and case.supporting_agencies == ["bawaslu"]
    assert case.region == "15.02" and case.status == "open"
    assert case.due_at == START + timedelta(hours=2)
    assert case.due_local == "2024-11-20 10:00 WIB"
    assert [d.name for d in case.deadlines] == ["prepare_pack"]
    with pytest.raises(CaseworkError, match=r"unknown region 15\.99"):
        service.open_case(cw, CaseType.HEALTH, "x", "ani", region="15.99")


def test_every_legal_move_is_logged_and_illegal_ones_change_nothing(cw: Casework,
                                                                    clock: Clock) -> None:
    case = service.open_case(cw, CaseType.SECURITY, "Bentrok massa", "ani", region="17.06")
    clock.advance(hours=1)
    service.move_case(cw, case.id, CaseStatus.IN_PROGRESS, "budi")
    with pytest.raises(TransitionError, match="in_progress → closed"):
        service.move_case(cw, case.id, CaseStatus.CLOSED, "budi")
    clock.advance(hours=1)
    done = service.move_case(cw, case.id, CaseStatus.RESOLVED, "budi", "massa bubar")
    assert done.due_at is None  # nothing left to do against the clock
    # A resolved security case is evidence for the index: its outcome is logged too.
    assert _actions(cw, case.id) == [("opened", "open"), ("status", "in_progress"),
                                        ("status", "resolved"), ("risk_observation", None)]
    with cw.store.engine.connect() as conn:
        moves = conn.execute(select(audit_log.c.action, audit_log.c.actor).where(
            audit_log.c.entity == "case").order_by(audit_log.c.seq)).all()
    assert [tuple(m) for m in moves] == [("case.open", "ani"), ("case.status", "budi"),
                                         ("case.status", "budi")]


def test_overdue_cases_escalate_once_to_the_chair(cw: Casework, clock: Clock) -> None:
    late = service.open_case(cw, CaseType.SECURITY, "Ancaman di TPS 3", "ani", region="15.02")
    calm = service.open_case(cw, CaseType.LOGISTICS, "Surat suara kurang", "ani")
    clock.advance(hours=5, minutes=59)
    assert service.escalate_overdue(cw, "system") == []
    clock.advance(minutes=2)
    assert [c.id for c in service.list_cases(cw, overdue=True)] == [late.id]
    escalated = service.escalate_overdue(cw, "system")
    assert [c.id for c in escalated] == [late.id]
    assert service.escalate_overdue(cw, "system") == []  # once per deadline
    shown = service.show_case(cw, late.id)
    assert shown.actions[-1]["kind"] == "escalate"
    assert "pemkab" in shown.actions[-1]["body"]
    assert [c.id for c in service.list_cases(cw, agency="kodim")] == [late.id]
    assert [c.id for c in service.list_cases(cw, agency="kpu")] == [calm.id]
    assert [c.id for c in service.list_cases(cw, region="15")] == [late.id]
    assert service.list_cases(cw, region="17.06") == []


def test_asn_case_needs_its_formal_elements_before_verification(cw: Casework) -> None:
    case = service.open_case(cw, CaseType.ASN_NEUTRALITY, "Camat hadir kampanye", "ani")
    assert (case.status, case.lead_agency) == ("reported", "bawaslu")
    service.move_case(cw, case.id, CaseStatus.CHECKING, "bawaslu1")
    with pytest.raises(TransitionError, match="formal elements"):
        service.move_case(cw, case.id, CaseStatus.VERIFYING, "bawaslu1")
    service.set_details(cw, case.id, "asn", {"nip": "198001012005011001"}, "bawaslu1")
    moved = service.move_case(cw, case.id, CaseStatus.VERIFYING, "bawaslu1")
    assert moved.status == "verifying"


def test_audit_verify_catches_an_edited_row_and_a_deleted_one(cw: Casework) -> None:
    case = service.open_case(cw, CaseType.HEALTH, "Posko kesehatan", "ani")
    service.add_action(cw, case.id, "comment", "dinkes1", "tim siaga")
    service.move_case(cw, case.id, CaseStatus.IN_PROGRESS, "dinkes1")
    report = verify_audit(cw.store)
    assert report.intact and report.entries == 3 and report.head is not None
    with cw.store.engine.begin() as conn:
        conn.execute(audit_log.update().where(audit_log.c.seq == 2).values(actor="mallory"))
    problems = verify_audit(cw.store).problems
    assert [p.seq for p in problems] == [2]
    with cw.store.engine.begin() as conn:
        conn.execute(audit_log.delete().where(audit_log.c.seq == 3))
    assert any("head records entry 3" in p.problem for p in verify_audit(cw.store).problems)


def test_a_forked_chain_cannot_commit(cw: Casework) -> None:
    service.open_case(cw, CaseType.OTHER, "a", "ani")
    with cw.store.engine.begin() as conn:
        row = conn.execute(select(audit_log)).mappings().one()
    with pytest.raises(Exception, match=r"(?i)unique"), cw.store.engine.begin() as conn:
        conn.execute(audit_log.insert().values({**row, "seq": 99}))


def _report(text: str = "Ada pembagian amplop", **extra: object) -> NewReport:
    return NewReport(text=text, channel=Channel.PUBLIC, region="15.02", **extra)  # type: ignore


def test_public_reports_get_a_receipt_and_a_limit(cw: Casework) -> None:
    sender = "ip:10.0.0.1"
    stored = intake.submit_report(cw, _report(reporter=Reporter("Siti", "0812")),
                                  source_hash=sender, files=[("foto.png", PNG)])
    assert stored.receipt.startswith("SGA-")
    assert intake.receipt_status(cw, stored.receipt.lower()).status == "new"
    files = list((cw.home / "attachments").rglob("*"))
    assert any(f.name == hashlib.sha256(PNG).hexdigest() for f in files)
    for _ in range(9):
        intake.submit_report(cw, _report(), source_hash=sender)
    with pytest.raises(TooManyReports, match="limit 10"):
        intake.submit_report(cw, _report(), source_hash=sender)
    intake.submit_report(cw, _report(), source_hash="ip:10.0.0.2")  # another sender is fine
    with pytest.raises(AttachmentError, match="file type not accepted"):
        intake.submit_report(cw, _report(), files=[("x.exe", b"MZ\x90\x00\xff\xfe")])
    with pytest.raises(NotFound):
        intake.receipt_status(cw, "SGA-NONE-NONE")


def test_anonymous_reports_keep_no_identity(cw: Casework) -> None:
    stored = intake.submit_report(cw, _report(reporter=Reporter("Siti", "0812")), anonymous=True)
    shown = intake.show_report(cw, stored.id, Viewer("admin", Role.ADMIN))
    assert shown.reporter_name is None and shown.anonymous is True


def test_identity_is_shown_by_role(cw: Casework) -> None:
    stored = intake.submit_report(cw, NewReport(
        text="ASN ikut kampanye", channel=Channel.FIELD_FORM, region="15.02",
        reporter=Reporter("Pak Camat", "0813"), submitted_by="camat1"))
    case = service.open_case(cw, CaseType.ASN_NEUTRALITY, "ASN", "ani", report_ids=[stored.id])
    assert service.show_case(cw, case.id).reports == [stored.id]
    officer = intake.show_report(cw, stored.id, Viewer("o", Role.AGENCY_OFFICER, "bawaslu"))
    other = intake.show_report(cw, stored.id, Viewer("o", Role.AGENCY_OFFICER, "polres"))
    chair = intake.show_report(cw, stored.id, Viewer("c", Role.CHAIR))
    assert officer.reporter_name == "Pak Camat"
    assert other.reporter_name == REDACTED and chair.reporter_contact == REDACTED
    with pytest.raises(NotFound):
        intake.show_report(cw, stored.id, Viewer("other", Role.FIELD_REPORTER))
    with cw.store.engine.connect() as conn:
        logged = conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "report.create")).scalar_one()
    assert "Pak Camat" not in logged and "0813" not in logged


def test_bulk_triage_of_thousands(cw: Casework) -> None:
    with cw.store.engine.begin() as conn:
        ids = [intake.insert_report(conn, cw, _report(f"laporan {i}")).id for i in range(2000)]
    analyst = Viewer("ani", Role.ANALYST)
    assert len(intake.review_queue(cw, analyst, limit=5000)) == 2000
    moved = intake.move_reports(cw, ids[:1500], ReportStatus.VERIFYING, "ani")
    assert len(moved.changed) == 1500 and not moved.refused
    merged = intake.merge_duplicates(cw, ids[0], ids[1:1000], "ani")
    assert len(merged.changed) == 999
    rejected = intake.move_reports(cw, ids[1:10] + ids[1500:1600], ReportStatus.REJECTED, "ani",
                                   reason="bukan soal pemilihan")
    assert len(rejected.changed) == 100 and len(rejected.refused) == 9
    assert "duplicate → rejected" in rejected.refused[0][1]
    assigned = intake.assign_reports(cw, ids[1600:], "budi", "ani")
    assert len(assigned.changed) == 400
    with pytest.raises(CaseworkError, match="needs a reason"):
        intake.move_reports(cw, ids[-1:], ReportStatus.REJECTED, "ani")
    with cw.store.engine.connect() as conn:
        counts = {r[0]: r[1] for r in conn.execute(
            select(reports.c.status, func.count()).group_by(reports.c.status))}
        audited = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    assert counts == {"new": 400, "verifying": 501, "duplicate": 999, "rejected": 100}
    assert audited == 2000 + 1500 + 999 + 100 + 400
    assert verify_audit(cw.store).intact


def test_promoting_a_signal_is_idempotent(cw: Casework) -> None:
    item = PromotedItem(text="Hoaks surat suara tercoblos", origin=ReportOrigin("signal", "123"),
                        region="17.06", url="https://example.org/p/1", published_at=START)
    first = intake.promote(cw, item, "ani")
    again = intake.promote(cw, item, "ani")
    assert first == again
    shown = intake.show_report(cw, first.id, Viewer("ani", Role.ANALYST))
    assert (shown.origin_kind, shown.origin_ref, shown.channel) == (
        "signal", "123", "analyst")
    with cw.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(reports)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 0
        conn.execute(text("SELECT 1"))


def test_concurrent_writers_keep_one_chain(cw: Casework) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def open_many(worker: int) -> int:
        for i in range(10):
            service.open_case(cw, CaseType.OTHER, f"kasus {worker}-{i}", f"petugas{worker}")
        return worker

    with ThreadPoolExecutor(4) as pool:
        assert sorted(pool.map(open_many, range(4))) == [0, 1, 2, 3]
    report = verify_audit(cw.store)
    assert report.intact and report.entries == 40


def test_rules_in_home_override_the_shipped_ones(region_store: Store, tmp_path: Path) -> None:
    from siaga.cases.routing import builtin_rules_path
    from siaga.services.casework import casework_from
    from siaga.settings import load_settings

    home = tmp_path / "home"
    (home / "cases").mkdir(parents=True)
    shipped = builtin_rules_path().read_text()
    changed = shipped.replace("lead: dinkes\n    supporting: []",
                              "lead: dinkes\n    supporting: [pemkab]")
    assert changed != shipped
    (home / "cases" / "routing.yaml").write_text(changed)
    custom = casework_from(load_settings(env={}, home=home), region_store)
    case = service.open_case(custom, CaseType.HEALTH, "Posko", "ani")
    assert case.supporting_agencies == ["pemkab"]


def test_asn_elements_are_checked(cw: Casework) -> None:
    from siaga.cases.asn import AsnError
    from siaga.domain.cases import AsnElements

    case = service.open_case(cw, CaseType.ASN_NEUTRALITY, "Lurah pasang spanduk", "ani")
    bad = AsnElements("Budi", "12345", "Lurah", "Kel. Pasar", START, "", "spanduk paslon",
                      "Siti")
    with pytest.raises(AsnError, match=r"place, nip \(18 digits expected, got '12345'\)"):
        service.record_asn(cw, case.id, bad, "bawaslu1")
    good = AsnElements("Budi", "19800101 200501 1 001", "Lurah", "Kel. Pasar", START,
                       "Pasar Bangko", "memasang spanduk paslon", "Siti", ("Andi",), ("foto",))
    shown = service.record_asn(cw, case.id, good, "bawaslu1")
    assert shown.details["asn"]["nip"] == "198001012005011001"
    service.move_case(cw, case.id, CaseStatus.CHECKING, "bawaslu1")
    assert service.move_case(cw, case.id, CaseStatus.VERIFYING, "bawaslu1").status == \
        "verifying"
