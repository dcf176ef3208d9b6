"""Where an invitation message goes out: e-mail through the unit's SMTP server, SMS and WhatsApp
through Twilio's Messaging API, or, for demos and tests, the message log shown to administrators.

Every gateway has one method, send(to, text), returning the provider's id of the message or
raising GatewayError with a reason a person can read.
"""

import base64
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from survey.inbox import mail
from survey.models import MessageLog

TIMEOUT_SECONDS = 15
TWILIO_API = "https://api.twilio.com/2010-04-01"
SUBJECT = "Survei Kepuasan Masyarakat"


class GatewayError(Exception):
    """The message was not sent; the text says why."""


class Gateway(Protocol):
    def send(self, to: str, text: str) -> str:
        """Send a text to a contact; return the provider's id, or raise GatewayError."""


@dataclass(frozen=True)
class EmailGateway:
    """E-mail through the SUARA_SMTP_* server (survey/inbox/mail.py)."""

    server: mail.MailServer
    sender_name: str

    def send(self, to: str, text: str) -> str:
        try:
            mail.send(self.server, mail.Letter(to, SUBJECT, text, self.sender_name))
        except (smtplib.SMTPException, OSError) as error:
            raise GatewayError(f"server e-mail menolak: {error}"[:200]) from None
        return ""


@dataclass(frozen=True)
class TwilioGateway:
    """SMS or WhatsApp through Twilio's Messaging API (POST .../Accounts/{sid}/Messages.json,
    HTTP basic authentication with the account SID and auth token; the reply's "sid" is the
    message's id). WhatsApp numbers are written "whatsapp:+62...", as Twilio asks."""

    account_sid: str
    auth_token: str
    sender: str
    whatsapp: bool = False
    api_url: str = TWILIO_API

    def send(self, to: str, text: str) -> str:
        prefix = "whatsapp:" if self.whatsapp else ""
        form = urllib.parse.urlencode({"To": prefix + to, "From": prefix + self.sender,
                                       "Body": text}).encode()
        login = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(
            f"{self.api_url}/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json",
            data=form, method="POST",
            headers={"Authorization": f"Basic {login}",
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:
                return str(json.load(reply).get("sid", ""))[:64]
        except urllib.error.HTTPError as error:
            raise GatewayError(f"Twilio menolak ({error.code}): {_reason(error)}"[:200]) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise GatewayError(f"Twilio tidak dapat dihubungi: {error}"[:200]) from None


def _reason(error: urllib.error.HTTPError) -> str:
    """Return Twilio's message of a refusal (its JSON error body), else the HTTP reason."""
    try:
        return str(json.loads(error.read()).get("message", error.reason))
    except ValueError:
        return str(error.reason)


@dataclass(frozen=True)
class LogGateway:
    """Write the message to the message log instead of sending it (demos and tests)."""

    session: Session
    channel: str

    def send(self, to: str, text: str) -> str:
        entry = MessageLog(channel=self.channel, recipient=to, body=text)
        self.session.add(entry)
        self.session.flush()
        return f"log-{entry.id}"


def configured(config, session: Session, sender_name: str = SUBJECT) -> dict[str, Gateway]:
    """Return the gateway of each channel the settings provide (SUARA_MESSAGE_GATEWAY "log":
    the message log for every channel); a channel without one is left to staff."""
    if config.get("SUARA_MESSAGE_GATEWAY") == "log":
        return {channel: LogGateway(session, channel) for channel in ("email", "sms", "whatsapp")}
    found: dict[str, Gateway] = {}
    server = mail.MailServer.from_config(config)
    if server is not None:
        found["email"] = EmailGateway(server, sender_name)
    if config.get("SUARA_TWILIO_ACCOUNT_SID"):
        account = (config["SUARA_TWILIO_ACCOUNT_SID"], config["SUARA_TWILIO_AUTH_TOKEN"])
        api = config.get("SUARA_TWILIO_API_URL") or TWILIO_API
        if config.get("SUARA_TWILIO_SMS_FROM"):
            found["sms"] = TwilioGateway(*account, config["SUARA_TWILIO_SMS_FROM"], api_url=api)
        if config.get("SUARA_TWILIO_WHATSAPP_FROM"):
            found["whatsapp"] = TwilioGateway(*account, config["SUARA_TWILIO_WHATSAPP_FROM"],
                                              whatsapp=True, api_url=api)
    return found
