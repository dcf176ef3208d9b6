"""Answering an invitation once: its claim is a conditional update in the answer's transaction.

Two phones sending one code at the same moment, or a retry after a lost reply, both reach the
update; only the first finds the invitation unanswered and unexpired. The database holds the
same rule (response.invitation_id is unique).
"""

from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from survey.models import Invitation, UTCDateTime
from survey.prepared import Prepared


class InvitationSpent(Exception):
    """The invitation was answered already, or has expired: no answer was stored."""


# Prepared (survey/prepared.py): every answer sent with a code runs it.
CLAIM = Prepared(
    update(Invitation)
    .where(Invitation.id == bindparam("invitation_id"), Invitation.answered_at.is_(None),
           Invitation.expires_at > bindparam("now", type_=UTCDateTime()))
    .values(answered_at=bindparam("answered_at", type_=UTCDateTime())))


def claim(session: Session, invitation_id: int, now: datetime) -> None:
    """Mark an invitation answered in the caller's transaction, or raise InvitationSpent."""
    values = {"invitation_id": invitation_id, "now": now, "answered_at": now}
    if CLAIM.execute(session, values).rowcount != 1:
        raise InvitationSpent(invitation_id)
