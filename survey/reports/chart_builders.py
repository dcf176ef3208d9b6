"""Charts of the dashboards: page data in, SVG bytes out (drawn by analysis.charts)."""

from analysis import charts
from survey.reports.dashboards import ScopePage, UnitPage

RANKING_CHART_ROWS = 40


def _ci(figures_list):
    return ([f.ci.low if f.ci else None for f in figures_list],
            [f.ci.high if f.ci else None for f in figures_list])


def gauge(page: UnitPage) -> bytes:
    """Draw the unit's IKM konversi on the grade scale."""
    f = page.index.figures
    return charts.index_gauge(float(f.konversi), f.grade.letter if f.grade else None)


def elements(page: UnitPage) -> bytes:
    """Draw NRR per element with confidence intervals."""
    e = page.index.figures.elements
    return charts.element_bars([x.code for x in e], [x.name for x in e], [x.nrr for x in e],
                               [x.ci_low for x in e], [x.ci_high for x in e],
                               graded=not page.index.figures.provisional)


def answers(page: UnitPage) -> bytes:
    """Draw how the answers 1..4 are spread per element."""
    e = page.index.figures.elements
    return charts.answer_distribution([x.code for x in e], [x.value_counts for x in e])


def trend(page: UnitPage | ScopePage) -> bytes:
    """Draw the IKM of a unit or a scope per semester with confidence intervals."""
    points = [p for p in page.trend.points if p.figures.has_data]
    low, high = _ci([p.figures for p in points])
    return charts.trend_line([p.label for p in points],
                             [float(p.figures.konversi) for p in points], low, high)


def ranking(page: ScopePage) -> bytes:
    """Draw the scope's groups ranked with confidence-interval whiskers (the best ones of a
    long ranking: the page's table lists them all)."""
    rows = page.rows[:RANKING_CHART_ROWS]
    low, high = _ci(rows)
    return charts.ranking([r.name for r in rows], [float(r.konversi) for r in rows], low, high,
                          [r.grade.letter if r.grade else None for r in rows])


def grades(page: ScopePage) -> bytes:
    """Draw the number of units per grade."""
    return charts.grade_distribution(page.grades)


def heatmap(page: ScopePage) -> bytes:
    """Draw the scope's sub-regions or units by semester."""
    return charts.heatmap(list(page.heat_rows), list(page.heat_periods),
                          [list(row) for row in page.heat])


UNIT_CHARTS = {"gauge": gauge, "elements": elements, "answers": answers, "trend": trend}
SCOPE_CHARTS = {"ranking": ranking, "grades": grades, "heatmap": heatmap, "trend": trend}
