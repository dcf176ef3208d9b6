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


# The answer's channel by where its invitation came from: a personal link in a message, else
# the QR code of a slip or ticket (or its code typed in, which cannot be told apart).
CHANNELS = {"message": "link", "sheet": "qr", "api": "qr"}

CLAIM_CODE = Prepared(
    update(Invitation)
    .where(Invitation.code == bindparam("code"), Invitation.point_id == bindparam("point_id"),
           Invitation.answered_at.is_(None),
           Invitation.expires_at > bindparam("now", type_=UTCDateTime()))
    .values(answered_at=bindparam("answered_at", type_=UTCDateTime()))
    .returning(Invitation.id, Invitation.source))


def claim_code(session: Session, row: dict, now: datetime) -> None:
    """Claim the invitation of a row's `invitation_code` (taken out of the row) at the row's
    point, in the caller's transaction: one statement, no read before it. Fill in the row's
    invitation_id and the channel its source gives, or raise InvitationSpent (unknown, of
    another point, answered or expired)."""
    code = row.pop("invitation_code")
    claimed = CLAIM_CODE.execute(session, {"code": code, "point_id": row["point_id"],
                                           "now": now, "answered_at": now}).fetchone()
    if claimed is None:
        raise InvitationSpent(code)
    row["invitation_id"], row["channel"] = claimed[0], CHANNELS[claimed[1]]


def claim(session: Session, invitation_id: int, now: datetime) -> None:
    """Mark an invitation answered in the caller's transaction, or raise InvitationSpent."""
    values = {"invitation_id": invitation_id, "now": now, "answered_at": now}
    if CLAIM.execute(session, values).rowcount != 1:
        raise InvitationSpent(invitation_id)
