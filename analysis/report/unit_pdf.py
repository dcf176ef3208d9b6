"""The unit report (Laporan Hasil SKM) as PDF: plain `UnitReport` data in, PDF bytes out.

Chapters follow the usual Laporan Hasil SKM of PermenPANRB 14/2017: cover, lembar pengesahan,
kata pengantar, daftar isi, I Pendahuluan, II Metode, III Hasil, IV Analisis, V Kesimpulan,
Lampiran. The chapters are written through a small writer interface (chapter, heading,
paragraph, bullets, columns, grid, chart, chart_row) that `unit_docx` implements too.
"""

from decimal import Decimal

from analysis import charts
from analysis.elements import ELEMENTS
from analysis.report import front, parts
from analysis.report.conclusions import element_name, ranked, unit_conclusions
from analysis.report.data import Basis, UnitReport
from analysis.report.layout import GREY, ReportPDF, without_short_tails
from analysis.report.texts import (check_locale, grade_letter, grade_name,
                                   integer, long_date, margin,
                                   moment, number, percent, period_title, text)

PROFILE_W = 84.0  # mm: two profile charts side by side


def unit_report_pdf(report: UnitReport) -> bytes:
    """Return the unit report of a period as PDF bytes."""
    return bytes(without_short_tails(lambda breaks: _render(report, breaks)).output())


def _render(report: UnitReport, breaks: frozenset) -> ReportPDF:
    """Lay the report out, with a page break before each block numbered in `breaks`."""
    locale = check_locale(report.locale)
    period = period_title(report.period, locale)
    pdf = ReportPDF(locale, f"Laporan SKM – {report.unit} – {period}",
                    f"{report.unit} · {period}", report.generated_on, breaks)
    _cover(pdf, report, period)
    if report.endorsement is not None:
        front.approval(pdf, report, period)
        front.foreword(pdf, report, period)
        front.contents(pdf)
    write_chapters(pdf, report, period)
    return pdf


def write_chapters(pdf, report: UnitReport, period: str) -> None:
    """Write chapters I to V and the appendices through a PDF or DOCX writer."""
    _introduction(pdf, report, period)
    _method(pdf, report)
    _results(pdf, report, period)
    _analysis(pdf, report)
    pdf.chapter(text(pdf.locale, "s5"))
    pdf.bullets(unit_conclusions(report))
    _appendices(pdf, report)


