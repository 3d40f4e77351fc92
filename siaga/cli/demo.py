"""`siaga demo`: invented, clearly marked activity that shows a new workspace working."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from siaga.cli.common import app, clear_errors, out, settings_of, store_of
from siaga.services import demo_activity as demo
from siaga.services.casework import casework_from


@app.command("demo")
def demo_command(ctx: typer.Context) -> None:
    """Add [DEMO] field reports (raising an alert), two clashing rallies and a case in Merangin."""
    from siaga.detect.alerts import load_rules
    from siaga.services.detect import build_pipeline

    settings = settings_of(ctx)
    now = datetime.now(UTC)
    with clear_errors():
        store = store_of(ctx)
        pipeline = build_pipeline(settings.home, settings.require_data_dir(),
                                  load_rules(settings.alert_rules))
        signals, alerts = demo.add_demo_signals(store, pipeline, settings.home, now)
        events = demo.add_demo_events(store, now)
        cases = demo.add_demo_case(store, casework_from(settings, store))
    out.print(f"[DEMO] sinyal / signals +{signals}, peringatan / alerts +{alerts}, "
              f"kegiatan / events +{events}, kasus / cases +{cases} "
              "(semua bertanda [DEMO] / all marked [DEMO])", highlight=False)
