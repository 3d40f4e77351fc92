"""`siaga case …`, `siaga report …`, `siaga audit …`: follow-up work from the terminal."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from siaga.application.errors import CaseworkError, default_operator
from siaga.cases.asn import AsnError
from siaga.cases.attachments import AttachmentError
from siaga.cases.intake import IntakeError
from siaga.cases.routing import RulesError
from siaga.cases.workflow import TransitionError
from siaga.cli.common import app, clear_errors, fail, out, print_json, siaga_of
from siaga.domain.cases import AsnElements, CaseView, Channel, NewReport, Reporter
from siaga.domain.roles import Role, RoleError, Viewer

case_app = typer.Typer(help="Kasus / Cases: open, route, move, escalate, takedown packs.",
                       no_args_is_help=True)
audit_app = typer.Typer(help="Log audit / Audit log: check the hash chain.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(audit_app, name="audit")

AsOpt = Annotated[str | None, typer.Option("--as", help="Operator name (or SIAGA_OPERATOR).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CASE_ERRORS = (CaseworkError, IntakeError, AttachmentError, TransitionError, RulesError,
               RoleError, AsnError)


@contextmanager
def case_errors() -> Iterator[None]:
    """Turn expected case and report errors (and the shared ones) into one-line messages."""
    with clear_errors():
        try:
            yield
        except CASE_ERRORS as exc:
            fail(str(exc).replace("[", "\\["))


def jsonable(value: Any) -> Any:
    """Return `value` with every datetime written as ISO 8601 (for --json output)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "to_dict"):  # a typed result: its dict is what --json prints
        return jsonable(value.to_dict())
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def operator(name: str | None) -> str:
    """Return the operator recorded in the audit log."""
    return (name or default_operator()).strip() or "unknown"


def parse_time(text: str | None) -> datetime | None:
    """Return an ISO time with a zone, or fail with the expected form."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"{text!r} bukan waktu / is not a time: write 2024-11-20T14:30+07:00")
    if moment.tzinfo is None:
        fail(f"{text!r} tanpa zona waktu / has no time zone: add +07:00 (WIB)")
    return moment


def _show(case: CaseView, as_json: bool) -> None:
    if as_json:
        print_json(jsonable(case))
        return
    out.print(f"[bold]#{case.id}[/] {case.title} ({case.type}, {case.status})")
    out.print(f"  lead: {case.lead_agency}  supporting: "
              f"{', '.join(case.supporting_agencies) or '-'}")
    due, name = case.due_local or "-", case.deadline_name or "-"
    out.print(f"  due / tenggat: {due} ({name})")


@case_app.command("open")
def case_open(
    ctx: typer.Context,
    case_type: Annotated[str, typer.Option("--type", help="content_takedown, asn_neutrality, "
                                           "money_politics, security, logistics, health, other")],
    title: Annotated[str, typer.Option(help="Short title.")],
    region: Annotated[str | None, typer.Option(help="Region code, e.g. 15.02.")] = None,
    urgent: Annotated[bool, typer.Option(help="Urgent: the shorter deadlines apply.")] = False,
    description: Annotated[str | None, typer.Option(help="Longer description.")] = None,
    report: Annotated[list[int] | None, typer.Option(help="Report id to link (repeatable).")]
    = None,
    as_json: JsonOpt = False,
    as_name: AsOpt = None,
) -> None:
    """Open a case; the rules pick the lead and supporting agencies and the deadline."""
    with case_errors():
        cases = siaga_of(ctx).cases
        case = cases.open(cases.parse_type(case_type), title, operator(as_name), region=region,
                          urgent=urgent, description=description, report_ids=report or [])
    _show(case, as_json)


@case_app.command("list")
def case_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Lead or supporting agency.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only cases past their deadline.")] = False,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include closed and dismissed.")] = False,
    region: Annotated[str | None, typer.Option(help="Region code and everything in it.")]
    = None,
    as_json: JsonOpt = False,
) -> None:
    """List cases, soonest deadline first."""
    with case_errors():
        cases = siaga_of(ctx).cases
        found = cases.find(agency=agency, overdue=overdue,
                           status=cases.parse_status(status) if status else None,
                           include_closed=all_, region=region)
    if as_json:
        print_json(jsonable(found))
        return
    table = Table("id", "jenis / type", "status", "lead", "tenggat / due", "judul / title")
    for case in found:
        mark = " [red]⚑[/]" if case.escalated_at else ""
        table.add_row(str(case.id), case.type, case.status, case.lead_agency,
                      (case.due_local or "-") + mark, case.title)
    out.print(table)


@case_app.command("show")
def case_show(ctx: typer.Context, case_id: int, as_json: JsonOpt = False) -> None:
    """Show a case: deadlines with legal references, action log, linked reports."""
    with case_errors():
        case = siaga_of(ctx).cases.show(case_id)
    if as_json:
        print_json(jsonable(case))
        return
    _show(case, False)
    for d in case.deadlines or []:
        source = d.legal_ref or "asumsi / assumption"
        out.print(f"  · {d.name}: due {d.due_local}, met {d.met_at or '-'} ({source})")
    for a in case.actions or []:
        out.print(f"  {a['at']} {a['actor']}: {a['kind']} {a['to_status'] or ''} {a['body'] or ''}")


@case_app.command("move")
def case_move(ctx: typer.Context, case_id: int, status: str,
              note: Annotated[str | None, typer.Option(help="Why.")] = None,
              as_json: JsonOpt = False, as_name: AsOpt = None) -> None:
    """Move a case to STATUS (only legal moves; each one is logged)."""
    with case_errors():
        cases = siaga_of(ctx).cases
        case = cases.move(case_id, cases.parse_status(status), operator(as_name), note)
    _show(case, as_json)


@case_app.command("assign")
def case_assign(ctx: typer.Context, case_id: int, assignee: str, as_name: AsOpt = None) -> None:
    """Assign a case to a person."""
    with case_errors():
        siaga_of(ctx).cases.act(case_id, "assign", operator(as_name),
                                f"assigned to {assignee}", assign_to=assignee)
    out.print(f"kasus {case_id} → {assignee}")


@case_app.command("comment")
def case_comment(ctx: typer.Context, case_id: int, text: str, as_name: AsOpt = None) -> None:
    """Add a comment to a case's log."""
    with case_errors():
        siaga_of(ctx).cases.act(case_id, "comment", operator(as_name), text)
    out.print(f"komentar dicatat / comment logged on case {case_id}")


