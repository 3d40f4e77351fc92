"""`siaga report …`: take reports in (form, SMS text, CSV), check receipts, triage in bulk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from siaga.application.errors import BulkResult, CaseworkError, StoredReport
from siaga.cases.intake import parse_sms, source_key
from siaga.cli.cases import (
    AsOpt,
    JsonOpt,
    case_errors,
    jsonable,
    new_report,
    operator,
    parse_time,
    pause_hook,
    viewer_of,
)
from siaga.cli.common import app, err, fail, out, print_json, siaga_of
from siaga.domain.cases import Channel, PromotedItem, ReportOrigin, ReportStatus

report_app = typer.Typer(help="Laporan / Reports: intake, receipts, review queue, bulk triage.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

RoleOpt = Annotated[str, typer.Option(help="Role to view as: admin, chair, analyst, "
                                      "agency_officer, field_reporter.")]
AgencyOpt = Annotated[str | None, typer.Option(help="Agency of an agency_officer.")]


def _status(value: str) -> ReportStatus:
    try:
        return ReportStatus(value)
    except ValueError:
        raise CaseworkError(f"status laporan tidak dikenal / unknown report status {value!r}; "
                            f"expected one of {', '.join(s.value for s in ReportStatus)}") \
            from None


@report_app.command("submit")
def report_submit(
    ctx: typer.Context, text: str,
    region: Annotated[str | None, typer.Option(help="Region code, e.g. 15.02.01.")] = None,
    url: Annotated[str | None, typer.Option(help="Link to the content, if any.")] = None,
    name: Annotated[str | None, typer.Option(help="Reporter's name.")] = None,
    contact: Annotated[str | None, typer.Option(help="Reporter's phone or e-mail.")] = None,
    anonymous: Annotated[bool, typer.Option(help="Keep no identity.")] = False,
    attach: Annotated[list[Path] | None, typer.Option(help="Attachment (repeatable).")] = None,
    as_json: JsonOpt = False, as_name: AsOpt = None,
) -> None:
    """File a field officer's report (form); prints its id and receipt code."""
    files = [(p.name, p.read_bytes()) for p in attach or []]
    with case_errors():
        stored = siaga_of(ctx).reports.submit(new_report(
            text, Channel.FIELD_FORM, region, url, name, contact, operator(as_name)),
            anonymous=anonymous, files=files)
    _print_stored(stored, as_json)


def _print_stored(stored: StoredReport, as_json: bool) -> None:
    if as_json:
        print_json({"id": stored.id, "receipt": stored.receipt, "status": stored.status})
    else:
        out.print(f"laporan {stored.id} disimpan / report stored; tanda terima / receipt: "
                  f"[bold]{stored.receipt}[/]")


@report_app.command("sms")
def report_sms(
    ctx: typer.Context, message: str,
    sender: Annotated[str, typer.Option(help="Sender's phone number.")],
    as_json: JsonOpt = False, as_name: AsOpt = None,
) -> None:
    """File an SMS-style report: 'LAPOR <region code> <text>' (hourly limit per sender)."""
    with case_errors():
        stored = siaga_of(ctx).reports.submit(parse_sms(message, sender, operator(as_name)),
                                              source_hash=source_key("phone", sender))
    _print_stored(stored, as_json)


@report_app.command("promote")
def report_promote(
    ctx: typer.Context, text: str,
    origin: Annotated[str, typer.Option(help="KIND:REF of the item, e.g. signal:123 or alert:9.")],
    region: Annotated[str | None, typer.Option(help="Region code.")] = None,
    url: Annotated[str | None, typer.Option(help="Link to the content.")] = None,
    published_at: Annotated[str | None, typer.Option(help="When it was published.")] = None,
    as_json: JsonOpt = False, as_name: AsOpt = None,
) -> None:
    """Promote a signal or alert-cluster item to a report (the same origin twice: one report)."""
    kind, _, ref = origin.partition(":")
    if not kind or not ref:
        fail(f"--origin {origin!r}: tulis JENIS:REF / write KIND:REF, e.g. signal:123")
    with case_errors():
        stored = siaga_of(ctx).reports.promote(PromotedItem(
            text=text, origin=ReportOrigin(kind, ref), region=region, url=url,
            published_at=parse_time(published_at)), operator(as_name))
    _print_stored(stored, as_json)


