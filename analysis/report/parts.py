"""Pieces shared by the unit and the aggregate report: cover, tables, trend, method."""

import io
from typing import Optional, Sequence

from fpdf.enums import Align, XPos, YPos

from analysis import charts
from analysis.chart_style import GRADE_COLOURS, text_on
from analysis.report.conclusions import trend_sentences
from analysis.report.data import Element, Index, TrendData
from analysis.report.layout import (CONTENT_W, FAMILY, GREY, MARGIN, PAGE_H, PAGE_W, ReportPDF,
                                    line_height, rgb)
from analysis.report.texts import (grade_letter, grade_name, integer,
                                   interval, label_title, number, text,
                                   weight_text)

# PermenPANRB 14/2017, the grade table: interval (1..4), konversi (25..100), grade.
GRADE_TABLE = (("1.00 – 2.5996", "25.00 – 64.99", "D"),
               ("2.60 – 3.064", "65.00 – 76.60", "C"),
               ("3.0644 – 3.532", "76.61 – 88.30", "B"),
               ("3.5324 – 4.00", "88.31 – 100.00", "A"))
CHART_W = 120.0  # mm: matplotlib's 4-inch charts at 1.2x, so their 8.5 pt labels read as 10 pt


def cover(pdf: ReportPDF, *, title: str, name: str, details: Sequence[str], period: str,
          index: Optional[Index], prepared: str, logo: Optional[bytes] = None) -> None:
    """Write the cover: the logo, title, who, where, when, and the index in its grade colour."""
    pdf.add_page()
    if logo:
        pdf.image(io.BytesIO(logo), x=MARGIN, y=16, w=66, h=22, keep_aspect_ratio=True,
                  alt_text="Logo")
    pdf.set_y(48 if logo else 38)
    pdf.paragraph(text(pdf.locale, "subtitle"), size=10, colour=GREY, gap=4)
    pdf.paragraph(title, size=20, style="B", gap=4)
    pdf.set_draw_color(*rgb(GRADE_COLOURS["A"]))
    pdf.set_line_width(1.2)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + 40, pdf.get_y())
    pdf.ln(10)
    pdf.paragraph(name, size=17, style="B", gap=2)
    for detail in details:
        pdf.paragraph(detail, size=11, colour=GREY, gap=0.5)
    pdf.ln(8)
    pdf.paragraph(period, size=12, style="B", gap=12)
    _index_box(pdf, index)
    pdf.set_y(PAGE_H - 32)
    pdf.paragraph(prepared, size=9, colour=GREY)


def _index_box(pdf: ReportPDF, index: Optional[Index]) -> None:
    """Draw the IKM and grade in a box of the grade's colour (grey without data)."""
    colour = GRADE_COLOURS.get(index.grade, "#E6E6E6") if index else "#E6E6E6"
    caption = (text(pdf.locale, "cover.index", konversi=number(index.konversi, pdf.locale),
                    grade=grade_letter(index.grade, pdf.locale),
                    label=grade_name(index.grade, pdf.locale))
               if index else text(pdf.locale, "no_data"))
    pdf.set_fill_color(*rgb(colour))
    pdf.set_text_color(*((255, 255, 255) if text_on(colour) == "white" else (0, 0, 0)))
    pdf.set_font(FAMILY, "B", 16 if index else 12)
    pdf.cell(CONTENT_W, 16, caption, align=Align.C, fill=True, new_x=XPos.LMARGIN,
             new_y=YPos.NEXT)
    pdf.set_text_color(0)


def element_table(pdf: ReportPDF, elements: Sequence[Element], index: Optional[Index]) -> None:
    """Tabulate NRR, weighted NRR, konversi and grade per element, then IKM and konversi."""
    locale = pdf.locale
    rows = [(e.code, e.name, number(e.nrr, locale, 3), number(e.nrr_weighted, locale, 4),
             number(e.konversi, locale), e.grade or "–") for e in elements]
    strong = []
    if index is not None:
        strong = [len(rows), len(rows) + 1]
        rows.append(("", text(locale, "ikm.row"), "", number(index.ikm, locale, 4), "", ""))
        rows.append(("", text(locale, "konversi.row"), "", "", number(index.konversi, locale),
                     grade_letter(index.grade, locale)))
    pdf.grid(text(locale, "element.headings"), rows, (13, 77, 18, 25, 21, 16),
             ("C", "L", "R", "R", "R", "C"), grades=5, strong=strong)