@case_app.command("escalate")
def case_escalate(ctx: typer.Context, as_json: JsonOpt = False, as_name: AsOpt = None) -> None:
    """Escalate every overdue case to the forum chair (run it from cron or a timer)."""
    with case_errors():
        done = siaga_of(ctx).cases.escalate_overdue(operator(as_name))
    if as_json:
        print_json(jsonable(done))
        return
    out.print(f"{len(done)} kasus dieskalasi / cases escalated: "
              f"{', '.join(str(c.id) for c in done) or '-'}")


@case_app.command("asn")
def case_asn(
    ctx: typer.Context, case_id: int,
    reported_name: Annotated[str, typer.Option(help="Reported civil servant.")],
    nip: Annotated[str, typer.Option(help="NIP, 18 digits.")],
    position: Annotated[str, typer.Option(help="Position (jabatan).")],
    unit: Annotated[str, typer.Option(help="Work unit (unit kerja).")],
    occurred_at: Annotated[str, typer.Option(help="When, e.g. 2024-11-20T14:30+07:00.")],
    place: Annotated[str, typer.Option(help="Where.")],
    description: Annotated[str, typer.Option(help="What happened.")],
    reporter: Annotated[str, typer.Option(help="Reporter's name.")],
    witness: Annotated[list[str] | None, typer.Option(help="Witness (repeatable).")] = None,
    evidence: Annotated[list[str] | None, typer.Option(help="Evidence (repeatable).")] = None,
    as_name: AsOpt = None,
) -> None:
    """Record the formal elements of an ASN-neutrality case."""
    moment = parse_time(occurred_at)
    assert moment is not None
    with case_errors():
        siaga_of(ctx).cases.record_asn(case_id, AsnElements(
            reported_name, nip, position, unit, moment, place, description, reporter,
            tuple(witness or ()), tuple(evidence or ())), operator(as_name))
    out.print(f"unsur formal dicatat / formal elements recorded on case {case_id}")


