"""What the pages of invitations by message show: a unit's messages and the message log."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.invitations import codes, messages, optouts
from survey.models import Invitation, InvitationMessage, MessageLog, ServiceUnit

SHOWN = 200
STATUS_NAMES = {"pending": "menunggu dikirim", "sent": "terkirim", "reminded": "diingatkan",
                "answered": "dijawab", "expired": "kedaluwarsa",
                "opted_out": "tidak ingin dihubungi", "failed": "gagal dikirim"}
CHANNEL_NAMES = {"email": "E-mail", "sms": "SMS", "whatsapp": "WhatsApp"}


@dataclass(frozen=True)
class Row:
    id: int
    code: str
    channel: str
    served_at: datetime
    service_type: str | None
    status: str
    whatsapp: str | None  # a click-to-chat link, while the message is to send by hand


@dataclass(frozen=True)
class Listing:
    counts: dict[str, int]
    rows: list[Row]


def unit_messages(session: Session, unit: ServiceUnit, base_url: str, secret: str) -> Listing:
    """Return the number of a unit's messages in each status and the newest SHOWN of them."""
    of_unit = (select(InvitationMessage, Invitation.code)
               .join(Invitation, Invitation.id == InvitationMessage.invitation_id)
               .where(Invitation.unit_id == unit.id))
    counts = dict(session.execute(
        select(InvitationMessage.status, func.count())
        .join(Invitation, Invitation.id == InvitationMessage.invitation_id)
        .where(Invitation.unit_id == unit.id).group_by(InvitationMessage.status)).all())
    rows = [Row(message.id, code, message.channel, message.served_at, message.service_type,
                message.status,
                _whatsapp(message, code, unit, base_url, secret))
            for message, code in session.execute(
                of_unit.order_by(InvitationMessage.id.desc()).limit(SHOWN))]
    return Listing(counts, rows)


def _whatsapp(message: InvitationMessage, code: str, unit: ServiceUnit, base_url: str,
              secret: str) -> str | None:
    if message.contact is None or message.channel != "whatsapp" or message.status not in (
            "pending", "failed"):
        return None
    text = messages.text("invitation", "whatsapp", unit.name,
                         codes.answer_address(base_url, code),
                         messages.opt_out_link(base_url, optouts.contact_hash(secret,
                                                                              message.contact)))
    return messages.whatsapp_link(message.contact, text)


def logged(session: Session) -> list[MessageLog]:
    """Return the newest SHOWN messages of the development gateway."""
    return list(session.scalars(select(MessageLog).order_by(MessageLog.id.desc()).limit(SHOWN)))
