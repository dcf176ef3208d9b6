"""Answers by SMS from a basic phone: "SKM <code> <nine answers 1..4>", and the keyword BERHENTI.

The reply, in Indonesian, is what the SMS gateway sends back to the citizen: thanks, or what
to correct. An answer is stored through store_once with its invitation, so a code answers once:
the same message sent again (a gateway's retry) is thanked again without a second answer; another
answer with a used code is refused.
"""

import hmac
import re
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey.invitations import claims, codes, optouts
from survey.invitations.transactions import phone_number
from survey.models import Invitation, InvitationMessage, ServicePoint, ServiceUnit, utcnow
from survey.public import abuse
from survey.public.submissions import store_once
from survey.responses import questionnaire_used_by, response_values

KEYWORD = "SKM"
STOP_WORDS = ("BERHENTI", "STOP")
MAX_TEXT = 320
# Answers of an SMS have no client of their own: the same code and answers make the same id.
SMS_NAMESPACE = uuid.UUID("7d3c1f0e-5b1a-4f7e-9a53-0c6d8e2b9f41")
EXAMPLE = "SKM AB3D-EF7H 4 3 4 4 3 4 4 3 4"
FORMAT = (f"Format: SKM, kode undangan, lalu 9 nilai 1-4 dipisah spasi. Contoh: {EXAMPLE}")
THANKS = "Terima kasih, penilaian Anda untuk {unit} sudah kami terima."
UNKNOWN = "Kode {code} tidak dikenal. Periksa kembali kode pada pesan undangan Anda."
USED = "Kode {code} sudah dipakai untuk menjawab. Setiap kode hanya dapat dipakai sekali."
EXPIRED = "Kode {code} sudah kedaluwarsa. Terima kasih atas kesediaan Anda."
CLOSED = "Survei layanan ini sudah ditutup. Terima kasih atas kesediaan Anda."
BUSY = "Maaf, layanan sedang sibuk. Silakan kirim ulang pesan yang sama beberapa saat lagi."
STOPPED = "Nomor Anda tidak akan dikirimi pesan survei lagi. Terima kasih."


@dataclass(frozen=True)
class Reply:
    """A well-formed answer: the code as issued and the nine values."""

    code: str
    answers: tuple[int, ...]


def parse(text: str) -> Reply | str:
    """Return the code and answers of an SMS, or the Indonesian reply saying what is wrong."""
    words = re.split(r"[\s,;]+", text.strip()[:MAX_TEXT])
    if len(words) < 2 or words[0].upper() != KEYWORD:
        return FORMAT
    code, rest = codes.normalised(words[1]), words[2:]
    if code is None and rest:  # a code typed in its two groups: "AB3D EF7H"
        code, rest = codes.normalised(words[1] + words[2]), words[3:]
    if code is None:
        return f"Kode '{words[1][:12]}' tidak sesuai: kode terdiri dari 8 huruf/angka. {FORMAT}"
    if len(rest) == 1 and rest[0].isdigit():  # nine digits written together: 434434434
        rest = list(rest[0])
    if len(rest) != len(ELEMENT_CODES):
        return (f"Jumlah nilai harus {len(ELEMENT_CODES)}, pesan Anda berisi {len(rest)}. "
                f"{FORMAT}")
    for position, value in enumerate(rest, start=1):
        if value not in ("1", "2", "3", "4"):
            return f"Nilai ke-{position} ('{value[:5]}') harus 1, 2, 3 atau 4. {FORMAT}"
    return Reply(code, tuple(int(value) for value in rest))


def _invitation(session: Session, code: str):
    return session.execute(
        select(Invitation, ServiceUnit, ServicePoint.active,
               questionnaire_used_by(Invitation.unit_id).scalar_subquery(),
               InvitationMessage.service_type)
        .join(ServiceUnit, ServiceUnit.id == Invitation.unit_id)
        .join(ServicePoint, ServicePoint.id == Invitation.point_id)
        .outerjoin(InvitationMessage, InvitationMessage.invitation_id == Invitation.id)
        .where(Invitation.code == code)).first()


def answer(session: Session, reply: Reply) -> str:
    """Store an invited answer by SMS once (committed); return the reply to send back."""
    shown = codes.shown(reply.code)
    found = _invitation(session, reply.code)
    if found is None:
        return UNKNOWN.format(code=shown)
    invitation, unit, point_active, questionnaire_id, service_type = found
    client_uuid = uuid.uuid5(SMS_NAMESPACE, f"{reply.code}|{reply.answers}")
    if unit.status != "active" or not point_active or questionnaire_id is None:
        return CLOSED
    row = response_values(unit, questionnaire_id=questionnaire_id, submitted_at=utcnow(),
                          channel="sms", answers=dict(zip(ELEMENT_CODES, reply.answers)),
                          client_uuid=client_uuid, point_id=invitation.point_id,
                          invitation_id=invitation.id, service_type=service_type)
    try:
        store_once(session, row)
    except claims.InvitationSpent:
        # Expired only if its time is past: a code neither answered nor expired as stored was
        # claimed by another reply at this very moment, not committed yet (SQLite commits the
        # answers sent together in one transaction).
        spent = session.get(Invitation, invitation.id)
        expired = spent.answered_at is None and spent.expires_at <= utcnow()
        return (EXPIRED if expired else USED).format(code=shown)
    except abuse.TooMany:
        return BUSY
    return THANKS.format(unit=unit.name)


def respond(session: Session, text: str, sender: str, secret: str) -> str:
    """Return the reply to an incoming SMS: an answer stored, an opt-out kept, or a correction."""
    if text.strip().upper() in STOP_WORDS:
        number = phone_number(sender.removeprefix("whatsapp:"))
        if number is None:
            return FORMAT
        optouts.opt_out(session, optouts.contact_hash(secret, number))
        session.commit()
        return STOPPED
    reply = parse(text)
    return reply if isinstance(reply, str) else answer(session, reply)


def authorised(request: Request, secret: str) -> bool:
    """Tell whether a webhook call carries the shared secret: the X-Suara-Secret header, or
    the password of HTTP basic authentication (what Twilio puts in a webhook's address)."""
    given = request.headers.get("X-Suara-Secret", "")
    if not given and request.authorization is not None:
        given = request.authorization.password or ""
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def fields(request: Request) -> tuple[str, str]:
    """Return the text and sender of a forwarded SMS: Twilio's Body and From, or text and from."""
    form = request.form
    return ((form.get("Body") or form.get("text") or "")[:MAX_TEXT],
            (form.get("From") or form.get("from") or "")[:40])


def twiml(reply: str) -> str:
    """Return a reply as Twilio's markup (TwiML) for sending it back."""
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f"<Response><Message>{escape(reply)}</Message></Response>")
