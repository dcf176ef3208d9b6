"""Printed invitations: an A4 sheet of slips to cut, and tickets for 58 mm thermal printers.

Each slip or ticket carries the point's name, the code as shown (AB3D-EF7H), the QR code of its
answering address (/u/<code>) and one sentence of instructions. The QR codes are made as the
posters' are (survey/posters.py: level Q, quiet zone of four modules) and drawn as filled
rectangles, a run of dark modules each: sharp at any printer's resolution, and about twice as
quick to lay out as an embedded SVG (1 000 codes a sheet at most, codes.MAX_PER_ISSUE).
"""

from urllib.parse import urlsplit

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from survey.posters import new_pdf
from survey.qr_codes import QUIET_ZONE, qr_code
from survey.invitations.codes import answer_address, shown

# A4 portrait in 3 columns and 7 rows of slips, 10 mm from the paper's edges.
A4, SHEET_MARGIN, COLUMNS, ROWS = (210.0, 297.0), 10.0, 3, 7
SLIP_W, SLIP_H = (A4[0] - 2 * SHEET_MARGIN) / COLUMNS, (A4[1] - 2 * SHEET_MARGIN) / ROWS
PAD, SLIP_QR = 2.5, 27.0
# 58 mm paper prints about 48 mm wide; one ticket a page, which such printers cut after.
TICKET, TICKET_MARGIN, TICKET_QR = (58.0, 88.0), 5.0, 40.0
PT = 25.4 / 72  # mm per point
GREY = (90, 90, 90)
SUBJECT = "Kode survei sekali pakai — Survei Kepuasan Masyarakat (SKM)"


def instructions(base_url: str) -> str:
    """Return the sentence printed beside a code."""
    site = urlsplit(base_url).netloc + urlsplit(base_url).path.rstrip("/")
    return f"Pindai kode QR, atau buka {site} lalu ketik kode ini. Hanya untuk satu kali survei."


def sheet_pdf(point_name: str, codes: list[str], valid_until: str, base_url: str) -> bytes:
    """Return an A4 PDF of slips to cut, one code each, 21 a page."""
    pdf = new_pdf(f"Kode survei — {point_name}", SUBJECT, "A4", TICKET_MARGIN)
    text = instructions(base_url)
    for number, code in enumerate(codes):
        place = number % (COLUMNS * ROWS)
        if place == 0:
            pdf.add_page()
            pdf.set_draw_color(160)
            pdf.set_line_width(0.2)
            pdf.set_dash_pattern(dash=1.5, gap=1.5)
        x = SHEET_MARGIN + place % COLUMNS * SLIP_W
        y = SHEET_MARGIN + place // COLUMNS * SLIP_H
        pdf.rect(x, y, SLIP_W, SLIP_H)  # the cutting line
        _slip(pdf, x, y, point_name, code, valid_until, text, base_url)
    return bytes(pdf.output())


def _slip(pdf: FPDF, x: float, y: float, point_name: str, code: str, valid_until: str,
          text: str, base_url: str) -> None:
    """Write one slip: the point's name across, the QR code left, the code and text right."""
    _line(pdf, x + PAD, y + PAD, SLIP_W - 2 * PAD, point_name, "sans", "B", 7.5)
    top = y + PAD + 4
    _qr(pdf, answer_address(base_url, code), x + PAD - 1, top, SLIP_QR)
    left = x + PAD + SLIP_QR
    width = SLIP_W - SLIP_QR - 2 * PAD
    _line(pdf, left, top + 1, width, "Kode survei:", "sans", "", 6, GREY)
    _line(pdf, left, top + 4, width, shown(code), "mono", "B", 11.5)
    pdf.set_xy(left, top + 9.5)
    pdf.set_font("sans", "", 6)
    pdf.multi_cell(width, 6 * PT * 1.2, text, align=Align.L, new_x=XPos.LEFT,
                   new_y=YPos.NEXT)
    pdf.set_x(left)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(width, 6 * PT * 1.2, f"Berlaku sampai {valid_until}.", align=Align.L)
    pdf.set_text_color(0)


def ticket_pdf(point_name: str, codes: list[str], valid_until: str, base_url: str) -> bytes:
    """Return a PDF of 58 mm tickets, one code a page."""
    pdf = new_pdf(f"Tiket kode survei — {point_name}", SUBJECT, TICKET, TICKET_MARGIN)
    width, text = TICKET[0] - 2 * TICKET_MARGIN, instructions(base_url)
    for code in codes:
        pdf.add_page()
        pdf.set_xy(TICKET_MARGIN, TICKET_MARGIN)
        pdf.set_font("sans", "B", 9)
        pdf.multi_cell(width, 9 * PT * 1.2, point_name, align=Align.C, new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
        top = pdf.get_y() + 1
        _qr(pdf, answer_address(base_url, code), (TICKET[0] - TICKET_QR) / 2, top, TICKET_QR)
        pdf.set_xy(TICKET_MARGIN, top + TICKET_QR + 1)
        pdf.set_font("mono", "B", 16)
        pdf.cell(width, 16 * PT * 1.2, shown(code), align=Align.C, new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
        pdf.set_font("sans", "", 7.5)
        pdf.multi_cell(width, 7.5 * PT * 1.25, f"{text} Berlaku sampai {valid_until}.",
                       align=Align.C)
    return bytes(pdf.output())


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of a URL, quiet zone included, `size` mm across."""
    qr = qr_code(url)
    modules = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    unit = size / modules
    pdf.set_fill_color(0)
    for row_number, row in enumerate(qr.matrix):
        top = y + (QUIET_ZONE + row_number) * unit
        start = None
        for column, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                pdf.rect(x + (QUIET_ZONE + start) * unit, top, (column - start) * unit, unit,
                         style="F")
                start = None


def _line(pdf: FPDF, x: float, y: float, width: float, text: str, family: str, style: str,
          size: float, color: tuple[int, int, int] = (0, 0, 0)) -> None:
    """Write one line of text at a place, cut with an ellipsis to fit the width."""
    pdf.set_font(family, style, size)
    while pdf.get_string_width(text) > width and len(text) > 1:
        text = text[:-2].rstrip() + "…"
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.cell(width, size * PT * 1.2, text)
    pdf.set_text_color(0)
