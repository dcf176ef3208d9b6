"""The A4 PDF poster of a service point: its QR code (survey/qr_codes.py) as large as the page allows.

Plain values in, bytes out, so an admin view and the `suara posters` command share them.
"""

import io
from importlib.util import find_spec
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from survey.qr_codes import qr_code, survey_address, svg

# matplotlib ships DejaVu, so no system font package is needed (found, not imported).
FONT_DIR = (Path(find_spec("matplotlib").submodule_search_locations[0])
            / "mpl-data" / "fonts" / "ttf")
FONTS = {("sans", ""): "DejaVuSans.ttf", ("sans", "B"): "DejaVuSans-Bold.ttf",
         ("sans", "I"): "DejaVuSans-Oblique.ttf", ("mono", "B"): "DejaVuSansMono-Bold.ttf"}

HEADING = "Bagaimana pelayanan kami hari ini?"
INVITATION = "Pindai kode QR ini dan isi Survei Kepuasan Masyarakat."
BRIEF = "Hanya 2 menit, tanpa nama."
TYPE_IT = "Tidak bisa memindai? Ketik alamat ini di peramban:"
ENGLISH = ("How was our service today? Scan the code for a 2-minute anonymous "
           "satisfaction survey.")
FOOTER = "Survei Kepuasan Masyarakat · PermenPANRB No. 14 Tahun 2017 · SUARA"

PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 15.0  # A4 portrait, mm
CONTENT_W = PAGE_W - 2 * MARGIN
# mm across, quiet zone included; 140 keeps even a version 1 code (21 of 29 modules) 10 cm wide.
QR_MAX, QR_MIN, QR_GAP = 150.0, 140.0, 1.0
PT = 25.4 / 72  # mm per point
GREY = (90, 90, 90)


def poster_pdf(unit_name: str, point_name: str, agency_name: str, token: str,
               base_url: str) -> bytes:
    """Return a printable A4 portrait poster (PDF) inviting citizens to the survey."""
    pdf = new_pdf(f"Poster SKM — {unit_name} — {point_name}")
    pdf.add_page()
    _header(pdf, agency_name, unit_name, point_name)
    _invitation(pdf, survey_address(base_url, token), survey_address(base_url, token, qr=False))
    pdf.set_y(PAGE_H - MARGIN - 4)
    _paragraph(pdf, FOOTER, "sans", "", 8, GREY)
    return bytes(pdf.output())


def _header(pdf: FPDF, agency_name: str, unit_name: str, point_name: str) -> None:
    """Write who the poster belongs to (agency, unit, service point) and a rule under it."""
    pdf.set_y(MARGIN)
    if agency_name:
        _paragraph(pdf, agency_name, "sans", "", 11, GREY, max_lines=2)
        pdf.ln(1.5)
    _paragraph(pdf, unit_name, "sans", "B", _fit(pdf, unit_name, "sans", "B", 22, 14, 3),
               max_lines=4)
    pdf.ln(1)
    _paragraph(pdf, point_name, "sans", "", _fit(pdf, point_name, "sans", "", 16, 12, 1), GREY,
               max_lines=2)
    pdf.ln(3)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())


def _invitation(pdf: FPDF, qr_url: str, link: str) -> None:
    """Write the invitation, the QR code as large as the page allows and the typed address."""
    link_size = _fit(pdf, link, "mono", "B", 26, 12, 1)
    blocks = [(HEADING, "sans", "B", _fit(pdf, HEADING, "sans", "B", 28, 18, 1), 1),
              (INVITATION, "sans", "", 14, 1), (BRIEF, "sans", "B", 14, 0),
              (TYPE_IT, "sans", "", 12, 1), (link, "mono", "B", link_size, 5),
              (ENGLISH, "sans", "I", 10, 0)]
    text_height = sum(_height(pdf, *block[:4]) + block[4] for block in blocks)
    # The code gets what the text leaves, within limits; what is left over centres the block.
    free = PAGE_H - MARGIN - 8 - pdf.get_y() - text_height - 2 * QR_GAP
    size = max(QR_MIN, min(QR_MAX, free))
    pdf.ln(max(4.0, (free - size) / 2))
    for text, family, style, font_size, gap in blocks[:3]:
        _paragraph(pdf, text, family, style, font_size)
        pdf.ln(gap)
    top = pdf.get_y() + QR_GAP
    pdf.image(io.BytesIO(svg(qr_code(qr_url), scale=1, unit="mm")), x=(PAGE_W - size) / 2,
              y=top, w=size, h=size, alt_text=f"Kode QR: {qr_url}")
    pdf.set_y(top + size + QR_GAP)
    for text, family, style, font_size, gap in blocks[3:]:
        _paragraph(pdf, text, family, style, font_size, GREY if style == "I" else (0, 0, 0))
        pdf.ln(gap)


def new_pdf(title: str, subject: str = "Survei Kepuasan Masyarakat (SKM)",
            page_format="A4", margin: float = MARGIN) -> FPDF:
    """Start a PDF in millimetres with the DejaVu fonts and the metadata set (no page yet)."""
    pdf = FPDF(orientation="portrait", unit="mm", format=page_format)
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(False)
    for (family, style), filename in FONTS.items():
        pdf.add_font(family, style, str(FONT_DIR / filename))
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_creator("SUARA")
    pdf.set_lang("id")
    return pdf


def _line_height(size: float) -> float:
    """Return the line height in mm of a font size in points."""
    return size * PT * 1.25


def _lines(pdf: FPDF, text: str, family: str, style: str, size: float) -> list[str]:
    """Return how a text wraps across the content width at a font and size."""
    pdf.set_font(family, style, size)
    return pdf.multi_cell(CONTENT_W, _line_height(size), text, dry_run=True,
                          output=MethodReturnValue.LINES)


def _fit(pdf: FPDF, text: str, family: str, style: str, largest: int, smallest: int,
         max_lines: int) -> int:
    """Return the largest font size (in whole points) at which a text fits in max_lines."""
    for size in range(largest, smallest, -1):
        if len(_lines(pdf, text, family, style, size)) <= max_lines:
            return size
    return smallest


def _height(pdf: FPDF, text: str, family: str, style: str, size: float) -> float:
    """Return the height in mm a centred paragraph takes."""
    return len(_lines(pdf, text, family, style, size)) * _line_height(size)


def _paragraph(pdf: FPDF, text: str, family: str, style: str, size: float,
               color: tuple[int, int, int] = (0, 0, 0), max_lines: int | None = None) -> None:
    """Write a centred paragraph at the current height, cut to max_lines with an ellipsis."""
    lines = _lines(pdf, text, family, style, size)
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1].rstrip()
        while " " in last and pdf.get_string_width(last + " …") > CONTENT_W:
            last = last.rsplit(" ", 1)[0]
        lines = lines[:max_lines - 1] + [last + " …"]
    pdf.set_text_color(*color)
    pdf.set_x(MARGIN)
    for line in lines:
        pdf.cell(CONTENT_W, _line_height(size), line, align=Align.C,
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