def answers_table(pdf: ReportPDF, elements: Sequence[Element]) -> None:
    """Tabulate the number of answers 1..4 per element, their total and the NRR."""
    locale = pdf.locale
    rows = [(f"{e.code} {e.name}", *(integer(c, locale) for c in e.value_counts),
             integer(e.answers, locale), number(e.nrr, locale, 3)) for e in elements]
    pdf.grid(text(locale, "answers.headings"), rows, (72, 16, 16, 16, 16, 17, 17),
             ("L", "R", "R", "R", "R", "R", "R"))


def grade_table(pdf: ReportPDF) -> None:
    """Print the regulation's grade table in the report's number format."""
    locale = pdf.locale
    swap = str.maketrans(".", ",") if locale == "id" else str.maketrans("", "")
    rows = [(low.translate(swap), high.translate(swap), letter, grade_name(letter, locale))
            for low, high, letter in GRADE_TABLE]
    pdf.grid(text(locale, "grade.headings"), rows, (42, 42, 30, 40), ("C", "C", "C", "L"),
             grades=2)


def provisional_paragraph(pdf: ReportPDF, index: Index) -> None:
    """Say that a figure below the minimum sample is provisional (no grade, no test)."""
    if index.provisional:
        pdf.paragraph(text(pdf.locale, "provisional.text",
                           n=integer(index.respondents, pdf.locale),
                           minimum=integer(index.min_respondents, pdf.locale)), style="B")


def interval_paragraph(pdf: ReportPDF, minimum: int) -> None:
    """State the interval method and the minimum sample for a grade."""
    pdf.paragraph(text(pdf.locale, "s2.interval", minimum=integer(minimum, pdf.locale)))


def weight_paragraph(pdf: ReportPDF, convention: str, weight) -> None:
    """State the formulas and the weight convention used (it can move a grade boundary)."""
    pdf.bullets(text(pdf.locale, "s2.formulas"))
    pdf.paragraph(text(pdf.locale, "s2.weight", weight=weight_text(convention, weight,
                                                                   pdf.locale)))


def trend_section(pdf: ReportPDF, trend: TrendData) -> None:
    """Draw the index per period, tabulate each change and its test, and describe the trend."""
    locale = pdf.locale
    rows = [row for row in trend.rows if row.konversi is not None]
    if len(rows) < 2:
        pdf.paragraph(text(locale, "trend.none"))
        if not rows:
            return
    labels = [row.label for row in rows]
    pdf.chart(charts.trend_line(labels, [float(r.konversi) for r in rows],
                                [r.ci.low if r.ci else None for r in rows],
                                [r.ci.high if r.ci else None for r in rows], locale,
                                fmt=pdf.chart_format),
              CHART_W, alt="IKM per period")
    table = [(label_title(r.label, r.name, locale), integer(r.respondents, locale),
              number(r.konversi, locale), r.grade or "–", interval(r.ci, locale),
              change_cell(r.change, locale)) for r in rows]
    pdf.grid(text(locale, "trend.headings"), table, (40, 24, 18, 14, 32, 42),
             ("L", "R", "R", "C", "C", "R"), grades=3)
    for sentence in trend_sentences(trend, locale):
        pdf.paragraph(sentence)


def change_cell(change, locale: str) -> str:
    """Format a change as +1,23 (p = 0,041), with the sign always shown."""
    if change is None:
        return "–"
    if change.p_value is None:  # provisional, or no variation: no test (analysis.stats)
        return f"{signed(change.difference, locale)} ({text(locale, 'untested')})"
    return f"{signed(change.difference, locale)} (p = {number(change.p_value, locale, 3)})"


def signed(difference: float, locale: str) -> str:
    """Format a difference with its sign always shown: +1,23, −0,50 or ±0,00."""
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    return f"{sign}{number(abs(difference), locale)}"


def centred_note(pdf: ReportPDF, note: str) -> None:
    """Write a small grey note across the page."""
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(PAGE_W - 2 * MARGIN, line_height(8.5), note, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(2)
