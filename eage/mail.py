"""Sending e-mail: through SMTP when MAIL_SERVER is configured, else as an .eml file in the
outbox folder (OUTBOX_PATH) — the invoices and the password-reset links both go through here."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from eage.models.base import utcnow


def new_message(subject: str, to: str, *, sender: str | None = None) -> EmailMessage:
    """An empty message with its headers; MAIL_DEFAULT_SENDER, else `sender`, is the From."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = current_app.config.get("MAIL_DEFAULT_SENDER") or sender or "eage@localhost"
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="eage.local")
    return msg


def deliver(msg: EmailMessage, stem: str) -> str:
    """Send `msg`; returns where it went (smtp://server, or the .eml file's path)."""
    config = current_app.config
    server = config.get("MAIL_SERVER")
    if server:
        with smtplib.SMTP(server, int(config.get("MAIL_PORT", 25)), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(msg)
        return f"smtp://{server}"
    outbox = Path(config["OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{stem}-{utcnow().strftime('%Y%m%d%H%M%S%f')}.eml"
    path.write_bytes(bytes(msg))
    return str(path)
