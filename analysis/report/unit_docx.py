"""The unit report (Laporan Hasil SKM) as an editable Word document (python-docx).

The chapters are the PDF's own (`unit_pdf.write_chapters`) written through `DocxWriter`, which
offers the same small interface as `ReportPDF`: chapters and sections become Heading 1 and 2,
tables Word tables, charts PNG images; the daftar isi is a TOC field that Word fills in.
"""

import io
from typing import Optional, Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from analysis.report import front
from analysis.report.data import UnitReport
from analysis.report.texts import (check_locale, grade_letter, grade_name, long_date, number,
                                   period_title, text)
from analysis.report.unit_pdf import write_chapters

ALIGN = {"L": WD_ALIGN_PARAGRAPH.LEFT, "C": WD_ALIGN_PARAGRAPH.CENTER,
         "R": WD_ALIGN_PARAGRAPH.RIGHT}
BODY_SIZE = 10.0


class DocxWriter:
    """Write report blocks into a python-docx Document; page layout is left to Word."""

    chart_format = "png"

    def __init__(self, locale: str):
        self.locale, self.doc = locale, Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        self.doc.styles["Normal"].font.size = Pt(BODY_SIZE)
        self.doc.settings.element.append(_update_fields())

    def ensure_space(self, height: float) -> None:
        """Nothing to do: Word breaks its own pages."""

    def page_break(self) -> None:
        self.doc.add_page_break()

    def chapter(self, title: str, new_page: bool = True) -> None:
        if new_page:
            self.page_break()
        self.doc.add_heading(title, level=1)

    def heading(self, title: str, keep: float = 0.0) -> None:
        self.doc.add_heading(title, level=2)

    def paragraph(self, body: str, size: float = BODY_SIZE, style: str = "", colour=None,
                  gap: float = 2.0, indent: float = 0.0, align: str = "L"):
        p = self.doc.add_paragraph()
        p.alignment = ALIGN[align]
        if indent:
            p.paragraph_format.left_indent = Mm(indent)
        run = p.add_run(body)
        run.bold, run.underline = "B" in style, "U" in style
        if size != BODY_SIZE:
            run.font.size = Pt(size)
        return p

    def bullets(self, items: Sequence[str], numbered: bool = False,
                size: float = BODY_SIZE) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Number" if numbered else "List Bullet")

    def columns(self, items: Sequence[str], size: float = BODY_SIZE) -> None:
        self.bullets(items)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]],
             widths: Sequence[float], aligns: Sequence[str], *, strong: Sequence[int] = (),
             **_) -> None:
        """Add a Word table: a bold heading row, then the rows, each column aligned."""
        table = self.doc.add_table(rows=0, cols=len(headings), style="Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for index, values in enumerate([headings, *rows]):
            cells = table.add_row().cells
            for column, value in enumerate(values):
                cells[column].width = Mm(widths[column])
                p = cells[column].paragraphs[0]
                p.alignment = ALIGN["L" if index == 0 else aligns[column]]
                run = p.add_run(str(value))
                run.bold = index == 0 or index - 1 in strong
                run.font.size = Pt(8.5)
        self.doc.add_paragraph()

    def chart(self, png: bytes, width: float, x: Optional[float] = None, alt: str = "") -> None:
        self.doc.add_picture(io.BytesIO(png), width=Mm(width))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def chart_row(self, pngs: Sequence[bytes], width: float, alts: Sequence[str] = ()) -> None:
        table = self.doc.add_table(rows=1, cols=len(pngs))
        for cell, png in zip(table.rows[0].cells, pngs):
            cell.paragraphs[0].add_run().add_picture(io.BytesIO(png), width=Mm(width))


def _update_fields():
    """Return <w:updateFields w:val="true"/>: Word fills the daftar isi in when opened."""
    element = OxmlElement("w:updateFields")
    element.set(qn("w:val"), "true")
    return element


def _toc_field(paragraph, placeholder: str) -> None:
    """Put a TOC field (chapters and sections, linked) into a paragraph."""
    def add(tag: str, **attributes):
        run = OxmlElement("w:r")
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        if tag == "w:instrText":
            element.set(qn("xml:space"), "preserve")
            element.text = 'TOC \\o "1-2" \\h \\z \\u'
        elif tag == "w:t":
            element.text = placeholder
        run.append(element)
        paragraph._p.append(run)
    add("w:fldChar", **{"w:fldCharType": "begin"})
    add("w:instrText")
    add("w:fldChar", **{"w:fldCharType": "separate"})
    add("w:t")
    add("w:fldChar", **{"w:fldCharType": "end"})


def _cover(w: DocxWriter, report: UnitReport, period: str) -> None:
    locale, index = w.locale, report.index
    e = report.endorsement
    if e and e.logo:
        w.doc.add_picture(io.BytesIO(e.logo), height=Mm(22))
    w.paragraph(text(locale, "subtitle"), size=10)
    w.paragraph(text(locale, "unit.title").replace("\n", " "), size=20, style="B")
    w.paragraph(report.unit, size=17, style="B")
    for detail in (report.agency, ", ".join(p for p in (report.region, report.province) if p)):
        w.paragraph(detail, size=11)
    w.paragraph(text(locale, "cover.period", period=period,
                     start=long_date(report.period.starts_on, locale),
                     end=long_date(report.period.ends_on, locale)), size=12, style="B")
    w.paragraph(text(locale, "cover.index", konversi=number(index.konversi, locale),
                     grade=grade_letter(index.grade, locale),
                     label=grade_name(index.grade, locale)) if index
                else text(locale, "no_data"), size=16, style="B")
    w.paragraph(text(locale, "cover.prepared", date=long_date(report.generated_on, locale)),
                size=9)


def _signature(w: DocxWriter, report: UnitReport, lead: str) -> None:
    for body, style in front.signature_lines(report, lead):
        if body is None:
            for _ in range(4):
                w.paragraph("\u00a0", align="R")
        else:
            w.paragraph(body, style=style, align="R")


def _front(w: DocxWriter, report: UnitReport, period: str) -> None:
    """Write the lembar pengesahan, kata pengantar and daftar isi."""
    locale = w.locale
    w.chapter(text(locale, "approval").upper())
    for body, size in ((text(locale, "approval.title"), 13), (report.unit, 12),
                       (text(locale, "approval.period", period=period), 10.5)):
        w.paragraph(body, size=size, style="B", align="C")
    _signature(w, report, text(locale, "approval.approved"))
    w.chapter(text(locale, "foreword").upper())
    for part in front.foreword_text(report, period).split("\n\n"):
        w.paragraph(part.strip())
    _signature(w, report, "")
    w.page_break()
    w.paragraph(text(locale, "contents").upper(), size=15, style="B")
    _toc_field(w.doc.add_paragraph(), text(locale, "contents.update"))


def unit_report_docx(report: UnitReport) -> bytes:
    """Return the unit report of a period as a DOCX document."""
    locale = check_locale(report.locale)
    period = period_title(report.period, locale)
    w = DocxWriter(locale)
    w.doc.core_properties.title = f"Laporan SKM – {report.unit} – {period}"
    w.doc.core_properties.language = locale
    _cover(w, report, period)
    if report.endorsement is not None:
        _front(w, report, period)
    write_chapters(w, report, period)
    out = io.BytesIO()
    w.doc.save(out)
    return out.getvalue()
