"""API keys of a service point: a queue machine or counter application asks for invitations.

A key is random (secrets.token_urlsafe, 256 bits), shown once when staff make it; the server
keeps only its keyed hash (HMAC-SHA256 with SECRET_KEY, as for kiosk keys in
survey/kiosks/devices.py), so a copy of the database issues nothing. Revoked keys stay, for the
audit log; they open nothing any more. A key issues at most RATE_LIMIT invitations of its
point an hour (all of the point's keys together): a counter serves one citizen every few
minutes, a queue machine of a busy office prints at most a few hundred tickets an hour. Codes
and posted transactions (api_views.py) share that one limit.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from survey import audit
from survey.kiosks.devices import keyed
from survey.models import Invitation, InvitationApiKey, ServicePoint, User

PREFIX = "suara_"  # lets a secret scanner recognise a leaked key
NAME_MAX = 80
KEY_MAX = 100
RATE_LIMIT, RATE_WINDOW = 600, timedelta(hours=1)


def create(session: Session, point: ServicePoint, name: str, user: User, secret: str,
           now: datetime) -> tuple[InvitationApiKey, str]:
    """Add a key for a point (audited); return it and the key itself, to be shown once."""
    key = PREFIX + secrets.token_urlsafe(32)
    row = InvitationApiKey(point_id=point.id, name=name[:NAME_MAX], key_hash=keyed(secret, key),
                           created_by=user.id, created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, "invitation_key_created", f"invitation_key:{row.id}",
                 unit_id=point.unit_id, detail={"point_id": point.id, "name": row.name})
    return row, key


def revoke(session: Session, row: InvitationApiKey, point: ServicePoint, now: datetime) -> bool:
    """Revoke a key (audited); False if it already was."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = now
    audit.record(session, "invitation_key_revoked", f"invitation_key:{row.id}",
                 unit_id=point.unit_id, detail={"point_id": point.id, "name": row.name})
    return True


@dataclass(frozen=True)
class Holder:
    """The key a request presented, and its point."""

    key_id: int
    point_id: int


def holder(session: Session, key: str | None, secret: str) -> Holder | None:
    """Return the unrevoked key a request presents and its point, or None."""
    if not key or len(key) > KEY_MAX:
        return None
    found = session.execute(
        select(InvitationApiKey.id, InvitationApiKey.point_id)
        .where(InvitationApiKey.key_hash == keyed(secret, key),
               InvitationApiKey.revoked_at.is_(None))).first()
    return Holder(*found) if found else None


def used(session: Session, key_id: int, now: datetime) -> None:
    """Record that a key was used."""
    session.execute(update(InvitationApiKey).where(InvitationApiKey.id == key_id)
                    .values(last_used_at=now))


def issued_lately(session: Session, point_id: int, now: datetime) -> int:
    """Count the invitations a point's keys issued within the rate window: codes (source
    "api") and posted transactions (source "message" with no issuing user; an uploaded file's
    are issued by the staff member who uploaded it)."""
    by_key = or_(Invitation.source == "api",
                 and_(Invitation.source == "message", Invitation.issued_by.is_(None)))
    return session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.point_id == point_id, by_key, Invitation.issued_at > now - RATE_WINDOW))


def of_point(session: Session, point_id: int) -> list[InvitationApiKey]:
    """Return a point's keys, newest first."""
    return list(session.scalars(select(InvitationApiKey)
                                .where(InvitationApiKey.point_id == point_id)
                                .order_by(InvitationApiKey.id.desc())))


def key_of_point(session: Session, point_id: int, key_id: int) -> InvitationApiKey | None:
    """Return one key of a point, or None."""
    return session.scalars(select(InvitationApiKey).where(
        InvitationApiKey.point_id == point_id, InvitationApiKey.id == key_id)).first()
