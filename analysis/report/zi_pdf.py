"""Laporan Hasil SPKP dan SPAK as PDF: plain `ZiReport` data in, PDF bytes out.

The layout units hand in for the Zona Integritas evaluation (PermenPANRB 90/2021): cover,
lembar pengesahan (when endorsed), Bab I Pendahuluan (background, purpose, method), Bab II
Hasil (per survey: answers and mean per statement, the index, konversi, band, interval and
a chart), Bab III Kesimpulan (against the WBK/WBBM targets, with LKE points).
"""

from fpdf.enums import Align, XPos, YPos

from analysis import instruments as zi
from analysis import zi_charts
from analysis.chart_style import GRADE_COLOURS, text_on
from analysis.report import front, parts
from analysis.report.data import ZiInstrumentResult, ZiReport
from analysis.report.layout import (CONTENT_W, FAMILY, GREY, MARGIN, PAGE_H, ReportPDF, rgb,
                                    without_short_tails)
from analysis.report.texts import (check_locale, integer, long_date, number, period_title,
                                   text)
from analysis.report.zi_strings import zt

INDEX_PLACES, KONVERSI_PLACES, PERCENT_PLACES = 3, 2, 2  # as published unit reports print


def zi_report_pdf(report: ZiReport) -> bytes:
    """Return the Laporan Hasil SPKP dan SPAK of a period as PDF bytes."""
    return bytes(without_short_tails(lambda breaks: _render(report, breaks)).output())


def _render(report: ZiReport, breaks: frozenset) -> ReportPDF:
    """Lay the report out, with a page break before each block numbered in `breaks`."""
    locale = check_locale(report.locale)
    period = period_title(report.period, locale)
    pdf = ReportPDF(locale, f"{zt(locale, 'running')} – {report.unit} – {period}",
                    f"{report.unit} · {period}", report.generated_on, breaks,
                    subject=zt(locale, "subject"), foot=zt(locale, "foot"))
    _cover(pdf, report, period)
    if report.endorsement is not None:
        _approval(pdf, report, period)
        front.contents(pdf)
    _introduction(pdf, report, period)
    _results(pdf, report)
    _conclusions(pdf, report)
    return pdf


def _cover(pdf: ReportPDF, report: ZiReport, period: str) -> None:
    """Write the cover: title, unit, where, when, and each index in its band's colour."""
    locale = pdf.locale
    pdf.add_page()
    logo = report.endorsement.logo if report.endorsement else None
    top = front.logo(pdf, logo, MARGIN, 16, 22)
    pdf.set_y(48 if top else 38)
    pdf.paragraph(zt(locale, "subtitle"), size=10, colour=GREY, gap=4)
    pdf.paragraph(zt(locale, "title"), size=16, style="B", gap=4)
    pdf.set_draw_color(*rgb(GRADE_COLOURS["A"]))
    pdf.set_line_width(1.2)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 40, pdf.get_y())
    pdf.ln(10)
    pdf.paragraph(report.unit, size=16, style="B", gap=2)
    for detail in (report.agency, report.region):
        if detail:
            pdf.paragraph(detail, size=11, colour=GREY, gap=0.5)
    pdf.ln(8)
    pdf.paragraph(zt(locale, "cover.period", period=period,
                     start=long_date(report.period.starts_on, locale),
                     end=long_date(report.period.ends_on, locale)), size=12, style="B", gap=10)
    for result in report.results:
        _index_box(pdf, result)
    pdf.set_y(PAGE_H - 32)
    pdf.paragraph(zt(locale, "cover.prepared", date=long_date(report.generated_on, locale)),
                  size=9, colour=GREY)


