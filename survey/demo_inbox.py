"""The demo's inbox and follow-up of Puskesmas Ketabang, so that every staff page has content:
tags a person confirmed, replies to citizens (one e-mailed, one left to send by hand), and
follow-up actions planned, in progress and done, some of them published.

Idempotent like the rest of the demo: each part is added only when the unit has none of it.
"""

from datetime import datetime, time, timedelta, timezone

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from analysis.tagging import suggest
from survey.demo_data import PERIODS
from survey.demo_review import OFFICE, SLUG, UNIT_HEAD
from survey.inbox import mail, tag_rules
from survey.models import (Case, CaseReply, CaseTag, FollowUp, Response, ResponseContact,
                           ServiceUnit, User)

TAGGED = 6  # suggestions whose suggested tags the unit head confirmed
# (contact, delivery, reply): the citizen's contact and how the answer went.
REPLIES = (
    ("warga.ketabang@example.com", "sent",
     "Terima kasih atas masukannya. Mulai bulan ini loket pendaftaran dibuka pukul 07.00 dan "
     "ada satu petugas tambahan pada jam sibuk."),
    ("0812 3456 7890", "manual",
     "Terima kasih, Bapak/Ibu. Keluhan tentang toilet sudah kami teruskan ke bagian umum; "
     "perbaikan dijadwalkan minggu depan."),
)
# (period index in PERIODS, element, action, owner, days after the period ends, status,
#  evidence, published).
ACTIONS = (
    (1, "U3", "Membuka loket pendaftaran pukul 07.00 dan menambah satu petugas pada jam sibuk",
     "Kepala Tata Usaha", 60, "done", "Jadwal baru dipasang di loket sejak 2 Februari 2026.",
     True),
    (1, "U9", "Memperbaiki toilet pengunjung dan menambah kursi ruang tunggu",
     "Bagian Umum", 120, "in_progress", "Toilet selesai; kursi menunggu pengadaan.", True),
    (2, "U7", "Pelatihan pelayanan prima untuk petugas loket",
     "Kepala Puskesmas", 240, "planned", None, False),
    (2, "U3", "Nomor antrean daring lewat WhatsApp", "Koordinator Pendaftaran", 180,
     "in_progress", None, True),
)


def load_demo_inbox(session: Session) -> int:
    """Add the parts of the demo's inbox and follow-up that are missing; return how many rows
    were added. Flush only."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == SLUG)).first()
    users = {user.email: user for user in session.scalars(
        select(User).where(User.email.in_((UNIT_HEAD, OFFICE))))}
    if unit is None or UNIT_HEAD not in users:
        return 0
    head = users[UNIT_HEAD]
    suggestions = session.scalars(
        select(Response).where(Response.unit_id == unit.id, Response.suggestion.is_not(None),
                               Response.excluded.is_(False))
        .order_by(Response.submitted_at.desc(), Response.id)).all()
    added = _tags(session, suggestions, head) + _replies(session, suggestions, head)
    added += _actions(session, unit)
    session.flush()
    return added


def _tags(session: Session, suggestions: list[Response], head: User) -> int:
    """Confirm the suggested tags of the latest suggestions that have any."""
    if session.scalar(select(exists().where(CaseTag.response_id.in_(
            [response.id for response in suggestions])))):
        return 0
    rules, added = tag_rules.rules(session), 0
    tagged = [(response, suggest(rules, response.suggestion)) for response in suggestions]
    for response, found in [pair for pair in tagged if pair[1]][:TAGGED]:
        at = response.submitted_at + timedelta(days=1)
        session.add_all(CaseTag(response_id=response.id, element_code=tag.code,
                                confirmed_by=head.id, confirmed_at=at) for tag in found)
        session.merge(Case(response_id=response.id, status="read", updated_by=head.id,
                           updated_at=at))
        added += len(found)
    return added


def _replies(session: Session, suggestions: list[Response], head: User) -> int:
    """Answer two citizens who left a contact: one by e-mail, one to send by hand."""
    ids = [response.id for response in suggestions]
    if session.scalar(select(exists().where(CaseReply.response_id.in_(ids)))):
        return 0
    for response, (contact, delivery, body) in zip(suggestions[TAGGED:], REPLIES):
        at = response.submitted_at + timedelta(days=2)
        session.add(ResponseContact(response_id=response.id, contact=contact))
        session.add(CaseReply(response_id=response.id, body=body, delivery=delivery,
                              created_by=head.id, created_at=at,
                              sent_at=at if delivery == "sent" else None,
                              note=None if delivery == "sent" else mail.NOT_AN_ADDRESS))
        session.merge(Case(response_id=response.id, status="answered", updated_by=head.id,
                           updated_at=at))
    return min(len(REPLIES), max(0, len(suggestions) - TAGGED))


def _actions(session: Session, unit: ServiceUnit) -> int:
    """Record the follow-up plans of the last two demo semesters."""
    if session.scalar(select(exists().where(FollowUp.unit_id == unit.id))):
        return 0
    for index, code, action, owner, days, status, evidence, published in ACTIONS:
        label, _, ends_on = PERIODS[index]
        made = datetime.combine(ends_on + timedelta(days=14), time(9), timezone.utc)
        session.add(FollowUp(unit_id=unit.id, period_label=label, element_code=code,
                             action=action, owner=owner, due=ends_on + timedelta(days=days),
                             status=status, evidence=evidence, published=published,
                             created_at=made, updated_at=made))
    return len(ACTIONS)