def _cover(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """Write the cover: unit, agency, region, period and the index."""
    locale = pdf.locale
    region = ", ".join(part for part in (report.region, report.province) if part)
    dates = text(locale, "cover.period", period=period,
                 start=long_date(report.period.starts_on, locale),
                 end=long_date(report.period.ends_on, locale))
    source = [text(locale, "cover.source", server=report.source)] if report.source else []
    parts.cover(pdf, title=text(locale, "unit.title"), name=report.unit,
                details=[report.agency, region, *source], period=dates, index=report.index,
                prepared=text(locale, "cover.prepared",
                              date=long_date(report.generated_on, locale)),
                logo=report.endorsement.logo if report.endorsement else None)


def _introduction(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """Write chapter I: background, legal basis and purpose."""
    locale = pdf.locale
    pdf.chapter(text(locale, "s1"))
    pdf.heading(text(locale, "s1.background"))
    pdf.paragraph(text(locale, "s1.background.text"))
    pdf.bullets(text(locale, "s1.basis"), numbered=True)
    pdf.heading(text(locale, "s1.purpose"))
    pdf.bullets(text(locale, "s1.purpose.items", unit=report.unit, period=period))


def _method(pdf: ReportPDF, report: UnitReport) -> None:
    """Write chapter II: population and sample, dates and channels, questionnaire, formulas."""
    locale = pdf.locale
    pdf.chapter(text(locale, "s2"))
    pdf.heading(text(locale, "s2.sample"))
    _sample(pdf, report)
    pdf.heading(text(locale, "s2.time"))
    _dates(pdf, report)
    _invitations(pdf, report)
    pdf.heading(text(locale, "s2.instrument"))
    pdf.paragraph(text(locale, "s2.instrument.text"))
    pdf.columns([f"{e.code} {e.name(locale)}" for e in ELEMENTS])
    pdf.heading(text(locale, "s2.processing"), keep=60)
    parts.weight_paragraph(pdf, report.convention, report.weight)
    pdf.ensure_space(45)  # the grade table stays with its introduction
    pdf.paragraph(text(locale, "s2.grades"))
    parts.grade_table(pdf)
    pdf.paragraph(text(locale, "s2.unit_method"))
    parts.interval_paragraph(pdf, report.min_respondents)


def _sample(pdf: ReportPDF, report: UnitReport) -> None:
    """Say how large the population is and whether the sample reaches Krejcie & Morgan."""
    locale, sample = pdf.locale, report.sample
    if sample is not None and sample.population is not None:
        pdf.paragraph(text(locale, "s2.population", unit=report.unit,
                           population=integer(sample.population, locale)))
    else:
        pdf.paragraph(text(locale, "s2.no_population"))
    if sample is not None:
        verdict = text(locale, "adequate" if sample.adequate else "inadequate")
        pdf.paragraph(text(locale, "s2.required", required=integer(sample.required, locale),
                           achieved=integer(sample.achieved, locale), verdict=verdict,
                           moe=margin(sample.margin_of_error, locale)))


def _dates(pdf: ReportPDF, report: UnitReport) -> None:
    """Give the survey's dates, its first and last response and the channels used."""
    locale = pdf.locale
    start, end = (long_date(report.period.starts_on, locale),
                  long_date(report.period.ends_on, locale))
    if report.first_response is None:
        pdf.paragraph(text(locale, "s2.no_dates", start=start, end=end))
        return
    pdf.paragraph(text(locale, "s2.dates", start=start, end=end, zone=report.zone,
                       first=moment(report.first_response, locale),
                       last=moment(report.last_response, locale)))
    total = sum(c.count for c in report.channels)
    rows = [(c.label, integer(c.count, locale), percent(c.count, total, locale))
            for c in report.channels]
    rows.append((text(locale, "total"), integer(total, locale), percent(total, total, locale)))
    pdf.grid((text(locale, "channel"), text(locale, "respondents").capitalize(),
              text(locale, "share")), rows, (60, 30, 30), ("L", "R", "R"),
             strong=[len(rows) - 1])
    if report.basis is not None:
        _basis(pdf, report.basis)


def _invitations(pdf: ReportPDF, report: UnitReport) -> None:
    """Say how many invitations were issued and answered, or that none were used."""
    locale, found = pdf.locale, report.invitations
    if found is None:
        return
    if not found.has_rate:
        pdf.paragraph(text(locale, "s2.no_invitations"))
        return
    ci = found.answer_interval
    pdf.paragraph(text(locale, "s2.invitations", issued=integer(found.issued, locale),
                       answered=integer(found.answered, locale),
                       rate=percent(found.answered, found.issued, locale),
                       low=percent(Decimal(repr(ci.low)), 1, locale),
                       high=percent(Decimal(repr(ci.high)), 1, locale)))


def _basis(pdf: ReportPDF, basis: Basis) -> None:
    """Give the basis of the figure: stored, counted, staff-entered, flagged, excluded."""
    locale = pdf.locale
    pdf.paragraph(text(locale, "s2.basis", stored=integer(basis.stored, locale),
                       counted=integer(basis.counted, locale),
                       excluded=integer(basis.excluded, locale)))

    def row(key: str, n: int, shared: bool = True, **values) -> tuple[str, str, str]:
        share = percent(n, basis.counted, locale) if shared and basis.counted else ""
        return text(locale, key, **values), integer(n, locale), share
    rows = [row("basis.stored", basis.stored, False), row("basis.counted", basis.counted),
            row("basis.staff", basis.staff),
            row("basis.kiosk", basis.kiosk_answers, kiosks=integer(basis.kiosks, locale)),
            row("basis.flagged", basis.flagged,
                waiting=integer(basis.flagged_waiting, locale)),
            row("basis.excluded", basis.excluded, False),
            *(row("basis.reason", c.count, False, reason=c.label)
              for c in basis.excluded_by_reason),
            row("basis.proposals", basis.open_proposals, False)]
    pdf.grid((text(locale, "basis.item"), text(locale, "respondents").capitalize(),
              text(locale, "share")), rows, (100, 30, 30), ("L", "R", "R"))


def _results(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """Write chapter III: respondent profile, figures per element, the index."""
    locale = pdf.locale
    pdf.chapter(text(locale, "s3"))
    if report.index is None:
        pdf.paragraph(text(locale, "no_data"))
        return
    pdf.heading(text(locale, "s3.profile"))
    _profile(pdf, report)
    pdf.heading(text(locale, "s3.elements"), keep=80)
    parts.element_table(pdf, report.elements, report.index)
    e = report.elements
    pdf.chart(charts.element_bars([x.code for x in e], [x.name for x in e], [x.nrr for x in e],
                                  [x.ci_low for x in e], [x.ci_high for x in e], locale,
                                  graded=not (report.index and report.index.provisional),
                                  fmt=pdf.chart_format),
              parts.CHART_W, alt="NRR per element")
    pdf.heading(text(locale, "s3.index"), keep=70)
    _index(pdf, report, period)


def _profile(pdf: ReportPDF, report: UnitReport) -> None:
    """Draw gender, age band, education and occupation as bars, two by two."""
    locale, profile = pdf.locale, report.profile
    panels = [(text(locale, key), counts) for key, counts in (
        ("gender", profile.gender), ("age", profile.age), ("education", profile.education),
        ("occupation", profile.occupation)) if counts]
    svgs = [charts.profile_bars(title, [c.label for c in counts], [c.count for c in counts],
                                locale, fmt=pdf.chart_format) for title, counts in panels]
    for start in range(0, len(svgs), 2):
        pdf.chart_row(svgs[start:start + 2], PROFILE_W,
                      [title for title, _ in panels[start:start + 2]])


def _index(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """State the IKM, konversi, grade and confidence interval, with the gauge."""
    locale, index = pdf.locale, report.index
    pdf.chart(charts.index_gauge(float(index.konversi), index.grade, locale,
                                 fmt=pdf.chart_format), parts.CHART_W,
              alt=f"IKM {number(index.konversi, locale)} {grade_letter(index.grade, locale)}")
    pdf.paragraph(text(locale, "index.text", name=report.unit, period=period,
                       konversi=number(index.konversi, locale), ikm=number(index.ikm, locale, 4),
                       grade=grade_letter(index.grade, locale),
                       label=grade_name(index.grade, locale),
                       n=integer(index.respondents, locale)), style="B")
    parts.provisional_paragraph(pdf, index)
    if index.ci is not None:
        pdf.paragraph(text(locale, "ci.text", low=number(index.ci.low, locale),
                           high=number(index.ci.high, locale),
                           margin=number(index.ci.margin, locale)))


def _analysis(pdf: ReportPDF, report: UnitReport) -> None:
    """Write chapter IV: strongest and weakest elements, answers, trend, follow-up plan."""
    locale = pdf.locale
    pdf.chapter(text(locale, "s4"))
    if report.index is not None:
        order = ranked(report.elements)
        pdf.heading(text(locale, "s4.rank"))
        for key, chosen in (("strongest", list(reversed(order[-3:]))), ("weakest", order[:3])):
            pdf.paragraph(text(locale, key), style="B", gap=1)
            pdf.bullets([_element_item(e, locale) for e in chosen])
        pdf.heading(text(locale, "s4.answers"), keep=90)
        pdf.paragraph(text(locale, "s4.answers.text"))
        e = report.elements
        pdf.chart(charts.answer_distribution([x.code for x in e], [x.value_counts for x in e],
                                             locale, fmt=pdf.chart_format),
                  130.0, alt="Answers per element")
    pdf.heading(text(locale, "s4.trend"), keep=80)
    parts.trend_section(pdf, report.trend)
    pdf.heading(text(locale, "s4.rtl"), keep=80)
    _follow_up(pdf, report)


def _element_item(element, locale: str) -> str:
    """Describe one element with its NRR, konversi and grade."""
    return text(locale, "element.item", code=element.code, name=element.name,
                nrr=number(element.nrr, locale, 3), konversi=number(element.konversi, locale),
                grade=element.grade)


def _follow_up(pdf: ReportPDF, report: UnitReport) -> None:
    """Print the follow-up plan: the unit's recorded actions, or the three weakest elements with
    rows to fill in; then what became of the previous period's plan."""
    locale, plan = pdf.locale, report.follow_up
    pdf.ensure_space(95)  # the explanation stays with its table
    if plan.actions:
        pdf.paragraph(text(locale, "rtl.recorded"))
        rows = [(a.element, a.action, long_date(a.due, locale), a.owner, a.status)
                for a in plan.actions]
        pdf.grid(text(locale, "rtl.recorded.headings"), rows, (38, 56, 26, 32, 18),
                 ("L", "L", "L", "L", "L"))
    else:
        pdf.paragraph(text(locale, "rtl.text"))
        weakest = ranked(report.elements)[:3]
        # Blank lines (no-break spaces survive wrapping) leave room to write the plan by hand.
        room = "\n\u00a0" * 3
        rows = [(f"{element_name(e)}\n(NRR {number(e.nrr, locale, 3)} · {e.grade}){room}",
                 "", "", "") for e in weakest]
        pdf.grid(text(locale, "rtl.headings"), rows, (48, 58, 24, 40), ("L", "L", "L", "L"),
                 keep=22.0 * len(rows) + 10)
    if plan.previous:
        pdf.paragraph(text(locale, "rtl.previous", period=plan.previous_period))
        rows = [(a.element, a.action, a.status, _nrr(a.nrr_before, locale),
                 _nrr(a.nrr_after, locale), *_change(a.change, locale)) for a in plan.previous]
        pdf.grid(text(locale, "rtl.previous.headings"), rows, (34, 40, 18, 15, 15, 19, 29),
                 ("L", "L", "L", "R", "R", "R", "L"))


def _nrr(value, locale: str) -> str:
    return "–" if value is None else number(value, locale, 3)


def _change(change, locale: str) -> tuple[str, str]:
    """Return a change on the konversi scale (+1,23) and its test (signifikan, p = 0,041)."""
    if change is None or change.p_value is None:
        return "–", "–"
    verdict = text(locale, "significant" if change.significant else "not_significant")
    return (parts.signed(change.difference, locale),
            f"{verdict} (p = {number(change.p_value, locale, 3)})")


def _appendices(pdf: ReportPDF, report: UnitReport) -> None:
    """Write appendix A (the questionnaire as asked) and B (answer counts per element)."""
    locale = pdf.locale
    pdf.chapter(text(locale, "appendix.a"))
    pdf.paragraph(report.questionnaire_title, style="B")
    for question in report.questionnaire:
        pdf.ensure_space(16)
        pdf.paragraph(f"{question.position}. [{question.code}] {question.text}", gap=0.5)
        labels = "    ".join(f"{value} = {label}"
                             for value, label in enumerate(question.labels, start=1))
        pdf.paragraph(labels, size=8.5, colour=GREY, gap=2.5, indent=5)
    pdf.paragraph(text(locale, "appendix.a.profile"), size=9, colour=GREY)
    if report.elements:
        pdf.ensure_space(60)
        pdf.chapter(text(locale, "appendix.b"), new_page=False)
        parts.answers_table(pdf, report.elements)
