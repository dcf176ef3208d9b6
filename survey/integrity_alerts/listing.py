"""What the integrity alerts page reads: the alerts of a scope, their counts per unit and
month beside the unit's SPAK answers (n), and the open count of a badge.

A respondent is counted once per unit and month however many aspects they raised; excluded
answers' alerts are listed, marked, and counted apart from the rest.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, and_, distinct, func, select
from sqlalchemy.orm import Session

from analysis.instruments import percent
from analysis.integrity_alerts import ALERT_ASPECTS
from survey.models import (IntegrityAlert as Alert, Response, RollupInstrument, ServiceUnit,
                           User)
from survey import periods
from survey.admin.listings import Page, paginate
from survey.periods import Period
from survey.queries import scope_filter
from survey.rollups import start_expression
from survey.scopes import Scope

PER_PAGE = 50  # alerts a page lists, newest first


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    aspect: str | None = None
    period: Period | None = None


@dataclass(frozen=True)
class AlertRow:
    id: int
    slug: str
    unit: str
    aspect: str
    answer: int
    scale_max: int
    submitted_on: date
    status: str
    excluded: bool
    handled_by: str | None
    handled_at: datetime | None
    note: str | None


@dataclass(frozen=True)
class UnitMonth:
    """A unit's alerts in one month, and the SPAK answers they rest on."""

    slug: str
    unit: str
    month: date
    month_name: str  # 'Maret 2026'
    spak_n: int  # counted SPAK answers of the month (rollup_instrument)
    respondents: int  # counted answers that raised at least one alert
    by_aspect: dict[str, int]
    open: int
    excluded: int  # excluded answers that raised alerts (not in respondents)
    share: Decimal | None = None  # respondents / spak_n in %, None without SPAK answers


def _where(scope: Scope, filters: Filters) -> list:
    clauses = [Alert.unit_id.in_(select(ServiceUnit.id).where(scope_filter(scope)))]
    if filters.status:
        clauses.append(Alert.status == filters.status)
    if filters.aspect:
        clauses.append(Alert.aspect == filters.aspect)
    if filters.period:
        clauses.append(Alert.submitted_on.between(filters.period.starts_on,
                                                  filters.period.ends_on))
    return clauses


def _rows(scope: Scope, filters: Filters) -> Select:
    """Return the SELECT of a scope's alerts under the filters, newest first."""
    return (select(Alert.id, ServiceUnit.slug, ServiceUnit.name, Alert.aspect, Alert.answer,
                   Alert.scale_max, Alert.submitted_on, Alert.status, Response.excluded,
                   User.name, Alert.handled_at, Alert.note)
            .join(ServiceUnit, ServiceUnit.id == Alert.unit_id)
            .join(Response, Response.id == Alert.response_id)
            .outerjoin(User, User.id == Alert.handled_by)
            .where(*_where(scope, filters)).order_by(Alert.submitted_on.desc(), Alert.id.desc()))


def alerts(session: Session, scope: Scope, filters: Filters, number: int = 1) -> Page:
    """Return page `number` (PER_PAGE rows, clamped to the pages there are, as every listing)
    of a scope's alerts under the filters, newest first; `first` is its first row's place."""
    page = paginate(session, _rows(scope, filters), number, AlertRow, PER_PAGE)
    return replace(page, first=(page.number - 1) * PER_PAGE + 1)


def last_place(page: Page) -> int:
    """Return the place of a page's last row in the whole list (0 for an empty list)."""
    return page.first + len(page.rows) - 1 if page.rows else 0


def all_alerts(session: Session, scope: Scope, filters: Filters) -> Iterator[AlertRow]:
    """Yield every alert of a scope under the filters, newest first (for a download)."""
    for row in session.execute(_rows(scope, filters).execution_options(yield_per=500)):
        yield AlertRow(*row)


def open_count(session: Session, scope: Scope) -> int:
    """Return how many alerts of a scope are open."""
    return session.scalar(select(func.count()).select_from(Alert).where(
        *_where(scope, Filters(status="open"))))


def unit_months(session: Session, scope: Scope, filters: Filters) -> list[UnitMonth]:
    """Return each unit's alerts per month (newest first), with the month's SPAK n."""
    month = start_expression(session.get_bind().dialect.name, 1)
    counted = Response.excluded.is_(False)
    respondent = func.count(distinct(Alert.response_id))
    rows = session.execute(
        select(Alert.unit_id, ServiceUnit.slug, ServiceUnit.name, month.label("month"),
               respondent.filter(counted),
               *(func.count().filter(and_(counted, Alert.aspect == aspect))
                 for aspect in ALERT_ASPECTS),
               func.count().filter(Alert.status == "open"),
               respondent.filter(~counted))
        .join(ServiceUnit, ServiceUnit.id == Alert.unit_id)
        .join(Response, Response.id == Alert.response_id)
        .where(*_where(scope, filters))
        .group_by(Alert.unit_id, ServiceUnit.slug, ServiceUnit.name, month)).all()
    n = _spak_n(session, {row[0] for row in rows}, filters.period)
    result = []
    for unit_id, slug, name, start, respondents, *counts in rows:
        start = start if isinstance(start, date) else date.fromisoformat(start)
        spak_n = n.get((unit_id, start), 0)
        result.append(UnitMonth(
            slug, name, start, periods.parse(f"{start:%Y-%m}").name, spak_n, respondents,
            dict(zip(ALERT_ASPECTS, counts[:3])), counts[3], counts[4],
            percent(respondents, spak_n) if spak_n else None))
    return sorted(result, key=lambda row: (-row.month.toordinal(), row.unit))


def _spak_n(session: Session, unit_ids: set[int], period: Period | None) -> dict:
    """Return {(unit_id, month start): counted SPAK answers} from the month rollups."""
    if not unit_ids:
        return {}
    where = [RollupInstrument.unit_id.in_(unit_ids), RollupInstrument.months == 1,
             RollupInstrument.instrument == "spak"]
    if period:
        where.append(RollupInstrument.starts_on.between(period.starts_on.replace(day=1),
                                                        period.ends_on))
    rows = session.execute(
        select(RollupInstrument.unit_id, RollupInstrument.starts_on,
               func.sum(RollupInstrument.n))
        .where(*where).group_by(RollupInstrument.unit_id, RollupInstrument.starts_on))
    return {(unit_id, start): int(total) for unit_id, start, total in rows}
