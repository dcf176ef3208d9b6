"""Follow-up plans (rencana tindak lanjut, PermenPANRB 14/2017): a unit's actions for the
weakest elements of a period's result, and the change each action's element shows next period.

`plan(session, unit, planned_in, measured_in)` is what the dashboard, the public page and the
unit report print: the actions recorded for a period, each with its element's NRR before and
after and Welch's test of the change (analysis.stats.compare_answers, from the rollups).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import BY_CODE
from survey import audit, indices, periods
from survey.figures import ElementChange, ElementFigure
from survey.inbox import counts
from survey.models import FollowUp, ServiceUnit
from survey.periods import Period
from survey.scopes import Scope

FIELDS = ("element_code", "action", "owner", "due", "status", "evidence", "published")
PROPOSED = 3  # elements and tags the plan page proposes
DUE_MONTHS = 3  # a new action is given at least this long from today


def default_due(period: Period, today: date) -> date:
    """Return a new action's proposed due date: the end of the semester after the period's
    (the next result shows whether the action worked), or 3 months from today for a period
    long past, whichever is later; never a day already past."""
    after = periods.current_semester(period.ends_on + timedelta(days=1)).ends_on
    month = today.month - 1 + DUE_MONTHS
    year, month = today.year + month // 12, month % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return max(after, date(year, month, min(today.day, last_day)))


@dataclass(frozen=True)
class Action:
    id: int
    element_code: str
    element: str  # the element's name in the page's language
    action: str
    owner: str
    due: date
    status: str
    evidence: str | None
    published: bool
    overdue: bool
    change: ElementChange | None  # from the planned period to the measured one


@dataclass(frozen=True)
class Plan:
    planned_in: Period
    measured_in: Period | None  # the period after, where the change is measured
    actions: tuple[Action, ...]


def _rows(session: Session, unit: ServiceUnit, label: str, published_only: bool) -> list[FollowUp]:
    query = (select(FollowUp).where(FollowUp.unit_id == unit.id, FollowUp.period_label == label)
             .order_by(FollowUp.element_code, FollowUp.due, FollowUp.id))
    if published_only:
        query = query.where(FollowUp.published.is_(True))
    return list(session.scalars(query))


def plan(session: Session, unit: ServiceUnit, planned_in: Period,
         measured_in: Period | None = None, locale: str = "id", published_only: bool = False,
         today: date | None = None) -> Plan:
    """Return a unit's actions for a period's result, each with its element's change.

    The change is measured in `measured_in` (default: the next period of the same kind, e.g.
    2026-S1 after 2025-S2); it is None without two answers or more in both periods.
    """
    measured_in = measured_in or periods.shifted(planned_in, 1)
    rows = _rows(session, unit, planned_in.label, published_only)
    changes = (indices.element_changes(session, unit, planned_in, measured_in)
               if rows and measured_in else {})
    today = today or date.today()
    return Plan(planned_in, measured_in, tuple(
        Action(row.id, row.element_code, BY_CODE[row.element_code].name(locale), row.action,
               row.owner, row.due, row.status, row.evidence, row.published,
               row.due < today and row.status in counts.OPEN, changes.get(row.element_code))
        for row in rows))


def previous_plan(session: Session, unit: ServiceUnit, period: Period, locale: str = "id",
                  published_only: bool = False) -> Plan | None:
    """Return the plan made for the period before `period`, measured in `period` (the next
    period's report and dashboard show it); None for a custom range."""
    before = periods.shifted(period, -1)
    if before is None:
        return None
    return plan(session, unit, before, period, locale, published_only)


@dataclass(frozen=True)
class Proposal:
    weakest: tuple[ElementFigure, ...]
    tags: tuple[counts.TagCount, ...]  # confirmed complaint tags, most frequent first


def proposal(session: Session, unit: ServiceUnit, period: Period) -> Proposal:
    """Return what a plan should address: the weakest elements and most frequent complaints."""
    index = indices.unit_index(session, unit, period)
    weakest = sorted(index.figures.elements, key=lambda element: (element.nrr, element.code))
    tags = counts.tag_counts(session, Scope("unit", unit.slug), period)
    return Proposal(tuple(weakest[:PROPOSED]), tuple(tags[:PROPOSED]))


def _audit(session: Session, action: str, row: FollowUp, detail: dict) -> None:
    audit.record(session, action, f"follow_up:{row.id}", unit_id=row.unit_id,
                 detail={"period": row.period_label, **detail})


def add(session: Session, unit: ServiceUnit, period: Period, values: dict) -> FollowUp:
    """Record a new action of a unit's plan for a period and audit it."""
    row = FollowUp(unit_id=unit.id, period_label=period.label,
                   **{name: values[name] for name in FIELDS})
    session.add(row)
    session.flush()
    _audit(session, "follow_up_added", row, {name: str(values[name]) for name in FIELDS})
    return row


def update(session: Session, unit: ServiceUnit, action_id: int, values: dict) -> FollowUp | None:
    """Change an action of the unit's plan and audit what changed; None if not the unit's."""
    row = session.scalars(select(FollowUp).where(FollowUp.id == action_id,
                                                 FollowUp.unit_id == unit.id)).first()
    if row is None:
        return None
    changed = {name: [str(getattr(row, name)), str(values[name])] for name in FIELDS
               if getattr(row, name) != values[name]}
    for name in FIELDS:
        setattr(row, name, values[name])
    if changed:
        _audit(session, "follow_up_changed", row, changed)
    return row
