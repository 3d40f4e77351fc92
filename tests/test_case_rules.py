"""The pure core of case work: state machines, routing rules, deadlines, privacy, hash chain."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from siaga.cases.auditchain import GENESIS, AuditEntry, entry_hash, verify_chain
from siaga.cases.deadlines import current_due, deadlines_of, local_time
from siaga.cases.privacy import REDACTED, redact, report_access
from siaga.cases.routing import RulesError, builtin_rules_path, load_rules
from siaga.cases.workflow import (
    REPORT_MOVES,
    TransitionError,
    case_moves,
    check_case_move,
    check_report_move,
    initial_status,
)
from siaga.domain.cases import CaseStatus, CaseTimeline, CaseType, ReportStatus, StatusChange
from siaga.domain.roles import Role, RoleError, Viewer
from tests.cases_support import START

RULES = load_rules()


@given(st.sampled_from(list(CaseType)), st.lists(st.sampled_from(list(CaseStatus)), max_size=12))
def test_no_illegal_case_move_is_accepted(case_type: CaseType, wanted: list[CaseStatus]) -> None:
    table = case_moves(case_type)
    status = initial_status(case_type)
    for target in wanted:
        if target in table[status]:
            check_case_move(case_type, status, target)
            status = target
        else:
            with pytest.raises(TransitionError, match=f"{status.value} → {target.value}"):
                check_case_move(case_type, status, target)
    # Every status the table names can be left or is terminal, and is reachable.
    for targets in table.values():
        assert targets <= set(table)


def test_every_report_status_has_a_table_and_duplicates_are_final() -> None:
    assert set(REPORT_MOVES) == set(ReportStatus)
    check_report_move(ReportStatus.NEW, ReportStatus.VERIFYING)
    with pytest.raises(TransitionError, match="allowed from verified: duplicate"):
        check_report_move(ReportStatus.VERIFIED, ReportStatus.NEW)
    with pytest.raises(TransitionError, match="allowed from duplicate: none"):
        check_report_move(ReportStatus.DUPLICATE, ReportStatus.VERIFYING)


def test_asn_cases_follow_the_joint_decree_stages() -> None:
    stages = [CaseStatus.REPORTED, CaseStatus.CHECKING, CaseStatus.VERIFYING,
              CaseStatus.RECOMMENDATION, CaseStatus.SANCTION_MONITORING, CaseStatus.CLOSED]
    assert initial_status(CaseType.ASN_NEUTRALITY) is CaseStatus.REPORTED
    for current, nxt in itertools.pairwise(stages):
        check_case_move(CaseType.ASN_NEUTRALITY, current, nxt)
    with pytest.raises(TransitionError):  # no skipping the verification stage
        check_case_move(CaseType.ASN_NEUTRALITY, CaseStatus.CHECKING, CaseStatus.RECOMMENDATION)


@pytest.mark.parametrize(("case_type", "lead", "supporting"), [
    (CaseType.CONTENT_TAKEDOWN, "diskominfo", ("bawaslu",)),
    (CaseType.ASN_NEUTRALITY, "bawaslu", ("bkpsdm",)),
    (CaseType.SECURITY, "polres", ("kodim",)),
    (CaseType.HEALTH, "dinkes", ()),
])
def test_shipped_routing(case_type: CaseType, lead: str, supporting: tuple[str, ...]) -> None:
    rule = RULES.route(case_type)
    assert (rule.lead, rule.supporting) == (lead, supporting)
    assert RULES.escalate_to == "pemkab"


def test_every_deadline_has_a_legal_reference_or_is_marked_an_assumption() -> None:
    assert set(RULES.types) == set(CaseType)
    platform = next(d for d in RULES.route(CaseType.CONTENT_TAKEDOWN).deadlines
                if d.name == "platform_takedown")
    assert (platform.hours, platform.urgent_hours) == (24, 4)
    assert platform.legal_ref and "Permenkominfo 5/2020" in platform.legal_ref
    for rule in RULES.types.values():
        for deadline in rule.deadlines:
            assert bool(deadline.legal_ref) or deadline.assumption


def _broken_rules(tmp_path: Path, old: str, new: str) -> Path:
    text = builtin_rules_path().read_text()
    assert old in text
    path = tmp_path / "routing.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_rule_errors_name_file_and_line(tmp_path: Path) -> None:
    path = _broken_rules(tmp_path, "lead: polres", "lead: polisi")
    line = path.read_text().splitlines().index("    lead: polisi") + 1
    with pytest.raises(RulesError, match=rf"routing.yaml:{line}: unknown agency 'polisi'"):
        load_rules(path)
    path = _broken_rules(tmp_path, "hours: 6\n", "hours: -6\n")
    with pytest.raises(RulesError, match="hours must be a positive number"):
        load_rules(path)
    path = _broken_rules(tmp_path, "        assumption: true\n\n  logistics", "\n  logistics")
    with pytest.raises(RulesError, match="needs legal_ref, or assumption: true"):
        load_rules(path)


def _line(case_type: CaseType, urgent: bool, *changes: tuple[CaseStatus, float]) -> CaseTimeline:
    return CaseTimeline(case_type, urgent, tuple(StatusChange(s, START + timedelta(hours=h))
                                                 for s, h in changes))


def test_takedown_deadlines_run_from_opening_then_from_submission() -> None:
    rule = RULES.route(CaseType.CONTENT_TAKEDOWN)
    opened = _line(CaseType.CONTENT_TAKEDOWN, False, (CaseStatus.OPEN, 0))
    due = current_due(rule, opened)
    assert due is not None and due.rule.name == "prepare_pack"
    assert due.due_at == START + timedelta(hours=12)
    urgent = _line(CaseType.CONTENT_TAKEDOWN, True, (CaseStatus.OPEN, 0),
                   (CaseStatus.SUBMITTED, 1))
    due = current_due(rule, urgent)
    assert due is not None and due.rule.name == "platform_takedown"
    assert due.due_at == START + timedelta(hours=5)  # submitted at +1 h, 4 h when urgent
    answered = _line(CaseType.CONTENT_TAKEDOWN, True, (CaseStatus.OPEN, 0),
                     (CaseStatus.SUBMITTED, 1), (CaseStatus.TAKEN_DOWN, 6))
    assert current_due(rule, answered) is None
    platform = deadlines_of(rule, answered)[-1]
    assert platform.late() and not platform.overdue(START + timedelta(hours=100))


def test_deadlines_are_shown_in_the_regions_zone() -> None:
    assert local_time(START, "15.02") == "2024-11-20 08:00 WIB"
    assert local_time(START, "73.71") == "2024-11-20 09:00 WITA"
    assert local_time(START, "94.71") == "2024-11-20 10:00 WIT"


RECORD = {"id": 1, "text": "…", "reporter_name": "Siti", "reporter_contact": "0812"}


@pytest.mark.parametrize(("viewer", "leads", "sees_report", "sees_reporter"), [
    (Viewer("a", Role.ADMIN), set(), True, True),
    (Viewer("a", Role.ANALYST), set(), True, True),
    (Viewer("c", Role.CHAIR), {"bawaslu"}, True, False),
    (Viewer("o", Role.AGENCY_OFFICER, "bawaslu"), {"bawaslu"}, True, True),
    (Viewer("o", Role.AGENCY_OFFICER, "bawaslu"), set(), True, False),
    (Viewer("o", Role.AGENCY_OFFICER, "polres"), {"bawaslu"}, True, False),
    (Viewer("camat", Role.FIELD_REPORTER), set(), True, True),
    (Viewer("other", Role.FIELD_REPORTER), set(), False, False),
    (Viewer("x", Role.PUBLIC), {"bawaslu"}, False, False),
])
def test_privacy_matrix(viewer: Viewer, leads: set[str], sees_report: bool,
                        sees_reporter: bool) -> None:
    access = report_access(viewer, submitted_by="camat", lead_agencies=leads)
    shown = redact(RECORD, access)
    if not sees_report:
        assert shown is None
        return
    assert shown is not None and shown["text"] == "…"
    expected = "Siti" if sees_reporter else REDACTED
    assert shown["reporter_name"] == expected
    assert shown["reporter_contact"] == ("0812" if sees_reporter else REDACTED)


def test_an_officer_must_belong_to_one_known_agency() -> None:
    with pytest.raises(RoleError, match="agency officer needs one agency"):
        Viewer("o", Role.AGENCY_OFFICER)
    with pytest.raises(RoleError, match="not bound to an agency"):
        Viewer("c", Role.CHAIR, "polres")


def _chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = AuditEntry(seq, f"2024-11-20T01:00:0{seq}+00:00", "ani", "case.open", "case",
                           str(seq), None, '{"a":1}', prev)
        prev = entry_hash(entry)
        entries.append(AuditEntry(**{**entry.__dict__, "hash": prev}))
    return entries


def test_hash_chain_catches_edits_deletions_and_a_cut_tail() -> None:
    chain = _chain(5)
    head = (5, chain[-1].hash)
    assert verify_chain(chain, head) == []
    edited = list(chain)
    edited[2] = AuditEntry(**{**chain[2].__dict__, "actor": "mallory"})
    assert [p.seq for p in verify_chain(edited, head)] == [3]
    deleted = chain[:2] + chain[3:]
    problems = verify_chain(deleted, head)
    assert problems and "missing" in problems[0].problem
    assert verify_chain(chain[:4], head)[0].problem.startswith("the chain ends at entry 4")


@given(st.integers(min_value=0, max_value=5),
       st.sampled_from(["at", "actor", "action", "entity", "entity_id", "before", "after"]),
       st.text(min_size=1, max_size=8))
def test_any_single_field_edit_breaks_the_chain(index: int, field: str, value: str) -> None:
    chain = _chain(6)
    original = getattr(chain[index], field)
    edited = list(chain)
    edited[index] = AuditEntry(**{**chain[index].__dict__, field: value})
    problems = verify_chain(edited, (6, chain[-1].hash))
    assert (problems == []) == (value == original)
