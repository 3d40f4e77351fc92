"""`siaga users`: create and manage accounts; `siaga users demo-admin` for `make run`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from siaga.application.errors import UserError
from siaga.auth.passwords import WeakPassword, new_password
from siaga.cli.common import app, clear_errors, fail, out, print_json, settings_of, siaga_of
from siaga.domain.access import Role, parse_role

users_app = typer.Typer(help="Accounts: add, list, change password, disable.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")
DEMO_ADMIN = "admin"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    secret: str = typer.prompt("Kata sandi / Password", hide_input=True,
                               confirmation_prompt=True)
    return secret


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except ValueError as exc:
        fail(str(exc), code=2)


@users_app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str, typer.Option(help="admin, chair, analyst, agency_officer or "
                                           "field_reporter.")],
    agency: Annotated[str | None, typer.Option(help="The agency code of an agency_officer, "
                                                    "e.g. bawaslu, polres, diskominfo.")] = None,
    name: Annotated[str | None, typer.Option(help="Full name shown in logs.")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin",
                                                 help="Read the password from stdin.")] = False,
) -> None:
    """Create an account (the password is asked for, or read from stdin)."""
    chosen = _role(role)
    secret = _password(password_stdin)
    with clear_errors():
        try:
            account = siaga_of(ctx).users.add(username, secret, chosen, agency=agency,
                                              display_name=name)
        except (UserError, WeakPassword) as exc:
            fail(str(exc))
    out.print(f"Akun dibuat / account created: {account.username} ({account.role.value}"
              f"{', ' + account.agency if account.agency else ''})", highlight=False)


@users_app.command("list")
def list_users(ctx: typer.Context,
               as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the accounts (never their passwords)."""
    with clear_errors():
        accounts = siaga_of(ctx).users.accounts()
    if as_json:
        print_json([{"username": a.username, "name": a.display_name, "role": a.role.value,
                     "agency": a.agency, "active": a.active} for a in accounts])
        return
    table = Table("username", "name", "role", "agency", "active")
    for a in accounts:
        table.add_row(a.username, a.display_name, a.role.value, a.agency or "", str(a.active))
    out.print(table)


@users_app.command("passwd")
def passwd(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a new password for an account."""
    secret = _password(password_stdin)
    with clear_errors():
        try:
            ended = siaga_of(ctx).users.set_password(username, secret)
        except (UserError, WeakPassword) as exc:
            fail(str(exc))
    out.print(f"Kata sandi diganti / password changed: {username}; {ended} sesi diakhiri / "
              f"session(s) ended", highlight=False)


@users_app.command("disable")
def disable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Disable an account and end its sessions at once."""
    _set_active(ctx, username, False)


@users_app.command("enable")
def enable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Enable a disabled account."""
    _set_active(ctx, username, True)


def _set_active(ctx: typer.Context, username: str, active: bool) -> None:
    with clear_errors():
        try:
            siaga_of(ctx).users.set_active(username, active)
        except UserError as exc:
            fail(str(exc))
    state = "aktif / enabled" if active else "nonaktif / disabled"
    out.print(f"{username}: {state}", highlight=False)


@users_app.command("demo-admin")
def demo_admin(ctx: typer.Context) -> None:
    """Create the demo admin once (random password kept in SIAGA_HOME) and say how to log in."""
    settings = settings_of(ctx)
    secret_file = settings.home / "demo-admin.txt"
    with clear_errors():
        users = siaga_of(ctx).users
        exists = any(a.username == DEMO_ADMIN for a in users.accounts())
        if not exists:
            secret = new_password()
            users.add(DEMO_ADMIN, secret, Role.ADMIN, display_name="Demo admin")
            _keep_secret(secret_file, secret)
    if not secret_file.is_file():
        out.print(f"Akun {DEMO_ADMIN!r} sudah ada; kata sandinya tidak disimpan di sini / "
                  f"account {DEMO_ADMIN!r} exists; its password is not kept here "
                  f"(`siaga users passwd {DEMO_ADMIN}`)", highlight=False)
        return
    out.print(f"Masuk / log in: http://{settings.host}:{settings.port}/masuk  "
              f"user [bold]{DEMO_ADMIN}[/], password [bold]{secret_file.read_text().strip()}[/] "
              f"(from {secret_file})", highlight=False)


def _keep_secret(path: Path, secret: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secret + "\n")
