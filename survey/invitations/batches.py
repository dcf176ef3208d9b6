"""The sheets of codes issued at a service point: each issue is one batch (same issued_at)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.models import Invitation

SHOWN = 20  # the newest batches a point's page lists


@dataclass(frozen=True)
class Batch:
    """One issue of printed codes: its first invitation names it in addresses."""

    first_id: int
    issued_at: datetime
    expires_at: datetime
    count: int
    opened: int
    answered: int


def of_point(session: Session, point_id: int) -> list[Batch]:
    """Return a point's newest batches of printed codes, with their openings and answers."""
    rows = session.execute(
        select(func.min(Invitation.id), Invitation.issued_at, func.max(Invitation.expires_at),
               func.count(), func.count(Invitation.opened_at), func.count(Invitation.answered_at))
        .where(Invitation.point_id == point_id, Invitation.source == "sheet")
        .group_by(Invitation.issued_at).order_by(Invitation.issued_at.desc()).limit(SHOWN))
    return [Batch(*row) for row in rows]


@dataclass(frozen=True)
class Printable:
    """The codes of a batch still to be answered, and until when they are valid."""

    codes: list[str]
    expires_at: datetime


def printable(session: Session, point_id: int, first_id: int, now: datetime) -> Printable | None:
    """Return the unanswered, unexpired codes of a point's batch; None if none is left."""
    issued_at = (select(Invitation.issued_at)
                 .where(Invitation.id == first_id, Invitation.point_id == point_id,
                        Invitation.source == "sheet").scalar_subquery())
    rows = session.execute(
        select(Invitation.code, Invitation.expires_at)
        .where(Invitation.point_id == point_id, Invitation.source == "sheet",
               Invitation.issued_at == issued_at, Invitation.answered_at.is_(None),
               Invitation.expires_at > now)
        .order_by(Invitation.id)).all()
    return Printable([row.code for row in rows], rows[0].expires_at) if rows else None