@case_app.command("evidence")
def case_evidence(
    ctx: typer.Context, case_id: int, url: str,
    text: Annotated[str | None, typer.Option(help="Captured text of the content.")] = None,
    captured_at: Annotated[str | None, typer.Option(help="Capture time (default now).")] = None,
    platform: Annotated[str | None, typer.Option(help="Platform, e.g. facebook.")] = None,
    screenshot: Annotated[Path | None, typer.Option(help="Screenshot file.")] = None,
    as_name: AsOpt = None,
) -> None:
    """Add a URL with its captured text and screenshot to a takedown case."""
    shot = (screenshot.name, screenshot.read_bytes()) if screenshot else None
    with case_errors():
        evidence_id = siaga_of(ctx).takedown.add_evidence(
            case_id, url, operator(as_name), captured_at=parse_time(captured_at),
            captured_text=text, platform=platform, screenshot=shot)
    out.print(f"bukti {evidence_id} dicatat / evidence {evidence_id} recorded")


@case_app.command("complaint")
def case_complaint(
    ctx: typer.Context, case_id: int,
    category: Annotated[str, typer.Option(help="Kominfo category: sara, hoax, defamation, ...")],
    article: Annotated[list[str], typer.Option(help="Legal article key (repeatable).")],
    pair: Annotated[str | None, typer.Option(help="Candidate pair targeted.")] = None,
    as_name: AsOpt = None,
) -> None:
    """Record a takedown case's category, legal articles and the candidate pair targeted."""
    with case_errors():
        siaga_of(ctx).takedown.set_complaint(case_id, operator(as_name), category=category,
                                             articles=article, candidate_pair=pair)
    out.print(f"aduan dicatat / complaint recorded on case {case_id}")


@case_app.command("pack")
def case_pack(ctx: typer.Context, case_id: int,
              out_file: Annotated[Path, typer.Option("--out", help="Zip file to write.")],
              as_json: JsonOpt = False, as_name: AsOpt = None) -> None:
    """Write the takedown pack (URLs, text, screenshots, manifest.json, cover letter PDF)."""
    with case_errors():
        result = siaga_of(ctx).takedown.build_pack(case_id, out_file, operator(as_name))
    if as_json:
        print_json(jsonable(result))
    else:
        out.print(f"paket ditulis / pack written: {out_file} ({len(result.files)} files)")


@case_app.command("tracker")
def case_tracker(ctx: typer.Context, case_id: int, as_json: JsonOpt = False) -> None:
    """Show a takedown's submission and response times against the 24 h / 4 h deadline."""
    with case_errors():
        found = siaga_of(ctx).takedown.tracker(case_id)
    if as_json:
        print_json(jsonable(found))
        return
    for key, value in found.to_dict().items():
        out.print(f"{key}: {value}")


@audit_app.command("verify")
def audit_verify(
    ctx: typer.Context,
    expect: Annotated[str | None, typer.Option(help="A head hash published earlier.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check the audit log's hash chain; exit 1 when any entry was edited or deleted."""
    with case_errors():
        report = siaga_of(ctx).cases.verify_audit(expect)
    if as_json:
        head = {"seq": report.head[0], "hash": report.head[1]} if report.head else None
        print_json({"intact": report.intact, "entries": report.entries, "head": head,
                    "problems": [p.__dict__ for p in report.problems]})
    elif report.intact:
        out.print(f"log audit utuh / audit log intact: {report.entries} entries, head "
                  f"{report.head[1] if report.head else '-'}")
    else:
        for problem in report.problems:
            out.print(f"[red]entry {problem.seq}:[/] {problem.problem}")
    if not report.intact:
        raise typer.Exit(1)


def viewer_of(role: str, agency: str | None, name: str | None) -> Viewer:
    """Return the viewer the CLI acts as."""
    try:
        return Viewer(operator(name), Role(role), agency)
    except ValueError as exc:
        fail(f"{exc}; roles: {', '.join(r.value for r in Role)}")


def pause_hook() -> Callable[[int], None] | None:
    """Return the testing hook that stalls an import at a row (SIAGA_IMPORT_PAUSE_AT_ROW)."""
    raw = os.environ.get("SIAGA_IMPORT_PAUSE_AT_ROW")
    if not raw:
        return None
    stop = int(raw)

    def pause(row: int) -> None:
        if row >= stop:
            Path(os.environ.get("SIAGA_IMPORT_PAUSE_MARK", "import.paused")).write_text(str(row))
            while True:  # held inside an open transaction until the test kills the process
                time.sleep(1)

    return pause


def new_report(text: str, channel: Channel, region: str | None, url: str | None,
               name: str | None, contact: str | None, submitted_by: str) -> NewReport:
    """Return a report typed in by an operator."""
    return NewReport(text=text, channel=channel, region=region, url=url,
                     reporter=Reporter(name, contact) if name else None,
                     submitted_by=submitted_by)
