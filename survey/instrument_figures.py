"""IPKP and IPAK of a unit and period: the sums of rollup_instrument (whole months and
semesters) and of the raw answers (edge days of a custom range), in one statement, turned
into figures by analysis/instruments.py.

A unit's answers on 1..4 and on 1..6 are never pooled: each scale it used in the period gives
its own figure. Below the minimum number of respondents (survey/samples.py) a figure is
provisional: shown with its interval, without a band.

Their trend (``unit_trends``) is the IKM's: the figure per period, each change against the
previous period with Welch's t (none tested for a provisional figure), the Theil-Sen trend
(analysis/instrument_trend.py), per instrument and scale, from one statement for all periods.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, Integer, cast, func, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from analysis import instrument_trend, instruments, stats
from analysis.ikm import round_half_up
from survey import samples
from survey.instrument_store import ANSWERS, STATISTICS, TABLE
from survey.models import INSTRUMENT_CODES, INSTRUMENT_COLUMNS, Response, ServiceUnit
from survey.periods import Period, rollup_spans
from survey.queries import scope_filter
from survey.scopes import Scope


@dataclass(frozen=True)
class ItemMean:
    code: str
    text: str
    mean: Decimal  # on the instrument's scale, rounded half-up to two places


@dataclass(frozen=True)
class InstrumentFigure:
    """One instrument's figure for a unit and period, on the scale it was asked."""

    code: str  # spkp, spak
    survey: str  # SPKP, SPAK
    name: str
    short: str  # IPKP, IPAK
    scale_max: int
    n: int
    items: tuple[ItemMean, ...]
    index: Decimal  # the mean of item means, two places
    konversi: Decimal  # index x 100 / scale_max
    on_four: Decimal  # the index on 1..4 (identity on four points), as the LKE reads it
    low: Decimal | None  # 95 % interval of the index (None below two respondents)
    high: Decimal | None
    band: instruments.Band | None  # None while provisional
    provisional: bool
    share: Decimal | None  # percent of the period's SKM respondents who answered it


def _statistics(source) -> list:
    return [cast(func.sum(source.c[name]), BigInteger).label(name) for name in STATISTICS]


def _raw_statistics() -> list:
    items = [func.coalesce(ANSWERS.c[name], 0) for name in INSTRUMENT_COLUMNS]
    total = sum(items[1:], items[0])
    return [func.count().label("n"),
            *(func.coalesce(func.sum(ANSWERS.c[name]), 0).label(f"s{number}")
              for number, name in enumerate(INSTRUMENT_COLUMNS, start=1)),
            func.sum(total).label("t"), func.sum(total * total).label("t2")]


def _parts(period: Period, units, per_unit: bool, tag: tuple = ()) -> list:
    """Return the SELECTs of ([*tag,] [unit_id,] instrument, scale_max, *STATISTICS) whose
    sums are a period's: rollup spans and raw edge days; tag is constant columns."""
    spans, edges = rollup_spans(period.starts_on, period.ends_on)
    lead = [TABLE.c.unit_id] if per_unit else []
    parts = [select(*tag, *lead, TABLE.c.instrument, TABLE.c.scale_max,
                    *(TABLE.c[name] for name in STATISTICS))
             .where(TABLE.c.unit_id.in_(units), TABLE.c.months == months,
                    TABLE.c.starts_on.between(first, last))
             for months, first, last in spans]
    lead = [Response.unit_id] if per_unit else []
    parts += [select(*tag, *lead, ANSWERS.c.instrument, ANSWERS.c.scale_max,
                     *_raw_statistics())
              .join_from(ANSWERS, Response, Response.id == ANSWERS.c.response_id)
              .where(Response.unit_id.in_(units), Response.excluded.is_(False),
                     Response.submitted_on.between(edge_start, edge_end))
              .group_by(*lead, ANSWERS.c.instrument, ANSWERS.c.scale_max)
              for edge_start, edge_end in edges]
    return parts


def _sums(period: Period, units, per_unit: bool):
    """Return the SELECT of ([unit_id,] instrument, scale_max, *STATISTICS) over a period of
    the units a subquery of ids picks, one row per unit when per_unit."""
    parts = _parts(period, units, per_unit)
    if not parts:  # a period with no day (never produced by survey/periods.py)
        lead = [literal(0).label("unit_id")] if per_unit else []
        parts = [select(*lead, literal("spkp").label("instrument"),
                        literal(4).label("scale_max"),
                        *(literal(0).label(name) for name in STATISTICS))]
    both = union_all(*parts).subquery()
    keys = [both.c.unit_id] if per_unit else []
    keys += [both.c.instrument, both.c.scale_max]
    return select(*keys, *_statistics(both)).group_by(*keys)


