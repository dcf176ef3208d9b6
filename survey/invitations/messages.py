"""Sending invitations by message: the invitation once, at most one reminder, then the contact
is deleted (UU PDP 27/2022).

A message is due when its transaction was served; its reminder when SUARA_REMINDER_HOURS passed
since the invitation without an answer. Answered, expired or opted-out invitations are closed
first, their contacts set NULL. Each message is claimed before it goes out: a conditional update
moves it on (pending to sent, sent to reminded) and is committed first, so that two senders at
once (`suara invitations send` from cron, a run that outlasts its interval) never send one
message twice, and a stop midway never sends one again; a message whose gateway refuses it is
marked failed. A message staff sent by hand gets no reminder: its contact goes at once.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

from flask import current_app
from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.orm import Session

from survey.invitations import codes, optouts
from survey.invitations.gateways import Gateway, GatewayError, Template, configured
from survey.models import Invitation, InvitationMessage, ServiceUnit

OPEN = ("pending", "sent", "failed")
# A message that failed for a passing reason is tried again after each of these, then it stays
# failed for staff to see (and send by hand, or upload again).
RETRY_DELAYS = (timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4))
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


def _not_waiting(now: datetime):
    """A message not waiting to be tried again after a passing failure."""
    return or_(InvitationMessage.retry_at.is_(None), InvitationMessage.retry_at <= now)


def _due_invitation(now: datetime):
    return and_(InvitationMessage.status == "pending", InvitationMessage.served_at <= now,
                _not_waiting(now))


def _due_reminder(now: datetime, remind_after: timedelta | None):
    if not remind_after:
        return false()
    return and_(InvitationMessage.status == "sent", InvitationMessage.sent_at <= now - remind_after,
                _not_waiting(now))


def due(session: Session, now: datetime, remind_after: timedelta | None,
        channels: Iterable[str]) -> list[int]:
    """Return the ids of messages to send now through the channels given: invitations served,
    reminders due."""
    return list(session.scalars(
        select(InvitationMessage.id)
        .where(InvitationMessage.contact.is_not(None),
               InvitationMessage.channel.in_(tuple(channels)),
               or_(_due_invitation(now), _due_reminder(now, remind_after)))
        .order_by(InvitationMessage.id)))


def waiting_for_staff(session: Session, now: datetime, channels: Iterable[str]) -> int:
    """Count the served invitations of channels without a gateway: staff send them by hand."""
    return session.scalar(
        select(func.count()).select_from(InvitationMessage)
        .where(InvitationMessage.contact.is_not(None),
               InvitationMessage.channel.not_in(tuple(channels)), _due_invitation(now)))


def claim(session: Session, message_id: int, now: datetime,
          remind_after: timedelta | None) -> str | None:
    """Move a due message on before it is sent (pending to sent, sent to reminded), the
    contact kept; return "invitation" or "reminder", or None if another sender took it."""
    for kind, due_now, values in (
            ("invitation", _due_invitation(now), {"status": "sent", "sent_at": now}),
            ("reminder", _due_reminder(now, remind_after),
             {"status": "reminded", "reminded_at": now})):
        claimed = session.execute(
            update(InvitationMessage)
            .where(InvitationMessage.id == message_id, InvitationMessage.contact.is_not(None),
                   due_now)
            .values(**values).execution_options(synchronize_session=False))
        if claimed.rowcount == 1:
            return kind
    return None


@dataclass(frozen=True)
class Outcome:
    kind: str  # "sent", "reminded", "opted_out", "failed", "manual"
    note: str | None = None
    provider_id: str | None = None
    passing: bool = False  # a failure that trying later may mend (GatewayError.passing)


@dataclass(frozen=True)
class Outgoing:
    """A claimed message as it goes out: its channel, contact and text (None: opted out), and
    what a provider's template of it is filled with."""

    channel: str
    contact: str
    body: str | None
    template: Template | None = None


