"""Send a rendered briefing by e-mail through the configured SMTP server."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage


class DeliveryError(RuntimeError):
    """The briefing could not be sent, with the reason (server, refusal, settings)."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: host, port, optional login, sender, STARTTLS."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False


def briefing_message(sender: str, recipients: Sequence[str], subject: str, body: str,
                     attachment: bytes, filename: str, media: str) -> EmailMessage:
    """Return the e-mail: a short text body and the briefing attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    main, _, sub = media.partition("/")
    message.add_attachment(attachment, maintype=main, subtype=sub.split(";")[0],
                           filename=filename)
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send the message; raise DeliveryError naming the server and what went wrong."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as server:
            if settings.starttls:
                server.starttls()
            if settings.user:
                server.login(settings.user, settings.password or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {settings.host}:{settings.port}: {exc}") from exc
