"""The `siaga` command. Each module registers its commands on the shared Typer app."""

from siaga.cli import (  # noqa: F401 - registration
    brief,
    cases,
    cluster,
    data,
    demo,
    detect,
    events,
    model,
    participation,
    readiness,
    regions,
    reports,
    risk,
    serve,
    users,
    workspace,
)
from siaga.cli.common import app


def main() -> None:
    """Run the CLI."""
    app()


__all__ = ["app", "main"]
