"""What the unit's public results page shows of its follow-up: the published plan actions with
their element's change, and the public answers to citizens' suggestions (redacted)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.redaction import redact
from survey.inbox import followups
from survey.inbox.listing import confirmed_tags
from survey.models import Case, Response, ServiceUnit
from survey.periods import Period

ANSWERS_SHOWN = 10


@dataclass(frozen=True)
class PublicAnswer:
    at: datetime
    suggestion: str | None  # as a staff member approved it, contacts hidden; None: not shown
    answer: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class PublicFollowUp:
    plans: tuple[followups.Plan, ...]  # the period's plan, then the previous one's, if published
    answers: tuple[PublicAnswer, ...]

    @property
    def empty(self) -> bool:
        return not self.plans and not self.answers


def public_answers(session: Session, unit: ServiceUnit,
                   limit: int = ANSWERS_SHOWN) -> tuple[PublicAnswer, ...]:
    """Return the unit's latest public answers with the suggestions they answer."""
    rows = session.execute(
        select(Response.id, Case.public_answer_at, Case.public_suggestion, Case.public_answer)
        .join(Case, Case.response_id == Response.id)
        .where(Response.unit_id == unit.id, Case.public_answer.is_not(None),
               Response.excluded.is_(False))
        .order_by(Case.public_answer_at.desc(), Response.id.desc()).limit(limit)).all()
    tags = confirmed_tags(session, [row[0] for row in rows])
    # Redacted again: a text approved under an older, weaker redaction is hidden better now.
    return tuple(PublicAnswer(at, redact(text) if text else None, answer, tags.get(id_, ()))
                 for id_, at, text, answer in rows)


def for_unit(session: Session, unit: ServiceUnit, period: Period,
             locale: str = "id") -> PublicFollowUp:
    """Return the published follow-up of a unit for the period its public page shows."""
    plans = [followups.plan(session, unit, period, locale=locale, published_only=True),
             followups.previous_plan(session, unit, period, locale, published_only=True)]
    return PublicFollowUp(tuple(p for p in plans if p and p.actions), public_answers(session, unit))
