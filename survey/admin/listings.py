"""The SELECTs of the administration pages: scoped, searchable, paged lists and form choices."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from wtforms import SelectChoice

from survey.models import (Agency, AuditEvent, Period, Questionnaire, Region, Response,
                           ServicePoint, ServiceUnit, UnitPopulation, User)
from survey.periods import UnknownPeriod, resolve
from survey.queries import scope_filter
from survey.scopes import Scope

PER_PAGE = 25


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number (from 1) and how many there are."""

    rows: list
    number: int
    pages: int
    total: int
    first: int = 1  # position of the first row in the whole list

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _as_tuple(*columns) -> tuple:
    return columns


def paginate(session: Session, query: Select, number: int, make: Callable = _as_tuple,
             per_page: int = PER_PAGE) -> Page:
    """Return page `number` of a query (clamped to the pages there are), rows made by `make`
    from a row's columns (a tuple of them by default)."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    number = min(max(1, number), pages)
    rows = session.execute(query.limit(per_page).offset((number - 1) * per_page))
    return Page([make(*row) for row in rows], number, pages, total)


def page_of(rows: Sequence, number: int, per_page: int = PER_PAGE) -> Page:
    """Return page `number` of a list already computed (clamped to the pages there are)."""
    pages = max(1, math.ceil(len(rows) / per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    return Page(list(rows[start:start + per_page]), number, pages, len(rows), start + 1)


def _contains(column, text: str):
    """Return a case-insensitive 'contains' test that treats % and _ as plain characters."""
    return column.icontains(text, autoescape=True)


@dataclass(frozen=True)
class UnitRow:
    slug: str
    name: str
    agency: str
    region: str
    status: str
    points: int


def units(session: Session, scope: Scope, search: str, number: int) -> Page:
    """Return a page of the units within a scope whose name or slug contains `search`."""
    points = (select(ServicePoint.unit_id, func.count().label("n"))
              .where(ServicePoint.active.is_(True)).group_by(ServicePoint.unit_id).subquery())
    query = (select(ServiceUnit.slug, ServiceUnit.name, Agency.name, Region.name,
                    ServiceUnit.status, func.coalesce(points.c.n, 0))
             .join(Agency, Agency.id == ServiceUnit.agency_id)
             .join(Region, Region.code == ServiceUnit.region_code)
             .outerjoin(points, points.c.unit_id == ServiceUnit.id)
             .where(scope_filter(scope))
             .order_by(ServiceUnit.name, ServiceUnit.id))
    if search:
        query = query.where(or_(_contains(ServiceUnit.name, search),
                                _contains(ServiceUnit.slug, search)))
    return paginate(session, query, number, UnitRow)


def agency_labels(session: Session) -> dict[int, str]:
    """Return every agency's name with its ancestors ('Kementerian X › Dinas Y'), by id."""
    rows = session.execute(select(Agency.id, Agency.name, Agency.path)).all()
    names = {agency_id: name for agency_id, name, _ in rows}
    return {agency_id: " › ".join(names[int(part)] for part in path.strip("/").split("/")
                                  if part and int(part) in names) or name
            for agency_id, name, path in rows}


def usable_agencies(session: Session, scope: Scope) -> list[int]:
    """Return the agencies a scope may put units under: its subtree, or its region's agencies."""
    if scope.kind == "national":
        return list(session.scalars(select(Agency.id)))
    if scope.kind == "agency":
        root = select(Agency.path).where(Agency.id == int(scope.value)).scalar_subquery()
        return list(session.scalars(select(Agency.id).where(Agency.path.startswith(root))))
    if scope.kind == "region":
        return list(session.scalars(select(ServiceUnit.agency_id).distinct()
                                    .where(scope_filter(scope))))
    return []


def agency_choices(session: Session, agency_ids: list[int], blank: bool = False
                   ) -> list[SelectChoice]:
    """Return select options for agencies, by their full names."""
    labels = agency_labels(session)
    options = sorted((SelectChoice(str(i), labels[i]) for i in agency_ids if i in labels),
                     key=lambda choice: choice.label)
    return ([SelectChoice("", "—")] if blank else []) + options


def region_choices(session: Session, scope: Scope, blank: bool = False) -> list[SelectChoice]:
    """Return select options for regions, grouped by province: a region scope's subtree, else all.

    An agency's units may lie anywhere in the country; a region analyst's only in their region.
    """
    query = select(Region.code, Region.name).order_by(Region.code)
    if scope.kind == "region":
        query = query.where(or_(Region.code == scope.value,
                                Region.code.startswith(f"{scope.value}.")))
    rows = session.execute(query).all()
    provinces = dict(session.execute(select(Region.code, Region.name).where(
        Region.code.in_({code[:2] for code, _ in rows}))).all())
    options = [SelectChoice(code, f"{code} {name}", optgroup=provinces.get(code[:2], code[:2]))
               for code, name in rows]
    return ([SelectChoice("", "—")] if blank else []) + options


def point_names(session: Session, unit_id: int) -> set[str]:
    """Return the names of a unit's service points."""
    return set(session.scalars(select(ServicePoint.name).where(ServicePoint.unit_id == unit_id)))


def point_of(session: Session, unit_id: int, point_id: int) -> ServicePoint | None:
    """Return a unit's service point by id; None if it is not that unit's."""
    return session.scalars(select(ServicePoint).where(
        ServicePoint.id == point_id, ServicePoint.unit_id == unit_id)).first()