def _index_box(pdf: ReportPDF, result: ZiInstrumentResult) -> None:
    """Draw one index and its band in a box of the band's colour."""
    colour = GRADE_COLOURS[result.band]
    pdf.set_fill_color(*rgb(colour))
    pdf.set_text_color(*((255, 255, 255) if text_on(colour) == "white" else (0, 0, 0)))
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(CONTENT_W, 13, zt(pdf.locale, "cover.index", short=result.short,
                               index=number(result.index, pdf.locale, INDEX_PLACES),
                               band=f"{result.band} ({result.band_label})"),
             align=Align.C, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(3)


def _approval(pdf: ReportPDF, report: ZiReport, period: str) -> None:
    """Write the lembar pengesahan signed by the head of the unit."""
    locale, e = pdf.locale, report.endorsement
    pdf.chapter(text(locale, "approval").upper())
    pdf.ln(6)
    height = front.logo(pdf, e.logo, MARGIN + CONTENT_W / 2 - 30, pdf.get_y(), 24)
    pdf.ln(height + (6 if height else 0))
    front._centred(pdf, zt(locale, "approval.title"), 13, "B", 2)
    front._centred(pdf, report.unit, 12, "B", 1)
    front._centred(pdf, ", ".join(p for p in (report.agency, report.region) if p), 10.5, "", 1)
    front._centred(pdf, text(locale, "approval.period", period=period), 10.5, "", 22)
    front._signature(pdf, e, report, text(locale, "approval.approved"))


def _introduction(pdf: ReportPDF, report: ZiReport, period: str) -> None:
    """Write Bab I: background and legal basis, purpose, method and formulas."""
    locale = pdf.locale
    pdf.chapter(zt(locale, "s1"))
    pdf.heading(zt(locale, "s1.background"))
    pdf.paragraph(zt(locale, "s1.background.text"))
    pdf.bullets(zt(locale, "s1.basis"), numbered=True)
    pdf.heading(zt(locale, "s1.purpose"))
    pdf.bullets(zt(locale, "s1.purpose.items", unit=report.unit, period=period))
    pdf.heading(zt(locale, "s1.method"))
    for scale, labels in sorted({(r.scale_max, r.labels) for r in report.results}):
        pdf.paragraph(zt(locale, "s1.method.text", scale=scale, labels=", ".join(
            f"{value} = {label}" for value, label in enumerate(labels, start=1))))
    pdf.paragraph(zt(locale, "s1.method.official"))
    for scale in sorted({r.scale_max for r in report.results}) or [4]:
        pdf.bullets(zt(locale, "s1.formulas", scale=scale))
    if any(r.scale_max != 4 for r in report.results):
        pdf.paragraph(zt(locale, "s1.six"), style="B")
    for result in report.results:
        pdf.paragraph(zt(locale, "s1.instrument", short=result.short, name=result.name),
                      style="B", gap=1)
        pdf.bullets([f"{row.code} {row.text}" for row in result.item_rows])


def _results(pdf: ReportPDF, report: ZiReport) -> None:
    """Write Bab II: one section per survey."""
    locale = pdf.locale
    pdf.chapter(zt(locale, "s2"))
    if not report.results:
        pdf.paragraph(zt(locale, "s2.none"))
    for position, result in enumerate(report.results, start=1):
        pdf.heading(zt(locale, "s2.heading", number=position, name=result.name,
                       short=result.short), keep=80)
        _item_table(pdf, result)
        _figures(pdf, report, result)
        bands = [zi.band_on(row.mean, result.scale_max).letter for row in result.item_rows]
        pdf.chart(zi_charts.item_means_bars(
            [r.code for r in result.item_rows], [r.text for r in result.item_rows],
            [float(r.mean) for r in result.item_rows], bands, result.scale_max, locale,
            fmt=pdf.chart_format), parts.CHART_W, alt=f"{result.short} per item")


def _item_table(pdf: ReportPDF, result: ZiInstrumentResult) -> None:
    """Tabulate answers (count and share) and the mean per statement, then the index."""
    locale, k = pdf.locale, result.scale_max
    answer_w = 17.0 if k <= 4 else 15.0  # room for "100,00" on one line
    widths = (12.0, CONTENT_W - 12.0 - 20.0 - k * answer_w, *([answer_w] * k), 20.0)
    code, statement = zt(locale, "s2.headings")
    headings = (code, statement, *(f"{v}\n{zt(locale, 's2.share')}" for v in range(1, k + 1)),
                zt(locale, "s2.mean"))
    rows = [(row.code, row.text,
             *(f"{integer(c, locale)}\n{number(zi.percent(c, result.n), locale)}"
               for c in row.counts),
             number(row.mean, locale, INDEX_PLACES)) for row in result.item_rows]
    rows.append(("", zt(locale, "s2.row.index", short=result.short), *([""] * k),
                 number(result.index, locale, INDEX_PLACES)))
    pdf.grid(headings, rows, widths, ("C", "L", *(["R"] * k), "R"), strong=[len(rows) - 1])
    pdf.paragraph(", ".join(f"{v} = {label}" for v, label in enumerate(result.labels, 1)),
                  size=8.5, colour=GREY)


def _figures(pdf: ReportPDF, report: ZiReport, result: ZiInstrumentResult) -> None:
    """State the index, konversi, band, interval and sample of one survey."""
    locale = pdf.locale
    pdf.paragraph(zt(locale, "s2.text", n=integer(result.n, locale), short=result.short,
                     unit=report.unit, index=number(result.index, locale, INDEX_PLACES),
                     scale=result.scale_max,
                     konversi=number(result.konversi, locale, KONVERSI_PLACES),
                     band=result.band, label=result.band_label), style="B")
    ci = result.interval
    if ci is None:
        pdf.paragraph(zt(locale, "s2.no_interval"))
    else:
        pdf.paragraph(zt(locale, "s2.interval", low=number(ci.low, locale, INDEX_PLACES),
                         high=number(ci.high, locale, INDEX_PLACES),
                         n=integer(result.n, locale)))
    sample = result.sample
    if sample is not None and sample.population is not None:
        pdf.paragraph(zt(locale, "s2.sample", population=integer(sample.population, locale),
                         required=integer(sample.required, locale),
                         achieved=integer(sample.achieved, locale),
                         verdict=zt(locale, "adequate" if sample.adequate else "inadequate")))


def _conclusions(pdf: ReportPDF, report: ZiReport) -> None:
    """Write Bab III: each index against the WBK and WBBM targets, with LKE points."""
    locale = pdf.locale
    pdf.chapter(zt(locale, "s3"))
    if not report.results:
        pdf.paragraph(zt(locale, "s2.none"))
        return
    pdf.bullets([zt(locale, "s3.item", short=r.short, index=number(r.index, locale, 3),
                    four=number(r.on_four, locale, 3), band=r.band, label=r.band_label,
                    points=number(r.lke_points, locale)) for r in report.results])
    rows = [(r.short, number(r.on_four, locale, 3), number(r.lke_points, locale),
             *(_target_cell(kind, r, locale) for kind in zi.ZI_TARGETS))
            for r in report.results]
    pdf.grid(zt(locale, "s3.headings"), rows, (20, 26, 32, 46, 46), ("L", "R", "R", "L", "L"))
    for sentence in _verdicts(report):
        pdf.paragraph(sentence, style="B")
    pdf.paragraph(zt(locale, "s3.provenance"), size=9, colour=GREY)


def _key(result: ZiInstrumentResult):
    """Return 'ipkp' or 'ipak' for a result that has a ZI target, else None."""
    key = result.short.lower()
    return key if key in zi.ZI_TARGETS["wbk"] else None


def _target_cell(kind: str, result: ZiInstrumentResult, locale: str) -> str:
    """Return 'target: met' for one zone kind, or a dash without a target."""
    key = _key(result)
    if key is None:
        return "–"
    goal = zi.target(kind, key)
    verdict = zt(locale, "meets" if result.on_four >= goal else "misses")
    return f"≥ {number(goal, locale)}: {verdict}"


def _verdicts(report: ZiReport) -> list[str]:
    """Say whether the unit meets the targets of its zone kind, when one is chosen."""
    locale, kind = report.locale, report.zone_kind
    if kind is None:
        return []
    found = {_key(r): r for r in report.results if _key(r)}
    if set(found) == {"ipkp", "ipak"}:
        ipkp, ipak = found["ipkp"].on_four, found["ipak"].on_four
        verdict = "verdict.meets" if zi.meets_target(kind, ipkp, ipak) else "verdict.misses"
        return [zt(locale, "s3.verdict", ipkp=number(ipkp, locale, 3),
                   ipak=number(ipak, locale, 3), unit=report.unit,
                   verdict=zt(locale, verdict), kind=kind.upper(),
                   t_ipkp=number(zi.target(kind, "ipkp"), locale),
                   t_ipak=number(zi.target(kind, "ipak"), locale))]
    return [zt(locale, "s3.one", short=r.short, four=number(r.on_four, locale, 3),
               kind=kind.upper(), target=number(zi.target(kind, key), locale),
               verdict=zt(locale, "meets" if r.on_four >= zi.target(kind, key) else "misses"))
            for key, r in found.items()]