def outgoing(session: Session, message_id: int, kind: str, *, secret: str,
             base_url: str) -> Outgoing:
    """Return a claimed invitation or reminder (`claim`) as its gateway will send it."""
    found = session.execute(
        select(InvitationMessage.channel, InvitationMessage.contact, Invitation.code,
               ServiceUnit.name)
        .join(Invitation, Invitation.id == InvitationMessage.invitation_id)
        .join(ServiceUnit, ServiceUnit.id == Invitation.unit_id)
        .where(InvitationMessage.id == message_id)).one()
    if optouts.refused(session, secret, {found.contact}):
        return Outgoing(found.channel, found.contact, None)
    template = Template(kind, found.name, codes.answer_address(base_url, found.code),
                        opt_out_link(base_url, optouts.contact_hash(secret, found.contact)))
    return Outgoing(found.channel, found.contact, text(
        kind, found.channel, found.name, template.answer, template.opt_out), template)


def send_one(message: Outgoing, kind: str, gateway: Gateway) -> Outcome:
    """Send a message through its channel's gateway; say how it went."""
    if message.body is None:
        return Outcome("opted_out")
    try:
        provider_id = gateway.send(message.contact, message.body, message.template)
    except GatewayError as error:
        return Outcome("failed", str(error)[:200], passing=error.passing)
    return Outcome("sent" if kind == "invitation" else "reminded",
                   provider_id=provider_id[:64] or None)


def record(session: Session, message_id: int, kind: str, outcome: Outcome,
           remind_after: timedelta | None, now: datetime) -> str:
    """Write how a claimed message went: its contact goes once nothing more is to be sent.
    Return the outcome's kind, or "retrying" for a passing failure to be tried again."""
    if outcome.kind == "failed" and outcome.passing and _retry(session, message_id, kind,
                                                                 outcome.note, now):
        return "retrying"
    values = {"opted_out": {"status": "opted_out", "contact": None},
              "failed": {"status": "failed", "note": outcome.note},
              "sent": {"provider_id": outcome.provider_id,
                       **({} if remind_after else {"contact": None})},
              "reminded": {"provider_id": outcome.provider_id, "contact": None}}[outcome.kind]
    session.execute(update(InvitationMessage).where(InvitationMessage.id == message_id)
                    .values(**values).execution_options(synchronize_session=False))
    return outcome.kind


def _retry(session: Session, message_id: int, kind: str, note: str | None,
           now: datetime) -> bool:
    """Put a claimed message back as it was before its claim, to be tried again after the next
    of RETRY_DELAYS; False when it has been tried as often as they allow."""
    attempts = session.scalar(select(InvitationMessage.attempts)
                              .where(InvitationMessage.id == message_id))
    if attempts >= len(RETRY_DELAYS):
        return False
    back = ({"status": "pending", "sent_at": None} if kind == "invitation"
            else {"status": "sent", "reminded_at": None})
    session.execute(update(InvitationMessage).where(InvitationMessage.id == message_id)
                    .values(**back, attempts=attempts + 1, note=note,
                            retry_at=now + RETRY_DELAYS[attempts])
                    .execution_options(synchronize_session=False))
    return True


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
    outcomes: Counter = Counter({"manual": waiting_for_staff(session, now, gateways)})
    to_send = due(session, now, remind_after, gateways)
    commit()  # the reading ends: each claim begins with its write (SQLite waits its turn)
    for message_id in to_send:
        kind = claim(session, message_id, now, remind_after)
        commit()
        if kind is None:
            continue  # sent by another sender meanwhile
        message = outgoing(session, message_id, kind, secret=config["SECRET_KEY"],
                           base_url=config["SUARA_BASE_URL"])
        commit()  # no transaction is open while a gateway sends
        outcome = send_one(message, kind, gateways[message.channel])
        outcomes[record(session, message_id, kind, outcome, remind_after, now)] += 1
        commit()
    return +outcomes  # the outcomes that happened
