"""`siaga demo`: invented, clearly marked activity that shows a new workspace working."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from siaga.cli.common import app, clear_errors, out, siaga_of


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Add [DEMO] field reports (raising an alert), two clashing rallies and a case in Merangin."""
    now = datetime.now(UTC)
    with clear_errors():
        signals, alerts, events, cases = siaga_of(ctx).detect.demo(now)
    out.print(f"[DEMO] sinyal / signals +{signals}, peringatan / alerts +{alerts}, "
              f"kegiatan / events +{events}, kasus / cases +{cases} "
              "(semua bertanda [DEMO] / all marked [DEMO])", highlight=False)