@report_app.command("status")
def report_status(ctx: typer.Context, receipt: str, as_json: JsonOpt = False) -> None:
    """Show the status of a report by its receipt code (all the public may see)."""
    with case_errors():
        found = siaga_of(ctx).reports.receipt(receipt)
    if as_json:
        print_json(jsonable(found))
    else:
        out.print(f"{found.receipt}: {found.status}")


@report_app.command("list")
def report_list(
    ctx: typer.Context,
    status: Annotated[list[str] | None, typer.Option(help="Status (repeatable); default: "
                                                     "new and verifying.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    after: Annotated[int, typer.Option(help="Only ids above this (next page).")] = 0,
    role: RoleOpt = "analyst", agency: AgencyOpt = None,
    as_json: JsonOpt = False, as_name: AsOpt = None,
) -> None:
    """The review queue: pending reports, oldest first (identity shown by role)."""
    with case_errors():
        wanted = [_status(s) for s in status] if status else \
            [ReportStatus.NEW, ReportStatus.VERIFYING]
        found = siaga_of(ctx).reports.queue(viewer_of(role, agency, as_name), wanted, limit,
                                            after)
    if as_json:
        print_json(jsonable(found))
        return
    table = Table("id", "status", "wilayah / region", "pelapor / reporter", "isi / text")
    for r in found:
        table.add_row(str(r.id), r.status, r.region or "-", r.reporter_name or "-",
                      r.text[:80])
    out.print(table)


@report_app.command("show")
def report_show(ctx: typer.Context, report_id: int, role: RoleOpt = "analyst",
                agency: AgencyOpt = None, as_name: AsOpt = None) -> None:
    """Show one report as a role may see it."""
    with case_errors():
        found = siaga_of(ctx).reports.show(report_id, viewer_of(role, agency, as_name))
    print_json(jsonable(found))


def _print_bulk(result: BulkResult) -> None:
    out.print(f"{len(result.changed)} diubah / changed, {len(result.refused)} ditolak / refused")
    for report_id, reason in result.refused[:20]:
        err.print(f"  {report_id}: {reason}", highlight=False, markup=False)


@report_app.command("triage")
def report_triage(
    ctx: typer.Context, status: str, ids: list[int],
    reason: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
    as_name: AsOpt = None,
) -> None:
    """Move many reports to STATUS at once (verifying, verified, rejected)."""
    with case_errors():
        _print_bulk(siaga_of(ctx).reports.move(ids, _status(status), operator(as_name),
                                               reason=reason))


@report_app.command("merge")
def report_merge(ctx: typer.Context, keep: int, duplicates: list[int],
                 as_name: AsOpt = None) -> None:
    """Mark DUPLICATES as duplicates of KEEP."""
    with case_errors():
        _print_bulk(siaga_of(ctx).reports.merge(keep, duplicates, operator(as_name)))


@report_app.command("assign")
def report_assign(ctx: typer.Context, assignee: str, ids: list[int],
                  as_name: AsOpt = None) -> None:
    """Assign many reports to one reviewer."""
    with case_errors():
        _print_bulk(siaga_of(ctx).reports.assign(ids, assignee, operator(as_name)))


@report_app.command("import")
def report_import(ctx: typer.Context, file: Path, as_json: JsonOpt = False,
                  as_name: AsOpt = None) -> None:
    """Import reports from CSV; rerunning the same file resumes and stores no duplicate."""
    with case_errors(), Progress(console=err, transient=True) as progress:
        task = progress.add_task(f"impor / import {file.name}", total=None)
        summary = siaga_of(ctx).reports.import_csv(
            file, operator(as_name), after_row=pause_hook(),
            progress=lambda n: progress.update(task, completed=n))
    if as_json:
        print_json(summary.__dict__)
    else:
        out.print(f"{summary.rows} baris / rows: {summary.stored} disimpan / stored, "
                  f"{summary.already} sudah ada / already stored, "
                  f"{len(summary.rejected)} ditolak / rejected")
    for row, problem in summary.rejected[:50]:
        err.print(f"  {file}:{row}: {problem}", highlight=False, markup=False)
