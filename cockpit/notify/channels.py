"""Delivering one message to one contact point: e-mail over SMTP, or a JSON POST to a webhook."""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import make_msgid

from cockpit.notify.config import ContactPoint
from cockpit.notify.messages import Message

# Seconds to wait for a server: a dead mail relay must not hold a publish for minutes.
TIMEOUT = 20


class SendError(Exception):
    """The contact point did not take the message; the text says why, for the record and the retry."""


def send(point: ContactPoint, message: Message, meta: dict) -> None:
    """Deliver `message`, or raise SendError. `meta` (country, language, reason, alert ids) goes to webhooks."""
    try:
        if point.kind == "email":
            _email(point, message)
        else:
            _webhook(point, message, meta)
    except SendError:
        raise
    except (OSError, smtplib.SMTPException, ValueError) as exc:  # refused, timed out, TLS, bad address
        raise SendError(f"{type(exc).__name__}: {exc}") from exc


def _secret(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise SendError(f"environment variable {variable} is not set")
    return value


def _email(point: ContactPoint, message: Message) -> None:
    mail = EmailMessage()
    mail["Subject"] = message.subject
    mail["From"] = point.sender
    mail["To"] = ", ".join(point.to)
    mail["Message-ID"] = make_msgid(domain=point.sender.rsplit("@", 1)[-1])
    mail.set_content(message.body)  # text/plain, UTF-8: Thai and Lao as they are
    with smtplib.SMTP(point.smtp_host, point.smtp_port, timeout=TIMEOUT) as smtp:
        if point.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if point.user:
            smtp.login(point.user, _secret(point.password_env))
        smtp.send_message(mail)


def _webhook(point: ContactPoint, message: Message, meta: dict) -> None:
    # `text` is what most chat bots (Slack-, Mattermost-, Google-Chat-style hooks) post; the rest is for a bridge.
    payload = {"text": f"{message.subject}\n\n{message.body}", "subject": message.subject, "body": message.body}
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if point.header_name:
        headers[point.header_name] = _secret(point.header_env)
    request = urllib.request.Request(
        point.url, data=json.dumps(payload | meta, ensure_ascii=False).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code} {exc.reason}") from exc
