"""Invitations issued, opened and answered in a scope and period, per service point, unit or
any group above (an aggregate of `queries`' kind, kept apart as queries.py is full).

An invitation belongs to the period that holds its issue date in the unit's time zone
(`issued_on`), whenever it was answered: a rate compares like with like, the codes handed out
in a period and what became of them.
"""

from dataclasses import dataclass

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.orm import Session

from analysis.invitation_rates import ResponseRates, response_rates
from survey import queries
from survey.models import Invitation, ServicePoint, ServiceUnit
from survey.periods import Period
from survey.scopes import Scope

GROUPINGS = ("point", "unit", "agency", "regency", "province", "none")
NONE = response_rates(0, 0, 0)  # a group that issued no invitation: no rate


@dataclass(frozen=True)
class GroupRates:
    key: str  # a point's id, a unit's slug, an agency's id, a region's code; "all" for none
    name: str
    unit: str | None  # the point's unit (slug) when grouped by point
    rates: ResponseRates


def _counts_query(scope: Scope, period: Period, group_by: str):
    issued = func.count()
    opened = func.count(func.coalesce(Invitation.opened_at, Invitation.answered_at))
    answered = func.count(Invitation.answered_at)
    query = (select().select_from(Invitation)
             .join(ServiceUnit, ServiceUnit.id == Invitation.unit_id)
             .where(queries.scope_filter(scope),
                    Invitation.issued_on.between(period.starts_on, period.ends_on)))
    if group_by == "point":
        query = query.join(ServicePoint, ServicePoint.id == Invitation.point_id)
        key, name, unit = cast(ServicePoint.id, String), ServicePoint.name, ServiceUnit.slug
        grouped = (key, name, unit)
    else:
        query, key, name = queries.join_group(query, group_by)
        unit = literal(None, String)
        grouped = () if group_by == "none" else (key, name)  # no GROUP BY of constants
    return query.add_columns(key, name, unit, issued, opened, answered).group_by(*grouped)


def group_rates(session: Session, scope: Scope, period: Period,
                group_by: str = "unit") -> dict[str, GroupRates]:
    """Return the invitations issued, opened and answered of each group of a scope issued in a
    period, by group key; groups that issued none are left out (they have no rate)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by {group_by!r} is not one of {GROUPINGS}")
    rows = session.execute(_counts_query(scope, period, group_by))
    return {key: GroupRates(key, name, unit,
                            response_rates(int(issued), int(opened), int(answered)))
            for key, name, unit, issued, opened, answered in rows if issued}


def scope_rates(session: Session, scope: Scope, period: Period) -> ResponseRates:
    """Return the invitations of a whole scope issued in a period (no rate without any)."""
    found = group_rates(session, scope, period, "none")
    return found["all"].rates if found else NONE


def unit_rates(session: Session, unit: ServiceUnit,
               period: Period) -> tuple[ResponseRates, tuple[GroupRates, ...]]:
    """Return a unit's invitations issued in a period, and those of each of its service points
    that issued any, by point name (one statement: the unit's are the sum of its points')."""
    points = sorted(group_rates(session, Scope("unit", unit.slug), period, "point").values(),
                    key=lambda group: (group.name, group.key))
    issued, opened, answered = (sum(getattr(p.rates, name) for p in points)
                                for name in ("issued", "opened", "answered"))
    return response_rates(issued, opened, answered), tuple(points)
