"""Sending a unit's reply to a citizen by e-mail, when an SMTP server is configured.

Without one, or when the contact is not an e-mail address (a phone number), or when the server
refuses, the reply is kept "to send by hand": the unit sees the contact and sends it itself.
"""

import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr

EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
TIMEOUT_SECONDS = 15
# Why a reply was not e-mailed; shown to the unit in words (survey/inbox/strings.py).
NO_SERVER, NOT_AN_ADDRESS, REFUSED = "no_server", "not_email", "refused"


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    user: str
    password: str
    tls: bool
    sender: str

    @classmethod
    def from_config(cls, config) -> "MailServer | None":
        """Return the server of the SUARA_SMTP_* settings, or None when no host is set."""
        if not config.get("SUARA_SMTP_HOST"):
            return None
        return cls(config["SUARA_SMTP_HOST"], config["SUARA_SMTP_PORT"],
                   config["SUARA_SMTP_USER"], config["SUARA_SMTP_PASSWORD"],
                   config["SUARA_SMTP_TLS"], config["SUARA_SMTP_FROM"])


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    body: str
    sender_name: str


@dataclass(frozen=True)
class Delivery:
    delivery: str  # "sent" or "manual" (models.DELIVERIES)
    note: str | None = None


def is_email(contact: str) -> bool:
    """Tell whether a contact looks like an e-mail address."""
    return bool(EMAIL.match(contact.strip()))


def send(server: MailServer, letter: Letter) -> None:
    """Send one plain-text message; raise smtplib.SMTPException or OSError on failure."""
    message = EmailMessage()
    message["From"] = formataddr((letter.sender_name, server.sender))
    message["To"] = letter.to.strip()
    message["Subject"] = letter.subject
    message.set_content(letter.body)
    with smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS) as smtp:
        if server.tls:
            smtp.starttls()
        if server.user:
            smtp.login(server.user, server.password)
        smtp.send_message(message)


def deliver(server: MailServer | None, letter: Letter) -> Delivery:
    """E-mail a letter when possible; otherwise say why it is left to send by hand."""
    if server is None:
        return Delivery("manual", NO_SERVER)
    if not is_email(letter.to):
        return Delivery("manual", NOT_AN_ADDRESS)
    try:
        send(server, letter)
    except (smtplib.SMTPException, OSError) as error:
        return Delivery("manual", f"{REFUSED}: {error}"[:200])
    return Delivery("sent")
