"""What the dashboards show, assembled from `indices`: plain data for templates and charts."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from survey import figures, indices, periods, queries
from survey.indices import UnitIndex
from survey.periods import Period
from survey.scopes import Scope

_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\+?\d[\d .-]{6,}\d")


def redact(text: str) -> str:
    """Hide e-mail addresses and long digit runs (phone numbers, NIK) in a citizen's text."""
    return _CONTACT.sub("[disamarkan]", text)


@dataclass(frozen=True)
class UnitPage:
    index: UnitIndex
    trend: figures.TrendFigures
    weakest: tuple[figures.ElementFigure, ...]
    strongest: tuple[figures.ElementFigure, ...]
    suggestions: tuple[tuple[datetime, str], ...]


def unit_page(session: Session, slug: str, period: Period | None) -> UnitPage | None:
    """Return everything the unit dashboard shows, or None for an unknown unit."""
    unit = queries.unit_by_slug(session, slug)
    if unit is None:
        return None
    scope = Scope("unit", slug)
    index = indices.unit_index(session, unit, period or indices.default_period(session, scope))
    ordered = sorted(index.figures.elements, key=lambda e: e.nrr)
    suggestions = tuple((at, redact(text))
                        for at, text in queries.recent_suggestions(session, unit.id))
    return UnitPage(index, indices.trend(session, scope), tuple(ordered[:3]),
                    tuple(reversed(ordered[-3:])), suggestions)


@dataclass(frozen=True)
class ScopePage:
    scope: Scope
    name: str
    period: Period
    group_by: str
    method: str
    rows: figures.Ranking
    overall: figures.Figures
    grades: dict[str, int]
    heat_rows: tuple[str, ...]
    heat_periods: tuple[str, ...]
    heat: tuple[tuple[float | None, ...], ...]
    trend: figures.TrendFigures


def child_grouping(scope: Scope) -> str:
    """Return the level just below a scope: provinces of the nation, regencies of a province."""
    if scope.kind == "national":
        return "province"
    if scope.kind == "region" and "." not in scope.value:
        return "regency"
    return "unit"


def scope_page(session: Session, scope: Scope, name: str, period: Period, group_by: str,
               method: str, heat_periods: int = 4) -> ScopePage:
    """Return the ranking, grade distribution and heat map of a scope for a period."""
    rows = indices.scope_ranking(session, scope, period, group_by, method)
    overall = indices.scope_figures(session, scope, name, period, method)
    grades = indices.grade_distribution(session, scope, period)
    recent = _recent_semesters(period, heat_periods)
    child = child_grouping(scope)
    columns = [{row.key: row for row in indices.scope_ranking(session, scope, p, child, method)}
               for p in recent]
    while len(columns) > 1 and not columns[0]:  # leading semesters before the first answer
        recent, columns = recent[1:], columns[1:]
    keys = sorted({key for column in columns for key in column},
                  key=lambda key: next(c[key].name for c in columns if key in c))
    heat = tuple(tuple(float(c[key].konversi) if key in c else None for c in columns)
                 for key in keys)
    names = tuple(next(c[key].name for c in columns if key in c) for key in keys)
    return ScopePage(scope, name, period, group_by, method, rows, overall, grades, names,
                     tuple(p.label for p in recent), heat,
                     indices.trend(session, scope, method=method))


def _recent_semesters(period: Period, count: int) -> list[Period]:
    """Return the `count` semesters ending with the one that contains the period's end."""
    last = periods.current_semester(period.ends_on)
    year, half = last.starts_on.year, 1 if last.starts_on.month == 1 else 2
    labels = []
    for _ in range(count):
        labels.append(f"{year}-S{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    return [periods.parse(label) for label in reversed(labels)]
