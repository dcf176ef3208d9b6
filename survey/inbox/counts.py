"""The aggregate SELECTs of the inbox and the follow-up plans, for any scope: complaint tags,
units with a published plan, overdue actions. Each is one GROUP BY, by region or over all.

`by` is "none", "province" or "regency"; rows carry the region code ("all" for none).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import distinct, func, literal, select
from sqlalchemy.orm import Session

from survey.models import CaseTag, FollowUp, Region, Response, ServiceUnit
from survey.periods import Period
from survey.queries import scope_filter
from survey.scopes import Scope

BY = ("none", "province", "regency")
OPEN = ("planned", "in_progress")


def _region(by: str):
    if by not in BY:
        raise ValueError(f"by {by!r} is not one of {BY}")
    if by == "province":
        return func.substr(ServiceUnit.region_code, 1, 2)
    return ServiceUnit.region_code if by == "regency" else literal("all")


@dataclass(frozen=True)
class TagCount:
    region: str
    code: str
    count: int


def tag_counts(session: Session, scope: Scope, period: Period, by: str = "none") -> list[TagCount]:
    """Count confirmed complaint tags of a period's responses, most frequent first per region."""
    region = _region(by)
    count = func.count().label("n")
    rows = session.execute(
        select(region, CaseTag.element_code, count).select_from(CaseTag)
        .join(Response, Response.id == CaseTag.response_id)
        .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
        .where(scope_filter(scope), Response.excluded.is_(False),
               Response.submitted_on.between(period.starts_on, period.ends_on))
        .group_by(region, CaseTag.element_code)
        .order_by(region, count.desc(), CaseTag.element_code))
    return [TagCount(str(key), code, n) for key, code, n in rows]


def units_with_plan(session: Session, scope: Scope, period: Period,
                    by: str = "none") -> dict[str, tuple[int, int]]:
    """Return (active units, units with a published plan for the period) per region."""
    region = _region(by)
    active = (scope_filter(scope), ServiceUnit.status == "active")
    units = dict(session.execute(select(region, func.count(ServiceUnit.id))
                                 .where(*active).group_by(region)).all())
    planned = dict(session.execute(
        select(region, func.count(distinct(ServiceUnit.id)))
        .join(FollowUp, FollowUp.unit_id == ServiceUnit.id)
        .where(*active, FollowUp.period_label == period.label, FollowUp.published.is_(True))
        .group_by(region)).all())
    return {str(key): (n, planned.get(key, 0)) for key, n in units.items()}


@dataclass(frozen=True)
class OverdueAction:
    unit_slug: str
    unit_name: str
    region: str
    period_label: str
    element_code: str
    action: str
    owner: str
    due: date
    status: str


def overdue_counts(session: Session, scope: Scope, today: date, by: str = "none") -> dict[str, int]:
    """Count open actions past their due date, per region."""
    region = _region(by)
    return {str(key): n for key, n in session.execute(
        select(region, func.count()).select_from(FollowUp)
        .join(ServiceUnit, ServiceUnit.id == FollowUp.unit_id)
        .where(scope_filter(scope), FollowUp.due < today, FollowUp.status.in_(OPEN))
        .group_by(region))}


def overdue_actions(session: Session, scope: Scope, today: date, by: str = "none",
                    limit: int = 50) -> list[OverdueAction]:
    """Return the open actions past their due date, the longest overdue first."""
    rows = session.execute(
        select(ServiceUnit.slug, ServiceUnit.name, _region(by), FollowUp.period_label,
               FollowUp.element_code, FollowUp.action, FollowUp.owner, FollowUp.due,
               FollowUp.status)
        .join(ServiceUnit, ServiceUnit.id == FollowUp.unit_id)
        .where(scope_filter(scope), FollowUp.due < today, FollowUp.status.in_(OPEN))
        .order_by(FollowUp.due, ServiceUnit.name, FollowUp.id).limit(limit))
    return [OverdueAction(*row) for row in rows]


def region_names(session: Session, codes) -> dict[str, str]:
    """Return the names of regions by code."""
    return dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())
