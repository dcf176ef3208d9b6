"""The index of a unit, a scope or a trend: queries for the sums, figures for the numbers.

Dashboards, the API and reports all call these, so every published figure has one origin.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from analysis import stats
from survey import figures, periods, queries, samples
from survey.entry_dates import EARLIEST
from survey.models import ServiceUnit
from survey.periods import Period
from survey.regions import WIT
from survey.scopes import NATIONAL, Scope


@dataclass(frozen=True)
class UnitIndex:
    unit: ServiceUnit
    period: Period
    figures: figures.Figures
    population: int | None
    adequacy: stats.Adequacy | None


def latest_local_day() -> date:
    """Return today in Jayapura (WIT, UTC+9): no unit anywhere in Indonesia is past it."""
    return datetime.now(WIT).date()


def answer_dates(session: Session, scope: Scope,
                 today: date | None = None) -> tuple[date, date] | None:
    """Return the first and last answer dates of a scope that a page may show: from 2000 up to
    today. A wrongly dated answer already stored (9999-12-31, 0001-01-01) moves no default
    period and no trend (DESIGN.md §7a)."""
    return queries.response_dates(session, scope, EARLIEST, today or latest_local_day())


def default_period(session: Session, scope: Scope = NATIONAL, today: date | None = None) -> Period:
    """Return the period every view shows by default: the latest adequate one (the current
    semester once it has the minimum sample, else the last closed semester with answers;
    survey/samples.py), never one after today."""
    today = today or latest_local_day()
    return samples.latest_adequate_period(session, scope, answer_dates(session, scope, today),
                                          today)


def requested_period(session: Session, scope: Scope, label: str | None,
                     unit_id: int | None = None) -> Period:
    """Return the period a label names, or without one the scope's latest adequate period.

    Raises periods.UnknownPeriod for a label that names no standard or custom period.
    """
    if not label:
        return default_period(session, scope)
    return periods.resolve(session, label, unit_id)


def unit_index(session: Session, unit: ServiceUnit, period: Period,
               convention: str = "exact") -> UnitIndex:
    """Return a unit's figures for a period, with its sample adequacy when the population is known."""
    rows = queries.aggregate(session, Scope("unit", unit.slug), [period])
    sums = rows[0].sums if rows else queries.Sums.empty()
    result = figures.pooled(unit.slug, unit.name, sums, convention)
    population = queries.population(session, unit.id, period.label)
    adequacy = stats.sample_adequacy(sums.n, population) if sums.n else None
    return UnitIndex(unit, period, result, population, adequacy)


def invited_figures(session: Session, unit: ServiceUnit, period: Period,
                    convention: str = "exact") -> figures.Figures:
    """Return a unit's figures for a period over its invited answers only (a single-use code
    or link), with the same small-sample rules as every figure."""
    sums = queries.channel_sums(session, Scope("unit", unit.slug), period).invited
    return figures.pooled(unit.slug, unit.name, sums, convention)


def scope_ranking(session: Session, scope: Scope, period: Period, group_by: str = "unit",
                  method: str = "pooled", convention: str = "exact") -> figures.Ranking:
    """Return the index of each group of a scope, best first (no element figures)."""
    rows = queries.index_totals(session, scope, period, group_by,
                                by_unit=method == "mean_of_units")
    return figures.ranking(rows, method, convention)


def invited_ranking(session: Session, scope: Scope, period: Period, group_by: str = "unit",
                    method: str = "pooled", convention: str = "exact") -> figures.Ranking:
    """Return the index of invited answers (a single-use code or link) of each group of a scope
    that has any, best first: `scope_ranking` over rollup_invited."""
    rows = queries.index_totals(session, scope, period, group_by,
                                by_unit=method == "mean_of_units", source=queries.ROLLUP_INVITED)
    return figures.ranking(rows, method, convention)


def group_figures(session: Session, scope: Scope, period: Period, group_by: str = "unit",
                  method: str = "pooled", convention: str = "exact") -> list[figures.Figures]:
    """Return the figures of each group of a scope with their elements, best first."""
    rows = queries.aggregate(session, scope, [period], group_by, by_unit=True)
    return figures.group_figures(rows, method, convention)


def scope_figures(session: Session, scope: Scope, name: str, period: Period,
                  method: str = "pooled", convention: str = "exact") -> figures.Figures:
    """Return the figures of a whole scope with its elements (empty figures without data)."""
    groups = group_figures(session, scope, period, "none", method, convention)
    return groups[0] if groups else figures.pooled("all", name, queries.Sums.empty(), convention)


def grade_distribution(session: Session, scope: Scope, period: Period) -> dict[str, int]:
    """Return how many units of a scope have each grade, A to D, in a period."""
    return figures.grade_counts(queries.index_totals(session, scope, period, "unit"))


def trend(session: Session, scope: Scope, period_list: list[Period] | None = None,
          method: str = "pooled", convention: str = "exact") -> figures.TrendFigures:
    """Return the index per period (default: every semester with data) and its trend."""
    if period_list is None:
        dates = answer_dates(session, scope)
        period_list = periods.semesters_between(*dates) if dates else []
    if not period_list:
        return figures.trend_of([], [])
    rows = queries.aggregate(session, scope, period_list, "period", by_unit=True)
    by_period = {f.key: f for f in figures.group_figures(rows, method, convention)}
    empty = queries.Sums.empty()
    return figures.trend_of(period_list, [
        by_period.get(p.label) or figures.pooled(p.label, p.name, empty, convention)
        for p in period_list])


def element_changes(session: Session, unit: ServiceUnit, before: Period,
                    after: Period) -> dict[str, figures.ElementChange]:
    """Return each element's change in a unit from one period to another, by element code."""
    rows = queries.aggregate(session, Scope("unit", unit.slug), [before, after], "period")
    sums = {row.key: row.sums for row in rows}
    empty = queries.Sums.empty()
    changes = figures.element_changes(sums.get(before.label, empty), sums.get(after.label, empty))
    return {change.code: change for change in changes}
