"""An invitation as its answering page finds it: open, used, expired; opened once."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, exists, select, update
from sqlalchemy.orm import Session

from survey import db
from survey.invitations import codes
from survey.models import Invitation, Response, ServicePoint, UTCDateTime
from survey.prepared import Prepared


@dataclass(frozen=True)
class Found:
    """What the answering page needs of an invitation, and the token of its point; whether
    it was opened, answered, expired at the moment it was read."""

    id: int
    code: str
    source: str
    point_token: str
    expired: bool
    opened: bool
    answered: bool

    @property
    def state(self) -> str:
        """Return "used", "expired" or "open"."""
        if self.answered:
            return "used"
        return "expired" if self.expired else "open"


# Prepared (survey/prepared.py): every answer sent with a code runs it. The times are compared
# in SQL, so that the driver's row needs no conversion back.
FIND = Prepared(
    select(Invitation.id, Invitation.code, Invitation.source, ServicePoint.token,
           case((Invitation.expires_at <= bindparam("now", type_=UTCDateTime()), 1), else_=0),
           case((Invitation.opened_at.is_not(None), 1), else_=0),
           case((Invitation.answered_at.is_not(None), 1), else_=0))
    .join(ServicePoint, ServicePoint.id == Invitation.point_id)
    .where(Invitation.code == bindparam("code")))


def find(session: Session, typed: str, now: datetime) -> Found | None:
    """Return the invitation of a code as typed or linked (any case, dashes), or None."""
    code = codes.normalised(typed[:40])
    if code is None:
        return None
    found = FIND.execute(session, {"code": code, "now": now}).fetchone()
    if found is None:
        return None
    id_, code, source, token, expired, opened, answered = found
    return Found(id_, code, source, token, bool(expired), bool(opened), bool(answered))


def mark_opened(session: Session, found: Found, now: datetime) -> None:
    """Record the first opening of an invitation's page (later ones change nothing); commit."""
    if found.opened:
        return
    with db.writing_turn(session):
        session.execute(update(Invitation)
                        .where(Invitation.id == found.id, Invitation.opened_at.is_(None))
                        .values(opened_at=now).execution_options(synchronize_session=False))
        session.commit()


def answered_with(session: Session, found: Found, client_uuid: uuid.UUID | None) -> bool:
    """Tell whether this answer (its client_uuid) is the one an invitation was answered with:
    a double tap or a retry after a lost reply is success, not a second use."""
    return client_uuid is not None and session.scalar(select(exists().where(
        Response.invitation_id == found.id, Response.client_uuid == client_uuid)))
