"""The listings of the review of answers: a unit's flagged and recent answers with their
proposals, the queue of open proposals of a scope, and what the public page says of exclusions."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session, aliased

from survey.models import (ANSWER_COLUMNS, Agency, ExclusionProposal, Region, Response,
                           ServiceUnit, User)
from survey.periods import Period
from survey.queries import scope_filter
from survey.scopes import Scope

ANSWERS = tuple(getattr(Response, column) for column in ANSWER_COLUMNS)
Proposer, Decider = aliased(User), aliased(User)


@dataclass(frozen=True)
class ProposalState:
    id: int
    action: str
    reason: str
    text: str
    proposer: str
    proposed_at: datetime
    decision: str | None
    decider: str | None
    decision_note: str | None


@dataclass(frozen=True)
class ReviewedAnswer:
    id: int
    submitted_at: datetime
    channel: str
    answers: tuple[int, ...]
    flag_reason: str | None
    flagged_by: str | None  # None: flagged automatically
    excluded: bool
    reviewed: bool
    proposal: ProposalState | None  # the open one, else the latest decided one


def _proposal_states(session: Session, response_ids: list[int]) -> dict[int, ProposalState]:
    """Return the latest proposal of each answer (ids grow with time)."""
    rows = session.execute(
        select(ExclusionProposal.response_id, ExclusionProposal.id, ExclusionProposal.action,
               ExclusionProposal.reason, ExclusionProposal.text, Proposer.name,
               ExclusionProposal.proposed_at, ExclusionProposal.decision, Decider.name,
               ExclusionProposal.decision_note)
        .join(Proposer, Proposer.id == ExclusionProposal.proposed_by)
        .outerjoin(Decider, Decider.id == ExclusionProposal.decided_by)
        .where(ExclusionProposal.response_id.in_(response_ids))
        .order_by(ExclusionProposal.id))
    return {row[0]: ProposalState(*row[1:]) for row in rows}


def flagged_answers(session: Session, unit_id: int, limit: int = 200) -> list[ReviewedAnswer]:
    """Return a unit's flagged answers with their proposals, undecided ones first, newest first."""
    rows = session.execute(
        select(Response.id, Response.submitted_at, Response.channel, *ANSWERS,
               Response.flag_reason, User.name, Response.excluded,
               Response.reviewed_at.is_not(None))
        .outerjoin(User, User.id == Response.flagged_by)
        .where(Response.unit_id == unit_id, Response.flagged.is_(True))
        .order_by(Response.reviewed_at.is_not(None), Response.submitted_at.desc())
        .limit(limit)).all()
    proposals = _proposal_states(session, [row[0] for row in rows])
    return [ReviewedAnswer(row[0], row[1], row[2], tuple(row[3:12]), *row[12:],
                           proposals.get(row[0])) for row in rows]


@dataclass(frozen=True)
class RecentAnswer:
    id: int
    submitted_at: datetime
    channel: str
    answers: tuple[int, ...]


def recent_unflagged(session: Session, unit_id: int, limit: int = 30) -> list[RecentAnswer]:
    """Return a unit's latest unflagged answers, which a person may flag by hand."""
    rows = session.execute(
        select(Response.id, Response.submitted_at, Response.channel, *ANSWERS)
        .where(Response.unit_id == unit_id, Response.flagged.is_(False))
        .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(limit))
    return [RecentAnswer(row[0], row[1], row[2], tuple(row[3:12])) for row in rows]


@dataclass(frozen=True)
class QueuedProposal:
    id: int
    action: str
    reason: str
    text: str
    proposed_by: int
    proposer: str
    proposed_at: datetime
    response_id: int
    submitted_at: datetime
    channel: str
    answers: tuple[int, ...]
    flag_reason: str | None
    unit_slug: str
    unit_name: str
    region_code: str  # the unit's, for its time zone


def _open_in(scope: Scope):
    return (select(ExclusionProposal.id)
            .join(Response, Response.id == ExclusionProposal.response_id)
            .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
            .where(ExclusionProposal.decision.is_(None), scope_filter(scope)))


def open_proposals(session: Session, scope: Scope, limit: int = 200) -> list[QueuedProposal]:
    """Return the open proposals on answers of a scope's units, oldest first."""
    rows = session.execute(
        _open_in(scope).with_only_columns(
            ExclusionProposal.id, ExclusionProposal.action, ExclusionProposal.reason,
            ExclusionProposal.text, ExclusionProposal.proposed_by, Proposer.name,
            ExclusionProposal.proposed_at, Response.id, Response.submitted_at,
            Response.channel, *ANSWERS, Response.flag_reason, ServiceUnit.slug,
            ServiceUnit.name, ServiceUnit.region_code)
        .join(Proposer, Proposer.id == ExclusionProposal.proposed_by)
        .order_by(ExclusionProposal.proposed_at, ExclusionProposal.id).limit(limit))
    return [QueuedProposal(*row[:10], tuple(row[10:19]), *row[19:]) for row in rows]


def open_count(session: Session, scope: Scope) -> int:
    """Return how many proposals on a scope's answers wait for a decision."""
    return session.scalar(select(func.count()).select_from(_open_in(scope).subquery()))


@dataclass(frozen=True)
class ExcludedSummary:
    excluded: int  # answers of the period left out of its index
    approved: int  # of them, those excluded by an approved proposal
    approvers: tuple[str, ...]  # the agencies and regions whose accounts approved


def excluded_summary(session: Session, unit_id: int, period: Period) -> ExcludedSummary:
    """Return how many answers of a unit's period are excluded, and who approved it."""
    in_period = and_(Response.unit_id == unit_id, Response.excluded.is_(True),
                     Response.submitted_on.between(period.starts_on, period.ends_on))
    approved = (select(ExclusionProposal.response_id, ExclusionProposal.decided_by)
                .where(ExclusionProposal.action == "exclude",
                       ExclusionProposal.decision == "approved").subquery())
    excluded, approved_count = session.execute(
        select(func.count(distinct(Response.id)), func.count(distinct(approved.c.response_id)))
        .select_from(Response).outerjoin(approved, approved.c.response_id == Response.id)
        .where(in_period)).one()
    names = session.scalars(
        select(func.coalesce(Agency.name, Region.name, "administrator nasional")).distinct()
        .select_from(Response).join(approved, approved.c.response_id == Response.id)
        .join(User, User.id == approved.c.decided_by)
        .outerjoin(Agency, Agency.id == User.agency_id)
        .outerjoin(Region, Region.code == User.region_code)
        .where(in_period)).all()
    return ExcludedSummary(excluded, approved_count, tuple(sorted(names)))