@dataclass(frozen=True)
class PopulationRow:
    label: str
    name: str
    population: int


def populations(session: Session, unit_id: int) -> list[PopulationRow]:
    """Return a unit's recorded populations, newest period label first, with period names."""
    rows = session.execute(select(UnitPopulation.period_label, UnitPopulation.population)
                           .where(UnitPopulation.unit_id == unit_id)
                           .order_by(UnitPopulation.period_label.desc())).all()
    return [PopulationRow(label, _period_name(session, label, unit_id), population)
            for label, population in rows]


def _period_name(session: Session, label: str, unit_id: int) -> str:
    try:
        return resolve(session, label, unit_id).name
    except UnknownPeriod:
        return "(periode tidak lagi dikenal)"


def custom_periods(session: Session, unit_id: int) -> list[Period]:
    """Return the named custom periods a unit may use (its own first), newest first."""
    return list(session.scalars(select(Period).where(
        or_(Period.unit_id == unit_id, Period.unit_id.is_(None)))
        .order_by(Period.unit_id.is_(None), Period.starts_on.desc())))


def unit_period(session: Session, unit_id: int, label: str) -> Period | None:
    """Return a unit's own custom period by label."""
    return session.scalars(select(Period).where(Period.unit_id == unit_id,
                                                Period.label == label)).first()


def responses_per_questionnaire(session: Session, unit_id: int) -> dict[int, int]:
    """Return how many of a unit's responses each questionnaire version collected."""
    return dict(session.execute(select(Response.questionnaire_id, func.count())
                                .where(Response.unit_id == unit_id)
                                .group_by(Response.questionnaire_id)).all())


def unit_questionnaires(session: Session, unit_id: int) -> list[Questionnaire]:
    """Return a unit's own questionnaire versions, newest first."""
    return list(session.scalars(select(Questionnaire).where(Questionnaire.unit_id == unit_id)
                                .order_by(Questionnaire.version.desc(), Questionnaire.id.desc())))


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    role: str
    scope: str
    active: bool


def users(session: Session, search: str, number: int) -> Page:
    """Return a page of the accounts whose e-mail or name contains `search`."""
    query = (select(User.id, User.email, User.name, User.role,
                    func.coalesce(Agency.name, ServiceUnit.name, Region.name, "Nasional"),
                    User.active)
             .outerjoin(Agency, Agency.id == User.agency_id)
             .outerjoin(ServiceUnit, ServiceUnit.id == User.unit_id)
             .outerjoin(Region, Region.code == User.region_code)
             .order_by(User.email))
    if search:
        query = query.where(or_(_contains(User.email, search), _contains(User.name, search)))
    return paginate(session, query, number, UserRow)


def user_by_email(session: Session, email: str) -> User | None:
    """Return the account with an e-mail address (stored in lower case)."""
    return session.scalars(select(User).where(User.email == email.strip().lower())).first()


def user_by_id(session: Session, user_id: int) -> User | None:
    """Return an account by id."""
    return session.get(User, user_id)


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    unit_slug: str | None = None


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    email: str | None
    action: str
    target: str | None
    unit: str | None
    detail: dict | None
    ip: str | None
    region_code: str | None  # the unit's, for its time zone; None for events without a unit

    @property
    def lines(self) -> list[str]:
        """Return what the event records, one 'field: old → new' or 'field: value' a line."""
        return list(_describe(self.detail or {}))


def _describe(detail: dict, prefix: str = ""):
    for key, value in detail.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _describe(value, f"{name}.")
        elif isinstance(value, list) and len(value) == 2:
            # Changes are stored as [old, new].
            yield f"{name}: {_shown(value[0])} → {_shown(value[1])}"
        else:
            yield f"{name}: {_shown(value)}"


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, list):
        return ", ".join(map(_shown, value))
    return str(value)


def _visible_events(scope: Scope, user_id: int):
    """Return the WHERE clause of the events a user may read: their units' and their own."""
    if scope.kind == "national":
        return None
    units = select(ServiceUnit.id).where(scope_filter(scope))
    return or_(AuditEvent.unit_id.in_(units), AuditEvent.user_id == user_id)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), timezone.utc)


def audit_events(session: Session, scope: Scope, user_id: int, chosen: AuditFilter,
                 number: int) -> Page:
    """Return a page of the audit events a user may read, newest first, filtered."""
    query = (select(AuditEvent.at, AuditEvent.email, AuditEvent.action, AuditEvent.target,
                    ServiceUnit.name, AuditEvent.detail, AuditEvent.ip, ServiceUnit.region_code)
             .outerjoin(ServiceUnit, ServiceUnit.id == AuditEvent.unit_id)
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    visible = _visible_events(scope, user_id)
    conditions = [visible] if visible is not None else []
    if chosen.action:
        conditions.append(AuditEvent.action == chosen.action)
    if chosen.since:
        conditions.append(AuditEvent.at >= _day_start(chosen.since))
    if chosen.until:
        conditions.append(AuditEvent.at < _day_start(chosen.until + timedelta(days=1)))
    if chosen.unit_slug:
        conditions.append(ServiceUnit.slug == chosen.unit_slug)
    return paginate(session, query.where(*conditions), number, AuditRow, per_page=50)


def audit_actions(session: Session, scope: Scope, user_id: int) -> list[str]:
    """Return the actions that occur among the events a user may read."""
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    visible = _visible_events(scope, user_id)
    return list(session.scalars(query if visible is None else query.where(visible)))
