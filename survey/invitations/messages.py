"""Sending invitations by message: the invitation once, at most one reminder, then the contact
is deleted (UU PDP 27/2022).

A message is due when its transaction was served; its reminder when SUARA_REMINDER_HOURS passed
since the invitation without an answer. Answered, expired or opted-out invitations are closed
first, their contacts set NULL. Each message is committed by the caller as soon as it is sent, so
that a stop midway never sends one twice; one sender runs at a time (`suara invitations send`
from cron). A message staff sent by hand gets no reminder: its contact goes at once.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from survey.invitations import codes, optouts
from survey.invitations.gateways import Gateway, GatewayError, configured
from survey.models import Invitation, InvitationMessage, ServiceUnit

OPEN = ("pending", "sent", "failed")
NAME_MAX = 60  # of the unit, in a short message


def link(endpoint: str, base_url: str, **values) -> str:
    """Return the public address of a route, from SUARA_BASE_URL (no request needed)."""
    parts = urlsplit(base_url)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme or "https")
    return adapter.build(endpoint, values, force_external=True)


def opt_out_link(base_url: str, digest: str) -> str:
    """Return the page where a contact stops all messages."""
    return link("invitations.opt_out", base_url, digest=digest)


def text(kind: str, channel: str, unit_name: str, answer: str, opt_out: str) -> str:
    """Return an invitation ("invitation") or its reminder ("reminder"), short, in Indonesian;
    an SMS offers the keyword BERHENTI, other channels the opt-out link."""
    name = unit_name if len(unit_name) <= NAME_MAX else unit_name[:NAME_MAX - 1] + "…"
    if kind == "invitation":
        body = f"{name}: terima kasih telah dilayani. Mohon nilai layanan kami (1 menit): {answer}"
    else:
        body = f"Pengingat dari {name}: penilaian Anda sangat berarti. Isi survei: {answer}"
    if channel == "sms":
        return f"{body} Balas BERHENTI agar tidak dikirimi pesan lagi."
    return f"{body}\nTidak ingin menerima pesan lagi? {opt_out}"


def whatsapp_link(number: str, message: str) -> str:
    """Return a click-to-chat link (wa.me) that opens WhatsApp with the message typed in."""
    return f"https://wa.me/{number.lstrip('+')}?text={quote(message)}"


def close_finished(session: Session, now: datetime) -> None:
    """Close messages whose invitation was answered or expired; delete their contacts."""
    for status, done in (("answered", Invitation.answered_at.is_not(None)),
                         ("expired", Invitation.expires_at <= now)):
        finished = select(Invitation.id).where(done)
        session.execute(update(InvitationMessage)
                        .where(InvitationMessage.status.in_(OPEN + ("reminded",)),
                               InvitationMessage.invitation_id.in_(finished))
                        .values(status=status, contact=None)
                        .execution_options(synchronize_session=False))


def due(session: Session, now: datetime, remind_after: timedelta | None) -> list[int]:
    """Return the ids of messages to send now: invitations served, reminders due."""
    reminder = (and_(InvitationMessage.status == "sent",
                     InvitationMessage.sent_at <= now - remind_after)
                if remind_after else False)
    return list(session.scalars(
        select(InvitationMessage.id)
        .where(InvitationMessage.contact.is_not(None),
               or_(and_(InvitationMessage.status == "pending",
                        InvitationMessage.served_at <= now), reminder))
        .order_by(InvitationMessage.id)))


@dataclass(frozen=True)
class Outcome:
    kind: str  # "sent", "reminded", "opted_out", "failed", "manual"
    note: str | None = None


def send_one(session: Session, message_id: int, gateways: dict[str, Gateway], *, secret: str,
             base_url: str, now: datetime, remind_after: timedelta | None) -> Outcome:
    """Send a due invitation or reminder through its channel's gateway (flushed)."""
    message, invitation, unit = session.execute(
        select(InvitationMessage, Invitation, ServiceUnit)
        .join(Invitation, Invitation.id == InvitationMessage.invitation_id)
        .join(ServiceUnit, ServiceUnit.id == Invitation.unit_id)
        .where(InvitationMessage.id == message_id)).one()
    digest = optouts.contact_hash(secret, message.contact)
    if optouts.refused(session, secret, {message.contact}):
        message.status, message.contact = "opted_out", None
        return Outcome("opted_out")
    gateway = gateways.get(message.channel)
    if gateway is None:
        return Outcome("manual")
    kind = "invitation" if message.status == "pending" else "reminder"
    body = text(kind, message.channel, unit.name, codes.answer_address(base_url, invitation.code),
                opt_out_link(base_url, digest))
    try:
        provider_id = gateway.send(message.contact, body)
    except GatewayError as error:
        message.status, message.note = "failed", str(error)[:200]
        return Outcome("failed", message.note)
    message.provider_id = provider_id[:64] or None
    if kind == "invitation":
        message.status, message.sent_at = "sent", now
        if not remind_after:
            message.contact = None
    else:
        message.status, message.reminded_at, message.contact = "reminded", now, None
    session.flush()
    return Outcome("sent" if kind == "invitation" else "reminded")


def sent_by_hand(session: Session, unit_id: int, message_id: int, now: datetime) -> bool:
    """Mark a unit's waiting message sent by staff and delete its contact; False if none."""
    marked = session.execute(
        update(InvitationMessage)
        .where(InvitationMessage.id == message_id, InvitationMessage.status.in_(("pending",
                                                                                 "failed")),
               InvitationMessage.invitation_id.in_(
                   select(Invitation.id).where(Invitation.unit_id == unit_id)))
        .values(status="sent", sent_at=now, contact=None)
        .execution_options(synchronize_session=False))
    return marked.rowcount == 1


def reminder_delay(config) -> timedelta | None:
    """Return how long after an unanswered invitation its reminder goes; None: no reminder."""
    hours = config.get("SUARA_REMINDER_HOURS", 0)
    return timedelta(hours=hours) if hours > 0 else None


def send_due(session: Session, config, now: datetime, commit: Callable[[], None]) -> Counter:
    """Close finished messages, then send every due one, committing after each; return the
    number of each outcome (sent, reminded, failed, opted_out, manual)."""
    close_finished(session, now)
    commit()
    remind_after = reminder_delay(config)
    gateways = configured(config, session)
    outcomes: Counter = Counter()
    for message_id in due(session, now, remind_after):
        outcome = send_one(session, message_id, gateways, secret=config["SECRET_KEY"],
                           base_url=config["SUARA_BASE_URL"], now=now,
                           remind_after=remind_after)
        commit()
        outcomes[outcome.kind] += 1
    return outcomes
