"""The daily digest from the CLI, e-mailed through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from siaga.cli import app
from siaga.store import Store


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """Run a real SMTP server on a free local port; yield its port and inbox."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def test_daily_digest_is_written_and_emailed(world: Store, tmp_path: Path,
                                             smtp_server: tuple[int, Inbox]) -> None:
    port, inbox = smtp_server
    env = {"SIAGA_DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
           "SIAGA_HOME": str(tmp_path), "SIAGA_SMTP_HOST": "127.0.0.1",
           "SIAGA_SMTP_PORT": str(port), "SIAGA_SMTP_STARTTLS": "false",
           "SIAGA_SMTP_FROM": "siaga@merangin.example"}
    result = typer.testing.CliRunner().invoke(
        app, ["brief", "--scope", "15.02", "--digest", "--email-to",
              "kesbangpol@merangin.example, bupati@merangin.example"], env=env)
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "briefings").glob("ringkasan-harian-15.02-*.pdf"))
    assert len(written) == 1 and written[0].read_bytes().startswith(b"%PDF")
    (recipients, message), = inbox.messages
    assert recipients == ["kesbangpol@merangin.example", "bupati@merangin.example"]
    assert "Kabupaten Merangin" in message["Subject"]
    parts = list(message.walk())
    body = next(p for p in parts if p.get_content_type() == "text/plain").get_payload(
        decode=True).decode()
    assert "dalam 1 hari terakhir" in body  # the digest looks back one day
    attached = next(p for p in parts if p.get_content_type() == "application/pdf")
    assert attached.get_payload(decode=True) == written[0].read_bytes()


def test_email_without_smtp_settings_is_refused(world: Store, tmp_path: Path) -> None:
    env = {"SIAGA_DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
           "SIAGA_HOME": str(tmp_path), "SIAGA_SMTP_HOST": ""}
    result = typer.testing.CliRunner().invoke(
        app, ["brief", "--scope", "15.02", "--email-to", "x@example.org"], env=env)
    assert result.exit_code == 1 and "SIAGA_SMTP_HOST" in result.output
    assert not (tmp_path / "briefings").exists()


def test_unreachable_smtp_server_is_named(world: Store, tmp_path: Path) -> None:
    env = {"SIAGA_DATABASE_URL": world.engine.url.render_as_string(hide_password=False),
           "SIAGA_HOME": str(tmp_path), "SIAGA_SMTP_HOST": "127.0.0.1",
           "SIAGA_SMTP_PORT": str(_free_port()), "SIAGA_SMTP_STARTTLS": "false"}
    result = typer.testing.CliRunner().invoke(
        app, ["brief", "--scope", "15.02", "--email-to", "x@example.org"], env=env)
    assert result.exit_code == 1 and "SMTP 127.0.0.1" in result.output
    assert len(list((tmp_path / "briefings").glob("*.pdf"))) == 1  # the file is kept
