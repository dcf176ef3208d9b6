"""What the dashboards show, assembled from `indices`: plain data for templates and charts."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from analysis.invitation_rates import ResponseRates
from analysis.redaction import redact
from survey import figures, indices, instrument_figures, invitation_rates, periods, queries
from survey.exchange.sources import scope_sources, source_of_unit
from survey.integrity import Integrity, UnitShare, scope_integrity, unit_integrity, unit_shares
from survey.indices import UnitIndex
from survey.periods import Period
from survey.reports import entry_share
from survey.scopes import Scope


@dataclass(frozen=True)
class UnitPage:
    index: UnitIndex
    trend: figures.TrendFigures
    weakest: tuple[figures.ElementFigure, ...]
    strongest: tuple[figures.ElementFigure, ...]
    suggestions: tuple[tuple[datetime, str], ...]
    all_answers: figures.Figures  # the period's index over every counted answer
    citizen_answers: figures.Figures  # and over citizen-sent ones only (no staff entry)
    integrity: Integrity | None = None  # the basis of the period's figure
    invited_answers: figures.Figures | None = None  # over invited answers only
    invitations: ResponseRates | None = None  # issued in the period, opened, answered
    point_invitations: tuple[invitation_rates.GroupRates, ...] = ()
    source: str | None = None  # the server a received unit's figures come from
    # IPKP and IPAK of the Zona Integritas surveys after the SKM (survey/instrument_figures.py)
    instruments: tuple[instrument_figures.InstrumentFigure, ...] = ()
    # and their trends over the periods of the page's kind up to its period
    instrument_trends: tuple[instrument_figures.InstrumentTrend, ...] = ()


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
    sums = queries.channel_sums(session, scope, index.period)
    invitations, points = invitation_rates.unit_rates(session, unit, index.period)
    source = source_of_unit(session, unit)  # received: figures only, no raw answers to read
    return UnitPage(index, indices.trend(session, scope), tuple(ordered[:3]),
                    tuple(reversed(ordered[-3:])), suggestions,
                    figures.pooled(slug, unit.name, sums.all),
                    figures.pooled(slug, unit.name, sums.citizen),
                    scope_integrity(session, scope, index.period) if source
                    else unit_integrity(session, unit.id, index.period),
                    figures.pooled(slug, unit.name, sums.invited),
                    invitations, points, source,
                    instrument_figures.unit_figures(session, unit.id, index.period,
                                                    index.figures.respondents),
                    _instrument_trends(session, unit.id, index.period))


def _instrument_trends(session: Session, unit_id: int,
                       period: Period) -> tuple[instrument_figures.InstrumentTrend, ...]:
    """Return IPKP and IPAK over the periods of a period's kind ending with it, as the
    IKM's report (survey/reports/documents.py, which imports this module)."""
    from survey.reports.documents import recent_periods

    return instrument_figures.unit_trends(session, unit_id, recent_periods(period)[1])


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
    staff_shares: dict[str, entry_share.StaffShare]  # by ranking key
    share_jumps: tuple[entry_share.ShareJump, ...]
    jump_rule: str = entry_share.JUMP_RULE
    integrity: Integrity | None = None  # the basis of the scope's figure
    top_excluded: tuple[UnitShare, ...] = ()  # units by excluded share
    top_staff: tuple[UnitShare, ...] = ()  # units by staff-entered share
    rank_by: str = "all"  # the index that orders the ranking: all answers, or invited ones
    invited: dict[str, figures.Ranked] = field(default_factory=dict)  # by ranking key
    invitations: dict[str, invitation_rates.GroupRates] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # received units' sources, by slug
    # IPKP and IPAK of the units that ask them, by slug and instrument (survey/instrument_figures)
    instruments: dict[str, dict[str, tuple[instrument_figures.InstrumentFigure, ...]]] = field(
        default_factory=dict)


def child_grouping(scope: Scope) -> str:
    """Return the level just below a scope: provinces of the nation, regencies of a province."""
    if scope.kind == "national":
        return "province"
    if scope.kind == "region" and "." not in scope.value:
        return "regency"
    return "unit"


RANK_BY = ("all", "invited")


def scope_page(session: Session, scope: Scope, name: str, period: Period, group_by: str,
               method: str, rank_by: str = "all", heat_periods: int = 4) -> ScopePage:
    """Return the ranking, grade distribution and heat map of a scope for a period; the ranking
    ordered by the index of all answers, or with rank_by="invited" of invited answers (groups
    without any follow)."""
    if rank_by not in RANK_BY:
        raise ValueError(f"rank_by {rank_by!r} is not one of {RANK_BY}")
    rows = indices.scope_ranking(session, scope, period, group_by, method)
    invited = indices.invited_ranking(session, scope, period, group_by, method)
    if rank_by == "invited":
        rows = figures.ranked_by(rows, invited)
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
    shares = entry_share.group_shares(session, scope, period, group_by,
                                      dict(zip(rows.keys, rows.respondents)))
    return ScopePage(scope, name, period, group_by, method, rows, overall, grades, names,
                     tuple(p.label for p in recent), heat,
                     indices.trend(session, scope, method=method), shares,
                     entry_share.jumps(session, scope, period),
                     integrity=scope_integrity(session, scope, period),
                     **dict(zip(("top_excluded", "top_staff"),
                                unit_shares(session, scope, period))),
                     rank_by=rank_by, invited={row.key: row for row in invited},
                     invitations=invitation_rates.group_rates(session, scope, period, group_by),
                     sources=scope_sources(session, scope) if group_by == "unit" else {},
                     instruments=instrument_figures.scope_unit_figures(session, scope, period)
                     if group_by == "unit" else {})


def _recent_semesters(period: Period, count: int) -> list[Period]:
    """Return the `count` semesters ending with the one that contains the period's end."""
    last = periods.current_semester(period.ends_on)
    year, half = last.starts_on.year, 1 if last.starts_on.month == 1 else 2
    labels = []
    for _ in range(count):
        labels.append(f"{year}-S{half}")
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    # No period is named before 2000 (survey/periods.py): a trend of 2000-S1 starts there.
    return [periods.parse(label) for label in reversed(labels) if int(label[:4]) >= 2000]
