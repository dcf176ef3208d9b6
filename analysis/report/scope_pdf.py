"""The aggregate report of a region, an agency or the nation: `ScopeReport` in, PDF bytes out."""

from analysis import charts
from analysis.chart_style import GRADES
from analysis.report import parts
from analysis.report.data import RankRow, ScopeReport
from analysis.report.layout import ReportPDF
from analysis.report.texts import (check_locale, grade_letter, grade_name,
                                   integer, interval, level_name,
                                   long_date, number, percent, period_title, text)

CHART_ROWS = 60  # a ranking chart beyond this many rows is unreadable; the table remains


def scope_report_pdf(report: ScopeReport) -> bytes:
    """Return the aggregate report of a scope and period as PDF bytes."""
    locale = check_locale(report.locale)
    period = period_title(report.period, locale)
    pdf = ReportPDF(locale, f"Laporan agregat SKM – {report.name} – {period}",
                    f"{report.name} · {period}", report.generated_on)
    dates = text(locale, "cover.period", period=period,
                 start=long_date(report.period.starts_on, locale),
                 end=long_date(report.period.ends_on, locale))
    parts.cover(pdf, title=text(locale, "scope.title"), name=report.name,
                details=[report.parent] if report.parent else [], period=dates,
                index=report.overall,
                prepared=text(locale, "cover.prepared", date=long_date(report.generated_on,
                                                                       locale)))
    _summary(pdf, report, period)
    if report.overall is not None:
        _ranking(pdf, report)
        _grades(pdf, report)
        _elements(pdf, report)
    _heat(pdf, report)
    pdf.heading(text(locale, "scope.s6"), keep=80)
    parts.trend_section(pdf, report.trend)
    _method(pdf, report)
    if report.group_level != "unit" and report.units:
        _all_units(pdf, report)
    return bytes(pdf.output())


def _summary(pdf: ReportPDF, report: ScopeReport, period: str) -> None:
    """Write the summary: the index of the whole scope and how it was aggregated."""
    locale, index = pdf.locale, report.overall
    pdf.chapter(text(locale, "scope.s1"))
    if index is None:
        pdf.paragraph(text(locale, "no_data"))
        return
    pdf.chart(charts.index_gauge(float(index.konversi), index.grade, locale), parts.CHART_W,
              alt=f"IKM {number(index.konversi, locale)} {grade_letter(index.grade, locale)}")
    pdf.paragraph(text(locale, "scope.summary", name=report.name, period=period,
                       konversi=number(index.konversi, locale),
                       grade=grade_letter(index.grade, locale),
                       label=grade_name(index.grade, locale),
                       n=integer(index.respondents, locale), units=integer(index.units, locale)),
                  style="B")
    parts.provisional_paragraph(pdf, index)
    if index.ci is not None:
        pdf.paragraph(text(locale, "ci.text", low=number(index.ci.low, locale),
                           high=number(index.ci.high, locale),
                           margin=number(index.ci.margin, locale)))
    pdf.paragraph(text(locale, "scope.method", method=text(locale, f"method.{report.method}")))


def rank_rows(rows, locale: str) -> list[tuple]:
    """Return the cells of a ranking table, best first."""
    return [(str(k), row.name, number(row.konversi, locale), row.grade or "–",
             interval(row.ci, locale), integer(row.respondents, locale),
             integer(row.units, locale)) for k, row in enumerate(rows, start=1)]


def _rank_table(pdf: ReportPDF, rows: tuple[RankRow, ...]) -> None:
    """Tabulate a ranking: position, name, IKM, grade, interval, respondents, units."""
    pdf.grid(text(pdf.locale, "rank.headings"), rank_rows(rows, pdf.locale),
             (9, 63, 17, 13, 30, 22, 16), ("R", "L", "R", "C", "C", "R", "R"), grades=3)


def _ranking(pdf: ReportPDF, report: ScopeReport) -> None:
    """Rank the scope's provinces, regencies or units, with a chart when it stays legible."""
    locale = pdf.locale
    level = level_name(report.group_level, locale)
    pdf.heading(text(locale, "scope.s2", level=level), keep=60)
    rows = [row for row in report.ranking if row.konversi is not None]
    if 1 < len(rows) <= CHART_ROWS:
        pdf.chart(charts.ranking([r.name for r in rows], [float(r.konversi) for r in rows],
                                 [r.ci.low if r.ci else None for r in rows],
                                 [r.ci.high if r.ci else None for r in rows],
                                 [r.grade for r in rows], locale), 140.0, alt="Ranking")
    _rank_table(pdf, report.ranking)


def _grades(pdf: ReportPDF, report: ScopeReport) -> None:
    """Show how many service units reach each grade."""
    locale = pdf.locale
    pdf.heading(text(locale, "scope.s3"), keep=90)
    pdf.paragraph(text(locale, "grades.text"))
    counts = {letter: report.grades.get(letter, 0) for letter in GRADES}
    total = sum(counts.values())
    pdf.chart(charts.grade_distribution(counts, locale), 100.0, alt="Grades")
    rows = [(letter, grade_name(letter, locale), integer(counts[letter], locale),
             percent(counts[letter], total, locale)) for letter in GRADES]
    pdf.grid(text(locale, "grade.count.headings"), rows, (20, 40, 25, 25),
             ("C", "L", "R", "R"), grades=0)


def _elements(pdf: ReportPDF, report: ScopeReport) -> None:
    """Tabulate and draw the scope's figures per element."""
    locale = pdf.locale
    pdf.heading(text(locale, "scope.s4"), keep=80)
    parts.element_table(pdf, report.elements, report.overall)
    e = report.elements
    pdf.chart(charts.element_bars([x.code for x in e], [x.name for x in e], [x.nrr for x in e],
                                  [x.ci_low for x in e], [x.ci_high for x in e], locale,
                                  graded=not (report.overall and report.overall.provisional)),
              parts.CHART_W, alt="NRR per element")


def _heat(pdf: ReportPDF, report: ScopeReport) -> None:
    """Draw the index of each sub-region (or unit) per semester as a heat map."""
    if not report.heat_rows:
        return
    locale = pdf.locale
    level = level_name(report.group_level if report.group_level != "agency" else "unit",
                       locale)
    pdf.heading(text(locale, "scope.s5", level=level), keep=60)
    pdf.chart(charts.heatmap(list(report.heat_rows), list(report.heat_periods),
                             [list(row) for row in report.heat], locale), 150.0,
              alt="Heat map")


def _method(pdf: ReportPDF, report: ScopeReport) -> None:
    """State the aggregation method, the formulas, the weight and the grade table."""
    locale = pdf.locale
    pdf.heading(text(locale, "scope.s7"), keep=70)
    pdf.paragraph(text(locale, "scope.method", method=text(locale, f"method.{report.method}")))
    pdf.paragraph(text(locale, "method.exact"))
    parts.weight_paragraph(pdf, report.convention, report.weight)
    pdf.ensure_space(45)
    pdf.paragraph(text(locale, "s2.grades"))
    parts.grade_table(pdf)
    parts.interval_paragraph(pdf, report.min_respondents)


def _all_units(pdf: ReportPDF, report: ScopeReport) -> None:
    """List every unit of the scope, best first (cut to what a report can hold)."""
    locale = pdf.locale
    pdf.chapter(text(locale, "scope.units"))
    if report.units_total > len(report.units):
        parts.centred_note(pdf, text(locale, "scope.units_cut", shown=len(report.units),
                                     total=report.units_total))
    _rank_table(pdf, report.units)