def sums_query(unit_id: int, period: Period):
    """Return the SELECT of (instrument, scale_max, *STATISTICS) of a unit over a period."""
    return _sums(period, [unit_id], per_unit=False)


def scope_sums_query(scope: Scope, period: Period):
    """Return the SELECT of (unit_id, instrument, scale_max, *STATISTICS) of every unit of a
    scope over a period: one statement for the whole scope."""
    return _sums(period, select(ServiceUnit.id).where(scope_filter(scope)), per_unit=True)


def scope_unit_figures(session: Session, scope: Scope, period: Period
                       ) -> dict[str, dict[str, tuple[InstrumentFigure, ...]]]:
    """Return {unit slug: {instrument: its figures, one per scale, most respondents first}} of
    the units of a scope that have answers in a period: one statement for the whole scope."""
    sums = scope_sums_query(scope, period).subquery()
    query = (select(ServiceUnit.slug, sums.c.instrument, sums.c.scale_max,
                    *(sums.c[name] for name in STATISTICS))
             .join(sums, sums.c.unit_id == ServiceUnit.id))
    found: dict[str, dict[str, list[InstrumentFigure]]] = {}
    for slug, code, scale_max, *statistics in session.execute(query):
        if statistics[0]:
            found.setdefault(slug, {}).setdefault(code, []).append(
                figure(code, scale_max, [int(value) for value in statistics], 0))
    return {slug: {code: tuple(sorted(figures, key=lambda f: (-f.n, f.scale_max)))
                   for code, figures in by_code.items()}
            for slug, by_code in found.items()}


def unit_sums(session: Session, unit_id: int, period: Period) -> dict[tuple[str, int], dict]:
    """Return {(instrument, scale_max): {statistic: value}} of a unit's answers in a period."""
    return {(row.instrument, row.scale_max): dict(zip(STATISTICS, map(int, row[2:])))
            for row in session.execute(sums_query(unit_id, period)) if row.n}


def answer_counts(session: Session, unit_id: int,
                  period: Period) -> dict[tuple[str, int], tuple[tuple[int, ...], ...]]:
    """Return {(instrument, scale_max): per item, the respondents per answer 1..scale_max} of
    a unit's counted answers in a period: a GROUP BY over instrument_answer, one statement."""
    where = (Response.unit_id == unit_id, Response.excluded.is_(False),
             Response.submitted_on.between(period.starts_on, period.ends_on))
    parts = [select(ANSWERS.c.instrument, ANSWERS.c.scale_max, literal(number).label("item"),
                    ANSWERS.c[name].label("value"), func.count().label("n"))
             .join_from(ANSWERS, Response, Response.id == ANSWERS.c.response_id)
             .where(*where, ANSWERS.c[name].is_not(None))
             .group_by(ANSWERS.c.instrument, ANSWERS.c.scale_max, ANSWERS.c[name])
             for number, name in enumerate(INSTRUMENT_COLUMNS, start=1)]
    found: dict[tuple[str, int], dict[int, list[int]]] = {}
    for code, scale, item, value, n in session.execute(union_all(*parts)):
        items = found.setdefault((code, scale), {})
        items.setdefault(item, [0] * scale)[value - 1] += n
    return {key: tuple(tuple(items[item]) for item in sorted(items))
            for key, items in found.items()}


def unit_figures(session: Session, unit_id: int, period: Period,
                 skm_respondents: int, locale: str = "id") -> tuple[InstrumentFigure, ...]:
    """Return the instrument figures of a unit in a period, SPKP first, one per scale used."""
    rows = [row for row in session.execute(sums_query(unit_id, period)) if row.n]
    order = {code: position for position, code in enumerate(INSTRUMENT_CODES)}
    rows.sort(key=lambda row: (order[row.instrument], row.scale_max))
    return tuple(figure(row.instrument, row.scale_max, [int(v) for v in row[2:]],
                        skm_respondents, locale) for row in rows)


