"""`siaga brief`: the coordination-meeting briefing as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from siaga.cli.common import app, clear_errors, out, settings_of, store_of
from siaga.risk.framework import get_framework
from siaga.services import briefing as service
from siaga.services.casework import casework_from

DEFAULT_FRAMEWORK = "tps-rawan-pilkada-2024"


@app.command("brief")
def brief(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help="Province, regency or district code, e.g. 15.02.")],
    out_file: Annotated[Path, typer.Option("--out", help="FILE.pdf or FILE.html.")],
    period: Annotated[str, typer.Option(help="Days looked back for changes, e.g. 7d.")] = "7d",
    as_of: Annotated[str | None, typer.Option(
        help="Situation as of this date or time (2024-11-20 = end of that day, local zone).")
    ] = None,
    lang: Annotated[str, typer.Option(help="id (Bahasa Indonesia) or en.")] = "id",
    framework_id: Annotated[str, typer.Option("--framework", "-f", help="Framework id.")
                            ] = DEFAULT_FRAMEWORK,
) -> None:
    """Write the briefing for the next coordination meeting (Rakor) of a region."""
    with clear_errors():
        fmt = service.format_of(out_file)
        framework = get_framework(framework_id, settings_of(ctx).home / "frameworks")
        settings = settings_of(ctx)
        store = store_of(ctx)
        with store.engine.connect() as conn:
            rendered = service.make_briefing(conn, framework, scope, period=period,
                                             as_of=as_of, lang=lang, fmt=fmt,
                                             cw=casework_from(settings, store),
                                             home=settings.home)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(rendered.content)
    b = rendered.briefing
    demo = " [DEMO DATA / DATA CONTOH]" if b.demo else ""
    out.print(f"{out_file}: {b.scope_name} ({b.scope}), per {b.as_of:%Y-%m-%d %H:%M %Z}, "
              f"{len(rendered.content):,} bytes{demo}", highlight=False)
