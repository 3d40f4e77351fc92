"""What the field-work commands (events, readiness, participation) share: the scope and time
window options, and how an import's outcome is told."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from siaga.application import Siaga
from siaga.application.errors import EventsError
from siaga.cli.common import err, fail, out
from siaga.events.rules import ReadinessRules, RulesError

ScopeOpt = Annotated[str, typer.Option(help="Region code (15.02) or 'national'.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="From date or time (local zone).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="To date (inclusive) or time.")]
FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file.")]


def print_problems(problems: list[Any], label: str) -> None:
    """Print numbered row problems on stderr (at most 200), then how many there were."""
    for problem in problems[:200]:
        err.print(str(problem), highlight=False, markup=False)
    if len(problems) > 200:
        err.print(f"... and {len(problems) - 200} more", highlight=False)
    if problems:
        err.print(f"{len(problems)} {label}", highlight=False)


def scope_window_rules(siaga: Siaga, scope: str, since: str | None, until: str | None
                       ) -> tuple[str, datetime | None, datetime | None, ReadinessRules]:
    """Return the checked scope code, the local time window and the readiness rules in force.

    A bad scope, date or rules file stops the command with its message.
    """
    code = siaga.risk.check_scope(scope)
    try:
        start, stop = siaga.events.window(since, until, code)
        return code, start, stop, siaga.events.rules()
    except (EventsError, RulesError) as exc:
        fail(str(exc))


def report_outcome(outcome: Any, path: Path, what: str, stored: int | None = None) -> None:
    """Say what an import loaded and refused; exit 1 when it refused every row.

    `stored` is the number loaded when the outcome does not carry it as `stored`.
    """
    stored = outcome.stored if stored is None else stored
    if outcome.seen_before:
        out.print(f"{path.name} sudah pernah diimpor / was already imported (sha256 "
                  f"{outcome.sha256[:12]}…); nothing added.", highlight=False)
        return
    print_problems(outcome.problems, "baris ditolak / rows refused")
    out.print(f"{stored:,} {what} dimuat / loaded from {path.name}; raw file kept as "
              f"sha256 {outcome.sha256[:12]}…", highlight=False)
    if not stored and outcome.problems:
        raise typer.Exit(1)
