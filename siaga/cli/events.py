"""`siaga events …`: import, add, calendar listing, and clash warnings of campaign events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from siaga.application.errors import ClashReport, EventsError
from siaga.cli.common import app, clear_errors, err, fail, out, print_json, siaga_of
from siaga.cli.fieldwork import FromOpt, ScopeOpt, ToOpt, report_outcome, scope_window_rules
from siaga.domain.events import RESPONSE_LABELS, SEVERITY_LABELS, Response, Severity

events_app = typer.Typer(
    help="Kegiatan kampanye dan keramaian / campaign events and gatherings.", no_args_is_help=True
)
app.add_typer(events_app, name="events")


@events_app.command("import")
def import_file(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file.")],
) -> None:
    """Import events: candidate,type,region,venue,lat,lng,start,end,expected_crowd,permit_status."""
    with clear_errors():
        try:
            outcome = siaga_of(ctx).events.import_file(path)
        except EventsError as exc:
            fail(str(exc))
    report_outcome(outcome, path, "kegiatan / events", stored=len(outcome.ids))


@events_app.command("add")
def add(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Option(help="Ballot number of the pair, or organiser name.")],
    event_type: Annotated[str, typer.Option("--type", help="rally, limited_meeting, …")],
    region: Annotated[str, typer.Option(help="District or village code of the venue.")],
    start: Annotated[str, typer.Option(help="ISO 8601, e.g. 2024-11-10T09:00+07:00.")],
    end: Annotated[str, typer.Option(help="ISO 8601 end.")],
    venue: Annotated[str, typer.Option()] = "",
    lat: Annotated[str, typer.Option(help="Decimal degrees (default: region centroid).")] = "",
    lng: Annotated[str, typer.Option()] = "",
    expected_crowd: Annotated[str, typer.Option()] = "",
    permit_status: Annotated[str, typer.Option(help="STTP: requested, issued, …")] = "",
    contact: Annotated[str, typer.Option()] = "",
    title: Annotated[str, typer.Option()] = "",
) -> None:
    """Record one event by hand (the form)."""
    fields = {"candidate": candidate, "type": event_type, "region": region, "start": start,
              "end": end, "venue": venue, "lat": lat, "lng": lng,
              "expected_crowd": expected_crowd, "permit_status": permit_status,
              "contact": contact, "title": title}
    with clear_errors():
        try:
            new_id = siaga_of(ctx).events.add(fields)
        except EventsError as exc:
            fail(str(exc))
    out.print(f"Kegiatan tercatat / event recorded: #{new_id}", highlight=False)


@events_app.command("list")
def list_events(
    ctx: typer.Context,
    scope: ScopeOpt = "national",
    since: FromOpt = None,
    until: ToOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the events as a calendar, by local day (WIB/WITA/WIT)."""
    with clear_errors():
        siaga = siaga_of(ctx)
        code = siaga.risk.check_scope(scope)
        try:
            start, stop = siaga.events.window(since, until, code)
        except EventsError as exc:
            fail(str(exc))
        found = siaga.events.find(code, start, stop)
    calendar = siaga.events.calendar_of(found)
    if as_json:
        print_json({"scope": code or "national", "days": calendar.to_dict()})
        return
    if not found:
        out.print("Tidak ada kegiatan / no events", highlight=False)
    for day, items in calendar.days.items():
        table = Table(title=day)
        for column in ("#", "waktu / time", "pihak / camp", "jenis / type", "lokasi / place",
                       "massa / crowd", "STTP"):
            table.add_column(column)
        for e in items:
            table.add_row(str(e.id), f"{e.start[11:16]}-{e.end[11:16]} {e.zone}",
                          str(e.camp), e.type, f"{e.venue or ''} {e.region_name} ({e.region})",
                          str(e.expected_crowd or "?"), e.permit_status)
        out.print(table)


@events_app.command("clashes")
def clashes(
    ctx: typer.Context,
    scope: ScopeOpt = "national",
    since: FromOpt = None,
    until: ToOpt = None,
    distance_km: Annotated[float | None, typer.Option(
        min=0, max=500, help="Default: events_clash_km.")] = None,
    buffer_hours: Annotated[float | None, typer.Option(
        min=0, max=336, help="Default: events_buffer_hours.")] = None,
    min_severity: Annotated[Severity, typer.Option()] = Severity.LOW,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Warn about rival events close in place and time, and events in vulnerable areas."""
    with clear_errors():
        siaga = siaga_of(ctx)
        code, start, stop, rules = scope_window_rules(siaga, scope, since, until)
        options = siaga.events.options(distance_km=distance_km, buffer_hours=buffer_hours,
                                       since=start, until=stop, min_severity=min_severity)
        result = siaga.events.clashes(code, options, rules)
    if as_json:
        print_json(result.to_dict())
        return
    _print_warnings(result)


def _print_warnings(result: ClashReport) -> None:
    table = Table(title=f"Peringatan / warnings · {result.scope} · {result.events} events")
    for column in ("tingkat / severity", "jenis / kind", "acara / events", "alasan / reason",
                   "saran / response"):
        table.add_column(column)
    for w in result.warnings:
        table.add_row(SEVERITY_LABELS[Severity(w["severity"])], w["kind"],
                      ", ".join(f"#{i}" for i in w["events"]), w["reason"],
                      RESPONSE_LABELS[Response(w["response"])])
    out.print(table)
    for note in result.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
