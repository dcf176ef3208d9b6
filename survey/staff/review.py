"""A person's decision on a flagged response: keep it, exclude it from the index, or restore it."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import audit, rollups
from survey.models import Response, ServiceUnit, User, utcnow

DECISIONS = {"exclude": True, "restore": False, "keep": False}


def decide(session: Session, unit: ServiceUnit, response_id: int, decision: str,
           user: User) -> Response | None:
    """Apply a decision to one of the unit's responses and audit it; None if not the unit's."""
    response = session.scalars(select(Response).where(
        Response.id == response_id, Response.unit_id == unit.id)).first()
    if response is None or decision not in DECISIONS:
        return None
    before = response.excluded
    response.excluded = DECISIONS[decision]
    if response.excluded != before:
        change = rollups.remove_rows if response.excluded else rollups.add_rows
        change(session, [rollups.as_row(response)])
    response.reviewed_at, response.reviewed_by = utcnow(), user.id
    audit.record(session, f"response_{decision}", f"response:{response.id}", unit_id=unit.id,
                 detail={"excluded": [before, response.excluded],
                         "flag_reason": response.flag_reason})
    return response
