"""The state machines of reports and cases: which moves are legal from each status."""

from __future__ import annotations

from siaga.domain.cases import CaseStatus as S
from siaga.domain.cases import CaseType, ReportStatus


class TransitionError(ValueError):
    """A status change the workflow does not allow, naming the legal ones."""


REPORT_MOVES: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.NEW: frozenset({ReportStatus.VERIFYING, ReportStatus.REJECTED,
                                 ReportStatus.DUPLICATE}),
    ReportStatus.VERIFYING: frozenset({ReportStatus.VERIFIED, ReportStatus.REJECTED,
                                       ReportStatus.DUPLICATE}),
    ReportStatus.VERIFIED: frozenset({ReportStatus.DUPLICATE}),
    ReportStatus.REJECTED: frozenset({ReportStatus.VERIFYING}),
    ReportStatus.DUPLICATE: frozenset(),
}

_GENERAL: dict[S, frozenset[S]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.DISMISSED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.DISMISSED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),
    S.CLOSED: frozenset(),
    S.DISMISSED: frozenset(),
}
_TAKEDOWN: dict[S, frozenset[S]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.SUBMITTED, S.DISMISSED}),
    S.IN_PROGRESS: frozenset({S.SUBMITTED, S.DISMISSED}),
    S.SUBMITTED: frozenset({S.TAKEN_DOWN, S.REFUSED}),
    S.TAKEN_DOWN: frozenset({S.CLOSED}),
    # A refusal may be answered with a corrected, resubmitted pack.
    S.REFUSED: frozenset({S.SUBMITTED, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.DISMISSED: frozenset(),
}
# Report → check → verify and validate → recommendation → sanction monitoring (SKB 2022).
_ASN: dict[S, frozenset[S]] = {
    S.REPORTED: frozenset({S.CHECKING, S.DISMISSED}),
    S.CHECKING: frozenset({S.VERIFYING, S.DISMISSED}),
    S.VERIFYING: frozenset({S.RECOMMENDATION, S.DISMISSED}),
    S.RECOMMENDATION: frozenset({S.SANCTION_MONITORING}),
    S.SANCTION_MONITORING: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.DISMISSED: frozenset(),
}


def case_moves(case_type: CaseType) -> dict[S, frozenset[S]]:
    """Return the transition table of a case type."""
    if case_type is CaseType.CONTENT_TAKEDOWN:
        return _TAKEDOWN
    if case_type is CaseType.ASN_NEUTRALITY:
        return _ASN
    return _GENERAL


def initial_status(case_type: CaseType) -> S:
    """Return the status a new case of this type starts in."""
    return S.REPORTED if case_type is CaseType.ASN_NEUTRALITY else S.OPEN


def is_terminal(status: S) -> bool:
    """Return True for statuses after which no work (and no deadline) remains."""
    return status in (S.CLOSED, S.DISMISSED)


def check_case_move(case_type: CaseType, current: S, target: S) -> None:
    """Raise TransitionError unless a case of `case_type` may move from `current` to `target`."""
    table = case_moves(case_type)
    if target not in table.get(current, frozenset()):
        legal = ", ".join(sorted(s.value for s in table.get(current, frozenset()))) or "none"
        raise TransitionError(
            f"perpindahan status tidak sah / illegal move for a {case_type.value} case: "
            f"{current.value} → {target.value}; allowed from {current.value}: {legal}"
        )


def check_report_move(current: ReportStatus, target: ReportStatus) -> None:
    """Raise TransitionError unless a report may move from `current` to `target`."""
    if target not in REPORT_MOVES[current]:
        legal = ", ".join(sorted(s.value for s in REPORT_MOVES[current])) or "none"
        raise TransitionError(
            f"perpindahan status laporan tidak sah / illegal report move: {current.value} → "
            f"{target.value}; allowed from {current.value}: {legal}"
        )
