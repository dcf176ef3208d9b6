"""Turn sufficient statistics from `queries` into the published figures, via `analysis`.

Intervals are `analysis.bounded`'s (valid at small n on the 1..4 scale); a figure from fewer
respondents than the minimum (survey/samples.py) is provisional: no grade, and no change
between periods is tested against it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from analysis import bounded, ikm, stats
from analysis.elements import BY_CODE, ELEMENT_CODES
from analysis.group_index import group_index
from survey import samples
from survey.queries import GroupSums, GroupTotals, Sums

METHODS = ("pooled", "mean_of_units")
ELEMENTS = len(ELEMENT_CODES)


@dataclass(frozen=True)
class ElementFigure:
    code: str
    name: str
    name_en: str
    n: int
    nrr: float
    nrr_weighted: float
    konversi: Decimal
    grade: str | None  # None when the figure is provisional
    ci_low: float | None
    ci_high: float | None
    value_counts: tuple[int, int, int, int]


@dataclass(frozen=True)
class Figures:
    """The index of one group: the regulation's figures plus their uncertainty."""

    key: str
    name: str
    respondents: int
    units: int
    method: str
    convention: str
    ikm: float | None
    konversi: Decimal | None
    grade: ikm.Grade | None  # None without data and when provisional
    ci: stats.Interval | None
    elements: tuple[ElementFigure, ...]
    means: stats.MeanSummary | None  # of respondent means, for comparisons between periods
    provisional: bool = False  # fewer respondents than min_respondents: no grade, no test
    min_respondents: int = samples.DEFAULT_MIN_RESPONDENTS

    @property
    def has_data(self) -> bool:
        return self.konversi is not None


def respondent_means(sums: Sums) -> stats.MeanSummary | None:
    """Return the summary of respondent mean scores (exact, from totals and squared totals)."""
    if sums.n == 0:
        return None
    return stats.MeanSummary(sums.n, Fraction(sums.sum_totals, ELEMENTS),
                             Fraction(sums.sum_totals_sq, ELEMENTS * ELEMENTS))


def _elements(result: ikm.IkmResult, sums: Sums, provisional: bool) -> tuple[ElementFigure, ...]:
    figures = []
    for element, counts in zip(result.elements, sums.value_counts):
        ci = bounded.nrr_bounded_interval(counts)
        figures.append(ElementFigure(
            element.code, BY_CODE[element.code].name_id, BY_CODE[element.code].name_en,
            element.n, float(element.nrr), float(element.nrr_weighted), element.konversi,
            None if provisional else element.grade.letter,
            ci.low if ci else None, ci.high if ci else None, counts))
    return tuple(figures)


def pooled(key: str, name: str, sums: Sums, convention: str = "exact", units: int = 1) -> Figures:
    """Return the figures of all respondents together (the regulation's formula on the union)."""
    if sums.n == 0:
        return Figures(key, name, 0, units, "pooled", convention, None, None, None, None, (), None)
    result = ikm.compute_ikm(sums.element_sums, [sums.n] * ELEMENTS, codes=ELEMENT_CODES,
                             convention=convention)
    means = respondent_means(sums)
    ci = bounded.ikm_bounded_interval(sums.n, means.total, means.total_sq)
    minimum = samples.min_respondents()
    provisional = samples.is_provisional(sums.n, minimum)
    return Figures(key, name, sums.n, units, "pooled", convention, float(result.ikm),
                   result.konversi_rounded, None if provisional else result.grade, ci,
                   _elements(result, sums, provisional), means, provisional, minimum)


def mean_of_units(key: str, name: str, unit_sums: list[Sums],
                  convention: str = "exact") -> Figures:
    """Return the mean of unit indices: each unit counts once, whatever its sample size."""
    results = [(ikm.compute_ikm(sums.element_sums, [sums.n] * ELEMENTS, codes=ELEMENT_CODES,
                                convention=convention), sums)
               for sums in unit_sums if sums.n]
    if not results:
        return Figures(key, name, 0, 0, "mean_of_units", convention,
                       None, None, None, None, (), None)
    konversi = ikm.mean_of_units([result for result, _ in results])
    unit_ikm = [result.ikm for result, _ in results]
    # Between-unit spread: a t-interval over the unit indices, on the konversi scale.
    ci = bounded.ikm_bounded_interval(len(unit_ikm), sum(unit_ikm),
                                      sum(v * v for v in unit_ikm))
    total = sum((sums for _, sums in results), Sums.empty())
    minimum = samples.min_respondents()
    provisional = samples.is_provisional(total.n, minimum)  # the scope's own count
    return Figures(key, name, total.n, len(results), "mean_of_units", convention,
                   float(konversi / ikm.KONVERSI_FACTOR), ikm.round_half_up(konversi),
                   None if provisional else ikm.grade_for(konversi), ci,
                   _mean_elements(results, total, provisional), respondent_means(total),
                   provisional, minimum)


