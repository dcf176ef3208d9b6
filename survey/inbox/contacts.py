"""A citizen's optional contact: stored apart from the answers, read only by the unit, deleted
when the case closes or when its retention time runs out (UU PDP 27/2022)."""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, literal, select
from sqlalchemy.orm import Session

from survey.models import Response, ResponseContact, UTCDateTime, utcnow

CONTACT_MAX = 200


def attach(session: Session, client_uuid: uuid.UUID, contact: str | None) -> None:
    """Store the contact of the response just inserted with this client_uuid (if any given)."""
    if not contact:
        return
    found = select(Response.id, literal(contact[:CONTACT_MAX]), literal(utcnow(), UTCDateTime))
    session.execute(insert(ResponseContact).from_select(
        ["response_id", "contact", "created_at"],
        found.where(Response.client_uuid == client_uuid)))


def of(session: Session, response_id: int) -> str | None:
    """Return the contact left with a response, if it is still kept."""
    return session.scalar(select(ResponseContact.contact)
                          .where(ResponseContact.response_id == response_id))


def forget(session: Session, response_id: int) -> bool:
    """Delete the contact of a response; tell whether there was one."""
    result = session.execute(delete(ResponseContact)
                             .where(ResponseContact.response_id == response_id))
    return result.rowcount > 0


def purge(session: Session, days: int, now: datetime | None = None) -> int:
    """Delete every contact kept longer than `days`; return how many."""
    if days < 0:
        raise ValueError(f"days must be >= 0, got {days}")
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = session.execute(delete(ResponseContact)
                             .where(ResponseContact.created_at < cutoff))
    return result.rowcount