def figure(code: str, scale_max: int, statistics: list[int], skm_respondents: int,
           locale: str = "id") -> InstrumentFigure:
    """Return an instrument's figure from its statistics (n, s1..s8, t, t2: STATISTICS)."""
    instrument = instruments.with_scale(instruments.INSTRUMENTS[code], scale_max)
    stats = dict(zip(STATISTICS, statistics))
    n, k = stats["n"], len(instrument.items)
    sums = [stats[f"s{number}"] for number in range(1, k + 1)]
    index = instruments.index(sums, n, scale_max)
    interval = instruments.index_interval(n, stats["t"], stats["t2"], k, scale_max)
    provisional = samples.is_provisional(n)
    means = instruments.item_means(sums, n)
    return InstrumentFigure(
        code, code.upper(), instrument.name(locale), instrument.short(locale), scale_max, n,
        tuple(ItemMean(item.code, item.text(locale), round_half_up(mean))
              for item, mean in zip(instrument.items, means)),
        round_half_up(index), round_half_up(instruments.konversi(index, scale_max)),
        round_half_up(instruments.on_four_point(index, scale_max)),
        None if interval is None else round_half_up(interval.low),
        None if interval is None else round_half_up(interval.high),
        None if provisional else instruments.band_of(instrument, index), provisional,
        instruments.percent(n, skm_respondents) if skm_respondents else None)


@dataclass(frozen=True)
class TrendPoint:
    label: str
    name: str
    figure: InstrumentFigure | None  # None: no answer in the period
    change: stats.Change | None  # on the index scale, against the previous period answered


@dataclass(frozen=True)
class InstrumentTrend:
    """One instrument's figures over periods, on one scale, with their changes and trend."""

    code: str
    short: str
    scale_max: int
    points: tuple[TrendPoint, ...]
    trend: stats.Trend  # Theil-Sen slope in index points per period, Kendall's tau


def trend_sums_query(unit_id: int, period_list: list[Period]):
    """Return the SELECT of (position, instrument, scale_max, *STATISTICS) of a unit, one row
    per period (by its position in the list) and instrument and scale: one statement."""
    parts = [part for position, period in enumerate(period_list)
             for part in _parts(period, [unit_id], False,
                                (literal_column(str(position), Integer).label("position"),))]
    both = union_all(*parts).subquery()
    keys = [both.c.position, both.c.instrument, both.c.scale_max]
    return select(*keys, *_statistics(both)).group_by(*keys)


def unit_trends(session: Session, unit_id: int, period_list: list[Period],
                codes: tuple[str, ...] = INSTRUMENT_CODES,
                locale: str = "id") -> tuple[InstrumentTrend, ...]:
    """Return the trend of each instrument among codes a unit's answers used in the periods,
    SPKP first, one per scale; empty without answers."""
    found: dict[tuple[str, int], dict[int, list[int]]] = {}
    if period_list:
        for row in session.execute(trend_sums_query(unit_id, period_list)):
            if row.n and row.instrument in codes:
                found.setdefault((row.instrument, row.scale_max), {})[row.position] = [
                    int(value) for value in row[3:]]
    order = {code: position for position, code in enumerate(INSTRUMENT_CODES)}
    return tuple(_trend(code, scale_max, found[code, scale_max], period_list, locale)
                 for code, scale_max in sorted(found, key=lambda key: (order[key[0]], key[1])))


def _trend(code: str, scale_max: int, by_position: dict[int, list[int]],
           period_list: list[Period], locale: str) -> InstrumentTrend:
    k = len(instruments.INSTRUMENTS[code].items)
    figures = [figure(code, scale_max, by_position[position], 0, locale)
               if position in by_position else None for position in range(len(period_list))]
    statistics = [dict(zip(STATISTICS, by_position[position])) if position in by_position
                  else None for position in range(len(period_list))]
    samples = [None if s is None else instrument_trend.PeriodSample(s["n"], s["t"], s["t2"],
                                                                    f.provisional)
               for s, f in zip(statistics, figures)]
    changes = instrument_trend.changes(samples, k)
    exact = [None if s is None else instruments.index(
        [s[f"s{item}"] for item in range(1, k + 1)], s["n"]) for s in statistics]
    return InstrumentTrend(
        code, instruments.INSTRUMENTS[code].short(locale), scale_max,
        tuple(TrendPoint(period.label, period.name, f, c)
              for period, f, c in zip(period_list, figures, changes)),
        instrument_trend.index_trend(exact))