def _mean_elements(results, total: Sums, provisional: bool) -> tuple[ElementFigure, ...]:
    """Average each element's NRR over units; answer counts stay pooled for distributions."""
    figures = []
    for index, code in enumerate(ELEMENT_CODES):
        nrr = sum(result.elements[index].nrr for result, _ in results) / len(results)
        weight = results[0][0].elements[index].weight
        konversi = nrr * ikm.KONVERSI_FACTOR
        figures.append(ElementFigure(
            code, BY_CODE[code].name_id, BY_CODE[code].name_en, total.n, float(nrr),
            float(nrr * weight), ikm.round_half_up(konversi),
            None if provisional else ikm.grade_for(konversi).letter,
            None, None, total.value_counts[index]))
    return tuple(figures)


def group_figures(rows: list[GroupSums], method: str = "pooled",
                  convention: str = "exact") -> list[Figures]:
    """Return one Figures per group, best first; rows come from `queries.aggregate`."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    groups: dict[str, list[GroupSums]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    figures = []
    for key, members in groups.items():
        name = members[0].name
        if method == "pooled":
            figures.append(pooled(key, name, sum((m.sums for m in members), Sums.empty()),
                                  convention, units=len(members)))
        else:
            figures.append(mean_of_units(key, name, [m.sums for m in members], convention))
    return sorted(figures, key=lambda f: (f.konversi is None, -(f.konversi or 0), f.name))


class Ranked(NamedTuple):
    """One group of a ranking: the index and its interval, without element figures (a tuple,
    as a national ranking makes 20 000 of them)."""

    key: str
    name: str
    respondents: int
    units: int
    method: str
    convention: str
    ikm: float
    konversi: Decimal
    grade: ikm.Grade | None  # None when provisional
    ci: stats.Interval | None
    provisional: bool = False

    has_data = True  # a ranking lists only the groups that have responses


GRADES = {grade.letter: grade for _, grade in ikm.SCHEMES[ikm.PERMENPANRB_14_2017]}


@dataclass(frozen=True, repr=False)
class Ranking(Sequence):
    """Groups best first, kept as columns: a national ranking computes 20 000 indices at once
    and makes a `Ranked` row only for the rows a page or a file shows."""

    method: str
    convention: str
    keys: list[str]
    names: list[str]
    respondents: list[int]
    units: list[int]
    hundredths: list[int]  # konversi rounded half up, in hundredths
    ikm: list[float]
    grades: Sequence[str]
    low: list[float]  # NaN where a group has no interval
    high: list[float]
    margin: list[float]
    level: float
    order: list[int]  # positions in the columns, best first
    minimum: int = samples.DEFAULT_MIN_RESPONDENTS  # fewer respondents: provisional, no grade

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self._row(i) for i in self.order[position]]
        return self._row(self.order[position])

    def __repr__(self) -> str:
        return f"Ranking({len(self)} groups, {self.method}, {self.convention})"

    def _row(self, i: int) -> Ranked:
        margin = self.margin[i]
        ci = None if margin != margin else stats.Interval(self.low[i], self.high[i], margin,
                                                          self.level)
        provisional = samples.is_provisional(self.respondents[i], self.minimum)
        return Ranked(self.keys[i], self.names[i], self.respondents[i], self.units[i],
                      self.method, self.convention, self.ikm[i],
                      Decimal(self.hundredths[i]).scaleb(-2),
                      None if provisional else GRADES[self.grades[i]], ci, provisional)


def ranking(totals: GroupTotals, method: str = "pooled", convention: str = "exact") -> Ranking:
    """Return the groups of `queries.index_totals` best first (highest konversi, then name):
    the same numbers as `group_figures`, computed for all groups at once. `totals` holds one
    row a group for pooled, one a unit within its group for mean_of_units."""
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {METHODS}")
    if method == "mean_of_units":
        return _mean_of_units_ranking(totals, convention)
    table = group_index(totals.n, totals.t, totals.t2, convention)
    hundredths, names = table.hundredths, totals.names
    order = sorted(range(len(hundredths)), key=lambda i: (-hundredths[i], names[i]))
    return Ranking(method, convention, totals.keys, names, totals.n, totals.units,
                   list(hundredths), list(table.ikm), table.grades, list(table.low),
                   list(table.high), list(table.margin), table.level, order,
                   samples.min_respondents())


def _mean_of_units_ranking(totals: GroupTotals, convention: str) -> Ranking:
    """Return the mean of unit indices of each group (as `mean_of_units`, without elements)."""
    w = ikm.weight(ELEMENTS, convention)
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for key, name, n, t in zip(totals.keys, totals.names, totals.n, totals.t):
        groups.setdefault((key, name), []).append((n, t))
    columns = []
    for (key, name), members in groups.items():
        unit_ikm = [Fraction(t, n) * w for n, t in members]
        konversi = sum(unit_ikm, Fraction(0)) / len(unit_ikm) * ikm.KONVERSI_FACTOR
        ci = bounded.ikm_bounded_interval(len(unit_ikm), sum(unit_ikm),
                                          sum(v * v for v in unit_ikm))
        columns.append((key, name, sum(n for n, _ in members), len(members),
                        int(ikm.round_half_up(konversi).scaleb(2)),
                        float(konversi / ikm.KONVERSI_FACTOR), ikm.grade_for(konversi).letter,
                        *((ci.low, ci.high, ci.margin) if ci else (math.nan,) * 3)))
    keys, names, respondents, units, hundredths, values, grades, low, high, margin = (
        list(column) for column in zip(*columns)) if columns else ([],) * 10
    order = sorted(range(len(keys)), key=lambda i: (-hundredths[i], names[i]))
    return Ranking("mean_of_units", convention, keys, names, respondents, units, hundredths,
                   values, grades, low, high, margin, 0.95, order, samples.min_respondents())


def ranked_by(ranking: Ranking, other: Ranking) -> Ranking:
    """Return a ranking's groups in the order of another ranking of some of the same groups (the
    index of invited answers, say); groups absent from it follow in their own order."""
    position = {key: i for i, key in enumerate(ranking.keys)}
    first = [position[other.keys[i]] for i in other.order if other.keys[i] in position]
    ranked = {other.keys[i] for i in other.order}
    rest = [i for i in ranking.order if ranking.keys[i] not in ranked]
    return replace(ranking, order=first + rest)


def grade_counts(totals: GroupTotals, convention: str = "exact") -> dict[str, int]:
    """Count the groups in each grade, A to D, pooled; provisional groups (below the minimum
    sample) have no grade and are not counted."""
    counts = {letter: 0 for letter in "ABCD"}
    if totals.n:
        minimum = samples.min_respondents()
        table = group_index(totals.n, totals.t, totals.t2, convention)
        for n, letter in zip(totals.n, table.grades):
            counts[letter] += not samples.is_provisional(n, minimum)
    return counts


def _untested(change: stats.Change) -> stats.Change:
    """Return a change with its test withdrawn: a provisional period is not tested."""
    return replace(change, p_value=None, significant=False, test="provisional")


@dataclass(frozen=True)
class TrendPoint:
    label: str
    name: str
    figures: Figures
    change: stats.Change | None  # against the previous period that has data


@dataclass(frozen=True)
class TrendFigures:
    points: tuple[TrendPoint, ...]
    trend: stats.Trend


def trend_of(periods, figures: list[Figures]) -> TrendFigures:
    """Return the index per period with each change's test and the Theil-Sen trend."""
    points, previous = [], None
    for period, current in zip(periods, figures):
        change = None
        if previous is not None and _comparable(previous, current):
            change = stats.compare_periods(previous.means, current.means)
            if previous.provisional or current.provisional:
                change = _untested(change)
        points.append(TrendPoint(period.label, period.name, current, change))
        if current.has_data:
            previous = current
    with_data = [(i, float(f.konversi)) for i, f in enumerate(figures) if f.has_data]
    return TrendFigures(tuple(points), stats.trend([i for i, _ in with_data],
                                                   [v for _, v in with_data]))


def _comparable(a: Figures, b: Figures) -> bool:
    return a.means is not None and b.means is not None and a.means.n > 1 and b.means.n > 1


@dataclass(frozen=True)
class ElementChange:
    """One element's NRR in two periods and the test of its change (konversi scale)."""

    code: str
    name: str
    name_en: str
    nrr_before: float | None
    nrr_after: float | None
    change: stats.Change | None  # None unless both periods have two answers or more

    def name_in(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name


def element_changes(before: Sums, after: Sums) -> tuple[ElementChange, ...]:
    """Return each element's NRR before and after, and Welch's test of the change."""
    changes = []
    for index, code in enumerate(ELEMENT_CODES):
        counts = before.value_counts[index], after.value_counts[index]
        n_before, n_after = (sum(c) for c in counts)
        test = stats.compare_answers(*counts) if min(n_before, n_after) > 1 else None
        if test is not None and samples.is_provisional(min(before.n, after.n)):
            test = _untested(test)
        changes.append(ElementChange(
            code, BY_CODE[code].name_id, BY_CODE[code].name_en,
            before.element_sums[index] / n_before if n_before else None,
            after.element_sums[index] / n_after if n_after else None, test))
    return tuple(changes)
