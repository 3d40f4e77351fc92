"""`siaga brief`: the coordination-meeting briefing as PDF or HTML, or a daily digest by e-mail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from siaga.application.errors import Rendered
from siaga.application.risk import DEFAULT_FRAMEWORK
from siaga.briefing.delivery import DeliveryError, SmtpSettings, briefing_message, send
from siaga.cli.common import app, clear_errors, fail, out, settings_of, siaga_of
from siaga.settings import Settings


@app.command("brief")
def brief(
    ctx: typer.Context,
    scope: Annotated[str, typer.Option(help="Province, regency or district code, e.g. 15.02.")],
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="FILE.pdf or FILE.html (default: SIAGA_HOME/briefings/...pdf).")] = None,
    period: Annotated[str, typer.Option(help="Days looked back for changes, e.g. 7d.")] = "7d",
    as_of: Annotated[str | None, typer.Option(
        help="Situation as of this date or time (2024-11-20 = end of that day, local zone).")
    ] = None,
    lang: Annotated[str, typer.Option(help="id (Bahasa Indonesia) or en.")] = "id",
    framework_id: Annotated[str, typer.Option("--framework", "-f", help="Framework id.")
                            ] = DEFAULT_FRAMEWORK,
    digest: Annotated[bool, typer.Option(
        "--digest", help="Daily digest for cron: the last day (period 1d).")] = False,
    email_to: Annotated[str | None, typer.Option(
        help="Also e-mail it to these addresses (comma-separated), through the SMTP settings.")
    ] = None,
) -> None:
    """Write the briefing for the next coordination meeting (Rakor) of a region."""
    settings = settings_of(ctx)
    recipients = [a.strip() for a in (email_to or "").split(",") if a.strip()]
    if recipients and not settings.smtp_host:
        fail("--email-to needs an SMTP server: set SIAGA_SMTP_HOST (see docs/settings.md)")
    with clear_errors():
        target = out_file or settings.home / "briefings" / (
            f"{'ringkasan-harian' if digest else 'bahan-rakor'}-{scope}-"
            f"{datetime.now():%Y%m%d-%H%M}.pdf")
        siaga = siaga_of(ctx)
        fmt = siaga.briefing.format_of(target)
        framework = siaga.risk.framework(framework_id)
        rendered = siaga.briefing.make(framework, scope, period="1d" if digest else period,
                                       as_of=as_of, lang=lang, fmt=fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(rendered.content)
    b = rendered.briefing
    demo = " [DEMO DATA / DATA CONTOH]" if b.demo else ""
    out.print(f"{target}: {b.scope_name} ({b.scope}), per {b.as_of:%Y-%m-%d %H:%M %Z}, "
              f"{len(rendered.content):,} bytes{demo}", highlight=False)
    if recipients:
        _email(settings, recipients, rendered, target.name)
        out.print(f"Terkirim ke / sent to {', '.join(recipients)}", highlight=False)


def _email(settings: Settings, recipients: list[str], rendered: Rendered,
           filename: str) -> None:
    b = rendered.briefing
    assert settings.smtp_host is not None
    smtp = SmtpSettings(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                        settings.smtp_user,
                        settings.smtp_password.get_secret_value()
                        if settings.smtp_password else None, settings.smtp_starttls)
    subject = f"Siaga: bahan rakor {b.scope_name} per {b.as_of:%Y-%m-%d %H:%M %Z}"
    media = "application/pdf" if rendered.format == "pdf" else "text/html"
    try:
        send(smtp, briefing_message(smtp.sender, recipients, subject, b.summary,
                                    rendered.content, filename, media))
    except DeliveryError as exc:
        fail(str(exc))
