"""An invitation as its answering page finds it: open, used, expired; opened once."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from survey import db
from survey.invitations import codes
from survey.models import Invitation, Response, ServicePoint


@dataclass(frozen=True)
class Found:
    """What the answering page needs of an invitation, and the token of its point."""

    id: int
    code: str
    source: str
    point_token: str
    expires_at: datetime
    opened_at: datetime | None
    answered_at: datetime | None

    def state(self, now: datetime) -> str:
        """Return "used", "expired" or "open"."""
        if self.answered_at is not None:
            return "used"
        return "expired" if self.expires_at <= now else "open"

    @property
    def channel(self) -> str:
        """Return the channel of its answer: a personal link, or a printed slip's or ticket's
        QR code (typed in by hand too, which the page cannot tell apart)."""
        return "link" if self.source == "message" else "qr"


FIND = (select(Invitation.id, Invitation.code, Invitation.source, ServicePoint.token,
               Invitation.expires_at, Invitation.opened_at, Invitation.answered_at)
        .join(ServicePoint, ServicePoint.id == Invitation.point_id))


def find(session: Session, typed: str) -> Found | None:
    """Return the invitation of a code as typed or linked (any case, dashes), or None."""
    code = codes.normalised(typed[:40])
    if code is None:
        return None
    found = session.execute(FIND.where(Invitation.code == code)).first()
    return Found(*found) if found else None


def mark_opened(session: Session, found: Found, now: datetime) -> None:
    """Record the first opening of an invitation's page (later ones change nothing); commit."""
    if found.opened_at is not None:
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
