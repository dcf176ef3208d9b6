"""The minimum sample behind a published grade, and the latest period that has reached it.

Below `min_respondents()` respondents a unit's or a scope's figure is provisional
("sementara"): shown with its interval, but with no grade, no grade badge and no
"significant" change (DESIGN.md §7a).

Why 30 by default (SUARA_MIN_RESPONDENTS): the interval and the change test rest on the
t-distribution of a mean (the normal approximation), which the usual rule of thumb takes as
serviceable from about 30 observations, and 30 is the smallest sample that survey practice
under PermenPANRB 14/2017 reports a grade from. It is a floor for showing a grade, not a
statement that the sample is adequate: the regulation sizes the sample with Krejcie & Morgan
(about 80 for 100 services a period, 278 for 1 000, 384 for a very large population), and
the reports say separately whether that size is reached.
"""

import os
from datetime import date, timedelta

from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from survey import periods, queries
from survey.entry_dates import EARLIEST
from survey.periods import Period
from survey.scopes import Scope

DEFAULT_MIN_RESPONDENTS = 30
SETTING = "SUARA_MIN_RESPONDENTS"


def setting_from_environment() -> int:
    """Return SUARA_MIN_RESPONDENTS from the environment (default 30), refusing values < 1."""
    value = int(os.environ.get(SETTING, str(DEFAULT_MIN_RESPONDENTS)))
    if value < 1:
        raise ValueError(f"{SETTING} must be >= 1, got {value}")
    return value


def min_respondents() -> int:
    """Return the minimum number of respondents for a graded figure: the application's
    setting inside an application, else the environment's."""
    if has_app_context():
        return int(current_app.config.get(SETTING, DEFAULT_MIN_RESPONDENTS))
    return setting_from_environment()


def is_provisional(respondents: int, minimum: int | None = None) -> bool:
    """Tell whether a figure from this many respondents is provisional (0 is no figure)."""
    return 0 < respondents < (min_respondents() if minimum is None else minimum)


def respondents_in(session: Session, scope: Scope, period: Period) -> int:
    """Return the number of respondents of a scope in a period."""
    rows = queries.aggregate(session, scope, [period])
    return sum(row.sums.n for row in rows)


def latest_adequate_period(session: Session, scope: Scope, answered: tuple[date, date] | None,
                           today: date) -> Period:
    """Return the period a view shows by default: the current semester once the scope has
    the minimum number of respondents in it, else the last closed semester with answers,
    else (nothing closed has answers) the current one. `answered` is the scope's first and
    last answer dates up to today; nothing after today is ever chosen."""
    current = periods.current_semester(today)
    if answered is None or respondents_in(session, scope, current) >= min_respondents():
        return current
    if answered[0] >= current.starts_on:
        return current
    closed = periods.semesters_between(answered[0], current.starts_on - timedelta(days=1))
    with_answers = {row.key for row in queries.aggregate(session, scope, closed, "period")
                    if row.sums.n}
    latest = [period for period in closed if period.label in with_answers]
    return latest[-1] if latest else current


def default_semester(respondents: dict[date, int], today: date,
                     minimum: int | None = None) -> date | None:
    """Return the first day of the semester `latest_adequate_period` picks for one unit, from
    its respondents by semester start (a rollup's semester rows): the current semester once it
    has the minimum, else the last closed semester with answers, else the current one if it
    has any; None without answers from 2000 up to today."""
    current = periods.current_semester(today).starts_on
    answered = sorted(day for day, n in respondents.items() if n and EARLIEST <= day <= current)
    if not answered:
        return None
    if respondents.get(current, 0) >= (min_respondents() if minimum is None else minimum):
        return current
    closed = [day for day in answered if day < current]
    return closed[-1] if closed else current
