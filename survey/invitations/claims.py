"""Answering an invitation once: its claim is a conditional update in the answer's transaction.

Two phones sending one code at the same moment, or a retry after a lost reply, both reach the
update; only the first finds the invitation unanswered and unexpired. The database holds the
same rule (response.invitation_id is unique).
"""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from survey.models import Invitation


class InvitationSpent(Exception):
    """The invitation was answered already, or has expired: no answer was stored."""


def claim(session: Session, invitation_id: int, now: datetime) -> None:
    """Mark an invitation answered in the caller's transaction, or raise InvitationSpent."""
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.answered_at.is_(None),
               Invitation.expires_at > now)
        .values(answered_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise InvitationSpent(invitation_id)
