"""Where an invitation message goes out: e-mail through the unit's SMTP server, SMS and WhatsApp
through Twilio's Messaging API, or, for demos and tests, the message log shown to administrators.

Every gateway has one method, send(to, text, template), returning the provider's id of the
message or raising GatewayError with a reason a person can read.

WhatsApp lets a business open a conversation only with a template Meta approved beforehand: a
free text reaches a person only within 24 hours of their last message to the sender, so an
invitation after a service given yesterday would be refused. With the Content SID of such a
template configured (SUARA_TWILIO_WHATSAPP_TEMPLATE, and _REMINDER_TEMPLATE for the reminder),
the WhatsApp adapter sends it filled with the message's Template variables instead of the text.
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
    """The message was not sent; the text says why. `passing`: for a reason that may pass (the
    provider unreachable, busy or limiting the rate), so that trying later may succeed; not for
    a refusal of the message itself (a wrong number, a bad sender, a rejected address)."""

    def __init__(self, reason: str, passing: bool = False):
        super().__init__(reason)
        self.passing = passing


@dataclass(frozen=True)
class Template:
    """What a provider's approved template of a message is filled with: {{1}} the unit's name,
    {{2}} the survey's address, {{3}} the opt-out page."""

    kind: str  # "invitation" or "reminder"
    unit_name: str
    answer: str
    opt_out: str

    def variables(self) -> str:
        """Return the variables as Twilio's ContentVariables (JSON, keyed "1", "2", "3")."""
        return json.dumps({"1": self.unit_name, "2": self.answer, "3": self.opt_out})


class Gateway(Protocol):
    def send(self, to: str, text: str, template: Template | None = None) -> str:
        """Send a text to a contact (or the template the gateway has for it); return the
        provider's id, or raise GatewayError."""


@dataclass(frozen=True)
class EmailGateway:
    """E-mail through the SUARA_SMTP_* server (survey/inbox/mail.py)."""

    server: mail.MailServer
    sender_name: str

    def send(self, to: str, text: str, template: Template | None = None) -> str:
        try:
            mail.send(self.server, mail.Letter(to, SUBJECT, text, self.sender_name))
        except smtplib.SMTPResponseException as error:  # 4xx: try again later (RFC 5321)
            raise GatewayError(f"server e-mail menolak: {error}"[:200],
                               passing=400 <= error.smtp_code < 500) from None
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            raise GatewayError(f"server e-mail tidak dapat dihubungi: {error}"[:200],
                               passing=True) from None
        except smtplib.SMTPException as error:
            raise GatewayError(f"server e-mail menolak: {error}"[:200]) from None
        return ""


@dataclass(frozen=True)
class TwilioGateway:
    """SMS or WhatsApp through Twilio's Messaging API (POST .../Accounts/{sid}/Messages.json,
    HTTP basic authentication with the account SID and auth token; the reply's "sid" is the
    message's id). WhatsApp numbers are written "whatsapp:+62...", as Twilio asks; a WhatsApp
    message of a kind with a template (`templates`: kind -> Content SID) goes as that template
    (ContentSid and ContentVariables) instead of its text."""

    account_sid: str
    auth_token: str
    sender: str
    whatsapp: bool = False
    api_url: str = TWILIO_API
    templates: tuple[tuple[str, str], ...] = ()

    def send(self, to: str, text: str, template: Template | None = None) -> str:
        prefix = "whatsapp:" if self.whatsapp else ""
        content = dict(self.templates).get(template.kind) if template else None
        what = ({"ContentSid": content, "ContentVariables": template.variables()} if content
                else {"Body": text})
        form = urllib.parse.urlencode({"To": prefix + to, "From": prefix + self.sender,
                                       **what}).encode()
        login = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(
            f"{self.api_url}/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json",
            data=form, method="POST",
            headers={"Authorization": f"Basic {login}",
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:
                return str(json.load(reply).get("sid", ""))[:64]
        except urllib.error.HTTPError as error:  # 429 and 5xx: busy or limiting, for now
            raise GatewayError(f"Twilio menolak ({error.code}): {_reason(error)}"[:200],
                               passing=error.code == 429 or error.code >= 500) from None
        except (urllib.error.URLError, OSError) as error:
            raise GatewayError(f"Twilio tidak dapat dihubungi: {error}"[:200],
                               passing=True) from None
        except ValueError as error:  # an answer that is not Twilio's: sent or not, unknown
            raise GatewayError(f"jawaban Twilio tidak terbaca: {error}"[:200]) from None


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

    def send(self, to: str, text: str, template: Template | None = None) -> str:
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
            invitation = config.get("SUARA_TWILIO_WHATSAPP_TEMPLATE", "")
            reminder = config.get("SUARA_TWILIO_WHATSAPP_REMINDER_TEMPLATE", "") or invitation
            templates = tuple((kind, sid) for kind, sid in (("invitation", invitation),
                                                            ("reminder", reminder)) if sid)
            found["whatsapp"] = TwilioGateway(*account, config["SUARA_TWILIO_WHATSAPP_FROM"],
                                              whatsapp=True, api_url=api, templates=templates)
    return found
