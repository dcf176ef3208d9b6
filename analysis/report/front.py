"""The front matter of the unit report as PDF: lembar pengesahan, kata pengantar, daftar isi.

The lembar pengesahan is the page a unit head signs before the report is handed in; blank
dotted lines stand where no signatory has been recorded, to be filled in by hand.
"""

import io
from typing import Optional

from fpdf.enums import Align, XPos, YPos

from analysis.report.data import Endorsement, UnitReport
from analysis.report.layout import CONTENT_W, FAMILY, GREY, INK, MARGIN, ReportPDF, line_height
from analysis.report.texts import long_date, text

BLANK = "." * 40
SIGN_X = MARGIN + CONTENT_W / 2  # the signature block fills the right half of the page
SIGN_W = CONTENT_W / 2
SIGNATURE_ROOM = 24.0  # mm left empty for the signature and the stamp


def logo(pdf: ReportPDF, image: Optional[bytes], x: float, y: float, h: float) -> float:
    """Draw a logo `h` mm high (at most 3 × h wide) at x, y; return the height used."""
    if not image:
        return 0.0
    pdf.image(io.BytesIO(image), x=x, y=y, w=3 * h, h=h, keep_aspect_ratio=True,
              alt_text="Logo")
    return h


def foreword_text(report: UnitReport, period: str) -> str:
    """Return the unit's kata pengantar, or the default one in the report's language."""
    own = report.endorsement.foreword if report.endorsement else None
    return own or text(report.locale, "foreword.default", unit=report.unit, period=period)


def _centred(pdf: ReportPDF, body: str, size: float, style: str = "", gap: float = 1.0) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(CONTENT_W, line_height(size), body, align=Align.C, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.ln(gap)


def signature_lines(report: UnitReport, lead: str) -> list[tuple[Optional[str], str]]:
    """Return the signature block: place and date, a lead line, the position, room to sign
    (None), the name (bold, underlined) and the NIP; dots stand for what is not recorded."""
    e, locale = report.endorsement, report.locale
    place = text(locale, "approval.place", place=e.place or BLANK[:20],
                 date=long_date(e.signed_on, locale))
    lines = [(place, ""), (lead, ""),
             (e.head_position or text(locale, "approval.position", unit=report.unit), ""),
             (None, ""), (e.head_name or BLANK, "BU" if e.head_name else ""),
             (text(locale, "approval.nip", nip=e.head_nip or BLANK[:30]), "")]
    return [(body, style) for body, style in lines if body != ""]


def _signature(pdf: ReportPDF, e: Endorsement, report: UnitReport, lead: str) -> None:
    """Write the signature block in the right half of the page."""
    lines = signature_lines(report, lead)
    pdf.ensure_space(SIGNATURE_ROOM + 6 * line_height(10.5))
    for body, style in lines:
        if body is None:
            pdf.ln(SIGNATURE_ROOM)
            continue
        pdf.set_font(FAMILY, style, 10.5)
        pdf.set_x(SIGN_X)
        pdf.multi_cell(SIGN_W, line_height(10.5), body, align=Align.C, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)


def approval(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """Write the lembar pengesahan: title, unit, period, then the head's signature block."""
    e, locale = report.endorsement, pdf.locale
    pdf.chapter(text(locale, "approval").upper())
    pdf.ln(6)
    height = logo(pdf, e.logo, MARGIN + CONTENT_W / 2 - 30, pdf.get_y(), 24)
    pdf.ln(height + (6 if height else 0))
    _centred(pdf, text(locale, "approval.title"), 13, "B", 2)
    _centred(pdf, report.unit, 12, "B", 1)
    _centred(pdf, ", ".join(p for p in (report.agency, report.region) if p), 10.5, "", 1)
    _centred(pdf, text(locale, "approval.period", period=period), 10.5, "", 22)
    _signature(pdf, e, report, text(locale, "approval.approved"))


def foreword(pdf: ReportPDF, report: UnitReport, period: str) -> None:
    """Write the kata pengantar, signed by the head of the unit."""
    pdf.chapter(text(pdf.locale, "foreword").upper())
    for part in foreword_text(report, period).split("\n\n"):
        pdf.paragraph(part.strip(), gap=3)
    pdf.ln(8)
    _signature(pdf, report.endorsement, report, "")


def contents(pdf: ReportPDF) -> None:
    """Reserve a page for the daftar isi; fpdf2 fills it in with the real page numbers."""
    pdf.end_chapter()
    pdf.add_page()
    pdf.insert_toc_placeholder(_render_contents, pages=1)
    pdf.blank_page = True


def _render_contents(pdf: ReportPDF, outline) -> None:
    """Write each chapter and section with dot leaders and its page number, linked."""
    pdf.set_x(MARGIN)
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(CONTENT_W, line_height(15), text(pdf.locale, "contents").upper(),
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for section in outline:
        size, style, indent = (10.5, "B", 0.0) if section.level == 0 else (10.0, "", 8.0)
        pdf.set_font(FAMILY, style, size)
        number = str(section.page_number)
        room = CONTENT_W - indent - pdf.get_string_width(number) - 2
        name = section.name
        while pdf.get_string_width(name) > room - 6 and len(name) > 4:
            name = name[:-2] + "…"  # a name too long for one line is cut, never wrapped
        dots = "." * max(int((room - pdf.get_string_width(name + " ")) /
                             pdf.get_string_width(".")), 0)
        pdf.set_x(MARGIN + indent)
        link = pdf.add_link(page=section.page_number)
        pdf.set_text_color(*INK)
        pdf.cell(room, line_height(size) + 1.2, f"{name} {dots}", link=link)
        pdf.set_text_color(*GREY if section.level else INK)
        pdf.cell(CONTENT_W - indent - room, line_height(size) + 1.2, number, align=Align.R,
                 link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
