"""The page of a SUARA report: A4, DejaVu fonts, running header, page numbers, and helpers.

fpdf2 is the PDF library (as for the QR posters): pure Python, small, embeds TrueType subsets
and draws matplotlib's SVG as vectors with its text kept as real text, so the charts stay sharp
at any zoom and `pdftotext` reads their labels.
"""

import io
import re
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Optional, Sequence

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from analysis.chart_style import GRADE_COLOURS, tint
from analysis.report.texts import text

# matplotlib ships DejaVu, so no system font package is needed. Its SVG asks for the family
# "DejaVu Sans", so the text uses that very name: each font file is parsed once per document
# (parsing is most of the fixed cost of a PDF) and serves both the text and the charts.
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FAMILY = "DejaVu Sans"
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}  # no italic: one font file less

PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, mm
MARGIN, TOP, BOTTOM = 20.0, 22.0, 18.0
CONTENT_W = PAGE_W - 2 * MARGIN
PT = 25.4 / 72  # mm per point
INK = (34, 34, 34)
GREY = (91, 103, 112)
RULE = (190, 196, 202)
HEAD_FILL = (232, 237, 241)
BODY_SIZE = 10.0
TAIL_LINES = 6  # a chapter's last page holds at least this many body lines
_SVG_SIZE = re.compile(rb'<svg[^>]*?\swidth="([\d.]+)pt"\s+height="([\d.]+)pt"')
_METADATA = re.compile(rb"<metadata>.*?</metadata>", re.S)


def line_height(size: float, spacing: float = 1.35) -> float:
    """Return the line height in mm of a font size in points."""
    return size * PT * spacing


def rgb(colour: str) -> tuple[int, int, int]:
    """Return a #RRGGBB colour as an (r, g, b) tuple."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def svg_size(svg: bytes) -> tuple[float, float]:
    """Return the width and height of a matplotlib SVG in points."""
    match = _SVG_SIZE.search(svg[:2000])
    if not match:
        raise ValueError("the SVG has no width and height in points")
    return float(match[1]), float(match[2])


RENDERS = 3  # at most: the layout, then up to two with page breaks moved


def without_short_tails(render: Callable[[frozenset], "ReportPDF"]) -> "ReportPDF":
    """Lay a document out again, with blocks moved to the next page, until no chapter leaves
    fewer than TAIL_LINES lines alone on its last page; `render(breaks)` lays it out once."""
    breaks: frozenset = frozenset()
    for _ in range(RENDERS):
        pdf = render(breaks)
        moves = pdf.short_tails()
        if moves <= breaks:
            break
        breaks |= moves
        pdf.discard()
    return pdf


class ReportPDF(FPDF):
    """An A4 report with a running header (not on the cover) and 'page n of N' footers."""

    chart_format = "svg"  # what `analysis.charts` draws for this writer

    def __init__(self, locale: str, title: str, running: str, generated_on: date,
                 breaks: frozenset = frozenset(), *, subject: Optional[str] = None,
                 foot: Optional[str] = None):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.locale, self.running = locale, running
        self.foot = foot or text(locale, "foot")  # the survey and its rule, left of the page
        # Widow control over two renders: blocks are numbered as they are written, and a page
        # break goes before each block in `breaks` (see `short_tails`).
        self.breaks, self.blocks, self.chapters = breaks, [], []
        self.blank_page = False  # the page the table of contents left empty for a chapter
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, BOTTOM)
        for style, filename in FONTS.items():
            self.add_font(FAMILY, style, str(FONT_DIR / filename))
        self.set_title(title)
        self.set_subject(subject or "Survei Kepuasan Masyarakat (SKM), PermenPANRB 14/2017")
        self.set_creator("SUARA")
        self.set_lang(locale)
        # The report's own date, not the clock: the same data gives the same file.
        self.set_creation_date(datetime.combine(generated_on, datetime.min.time(),
                                                timezone.utc))
        self.set_font(FAMILY, "", BODY_SIZE)
        self.set_text_color(*INK)

    def header(self) -> None:
        """Write the running header (unit and period) above a thin rule."""
        if self.page_no() == 1:
            return
        self.set_xy(MARGIN, 10)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W, 4, self.running, align=Align.L)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, 15, PAGE_W - MARGIN, 15)
        self.set_text_color(*INK)
        self.set_xy(MARGIN, TOP)
        self.set_font(FAMILY, "", BODY_SIZE)

    def footer(self) -> None:
        """Write the regulation and 'page n of N' at the foot of every page but the cover."""
        if self.page_no() == 1:
            return
        self.set_xy(MARGIN, PAGE_H - 12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(CONTENT_W / 2, 4, self.foot, align=Align.L)
        self.cell(CONTENT_W / 2, 4, text(self.locale, "page", page=self.page_no(),
                                         nb=self.str_alias_nb_pages), align=Align.R)
        self.set_text_color(*INK)

    def discard(self) -> None:
        """Close the font files of a layout that will not be written out."""
        for font in self.fonts.values():
            if hasattr(font, "close"):
                font.close()

    def ensure_space(self, height: float) -> None:
        """Start a new page unless `height` mm still fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def block(self, kind: str, keep: float = 0.0) -> None:
        """Begin a block that stays together with `keep` mm; break first if told to."""
        if len(self.blocks) in self.breaks:
            self.add_page()
        else:
            self.ensure_space(keep)
        self.blocks.append((kind, self.page_no(), self.get_y()))

    def end_chapter(self, page_follows: bool = True) -> None:
        """Close the open chapter: where it ended, and whether a new page follows it."""
        if self.chapters and self.chapters[-1][2] is None:
            first, page, _ = self.chapters[-1]
            self.chapters[-1] = (first, page, (self.page_no(), self.get_y(), page_follows))

    def short_tails(self) -> frozenset:
        """Return the blocks to move to the next page so that no chapter ends with fewer than
        TAIL_LINES lines alone on its last page (the report's last chapter excepted)."""
        self.end_chapter(page_follows=False)
        need = TAIL_LINES * line_height(BODY_SIZE)
        moves = set()
        for first, page, (last_page, y, page_follows) in self.chapters:
            if not page_follows or last_page == page or y - TOP >= need:
                continue
            # The latest block before the last page that carries enough with it.
            before = [k for k in range(first + 1, len(self.blocks))
                      if self.blocks[k][1] < last_page]
            enough = [k for k in before
                      if self.page_break_trigger - self.blocks[k][2] + y - TOP >= need]
            k = max(enough or before[:1], default=None)
            if k is not None and k > first + 1 and self.blocks[k - 1][0] == "heading":
                k -= 1  # a heading goes with what it heads
            if k is not None:
                moves.add(k)
        return frozenset(moves)

    def chapter(self, title: str, new_page: bool = True) -> None:
        """Start a chapter (BAB), on a new page unless told otherwise, with a bookmark."""
        self.end_chapter(page_follows=new_page)
        if new_page and not self.blank_page:
            self.add_page()
        elif not new_page:
            self.ln(6)
        self.blank_page = False
        self.chapters.append((len(self.blocks), self.page_no(), None))
        self.start_section(title, level=0)
        self.set_font(FAMILY, "B", 15)
        self.multi_cell(CONTENT_W, line_height(15), title, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, title: str, keep: float = 30.0) -> None:
        """Write a numbered sub-heading kept together with `keep` mm of what follows."""
        self.block("heading", keep)
        self.ln(2)
        self.start_section(title, level=1)
        self.set_font(FAMILY, "B", 11.5)
        self.multi_cell(CONTENT_W, line_height(11.5), title, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.ln(1.5)

    def paragraph(self, body: str, size: float = BODY_SIZE, style: str = "",
                  colour: tuple = INK, gap: float = 2.0, indent: float = 0.0) -> None:
        """Write a left-aligned paragraph across the content width."""
        self.block("paragraph")
        self.set_font(FAMILY, style, size)
        self.set_text_color(*colour)
        self.set_x(MARGIN + indent)
        self.multi_cell(CONTENT_W - indent, line_height(size), body, new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(gap)

    def bullets(self, items: Sequence[str], numbered: bool = False,
                size: float = BODY_SIZE) -> None:
        """Write a bulleted (or numbered) list with hanging indents."""
        self.set_font(FAMILY, "", size)
        for number, item in enumerate(items, start=1):
            self.block("item", line_height(size) * 2)
            self.set_x(MARGIN + 2)
            self.cell(6, line_height(size), f"{number}." if numbered else "•")
            self.multi_cell(CONTENT_W - 8, line_height(size), item, new_x=XPos.LMARGIN,
                            new_y=YPos.NEXT)
            self.ln(0.8)
        self.ln(1.5)

    def columns(self, items: Sequence[str], size: float = BODY_SIZE) -> None:
        """Write short items in two columns, read down the left one first; a long item wraps
        within its column."""
        self.set_font(FAMILY, "", size)
        half, rows = CONTENT_W / 2, (len(items) + 1) // 2
        for row in range(rows):
            self.block("item", line_height(size) * 2)
            top, bottom = self.get_y(), self.get_y()
            for k, item in enumerate(items[row::rows]):
                self.set_xy(MARGIN + 2 + k * half, top)
                self.cell(5, line_height(size), "•")
                self.multi_cell(half - 9, line_height(size), item, new_x=XPos.LMARGIN,
                                new_y=YPos.NEXT)
                bottom = max(bottom, self.get_y())
            self.set_y(bottom + 0.6)
        self.ln(1.5)

    def chart(self, svg: bytes, width: float, x: Optional[float] = None,
              alt: str = "") -> float:
        """Embed a matplotlib SVG as vectors, `width` mm wide; return its height in mm."""
        w_pt, h_pt = svg_size(svg)
        height = width * h_pt / w_pt
        self.block("chart", height + 2)
        left = MARGIN + (CONTENT_W - width) / 2 if x is None else x
        self.image(io.BytesIO(_METADATA.sub(b"", svg)), x=left, y=self.get_y(), w=width,
                   h=height, alt_text=alt or None)
        self.set_y(self.get_y() + height + 2)
        return height

    def chart_row(self, svgs: Sequence[bytes], width: float, alts: Sequence[str] = ()) -> None:
        """Embed charts side by side, each `width` mm wide, aligned at the top."""
        heights = [width * h / w for w, h in map(svg_size, svgs)]
        self.block("chart", max(heights) + 2)
        top, gap = self.get_y(), (CONTENT_W - width * len(svgs)) / max(len(svgs) - 1, 1)
        for k, (svg, height) in enumerate(zip(svgs, heights)):
            alt = alts[k] if k < len(alts) else None
            self.image(io.BytesIO(_METADATA.sub(b"", svg)), x=MARGIN + k * (width + gap),
                       y=top, w=width, h=height, alt_text=alt)
        self.set_y(top + max(heights) + 3)

    def grid(self, headings: Sequence[str], rows: Sequence[Sequence[str]],
             widths: Sequence[float], aligns: Sequence[str], *, size: float = 8.5,
             grades: Optional[int] = None, strong: Sequence[int] = (),
             row_height: Optional[float] = None, keep: Optional[float] = None) -> None:
        """Draw a table; column `grades` is tinted by grade, rows in `strong` are bold.

        The table starts on a new page unless `keep` mm (default: three rows) fit here.
        """
        self.set_font(FAMILY, "", size)
        self.set_fill_color(255)  # cells without a style of their own stay white
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.block("table", keep or line_height(size) * 3 + 4)
        heading_style = FontFace(emphasis="BOLD", fill_color=HEAD_FILL)
        with self.table(col_widths=tuple(widths), width=sum(widths), align=Align.L,
                        text_align=tuple(aligns), line_height=line_height(size, 1.25),
                        padding=(1.0, 1.4), headings_style=heading_style,
                        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
                        min_row_height=row_height) as table:
            self._row(table, headings, None)
            for index, values in enumerate(rows):
                self._row(table, values, grades, bold=index in strong)
        self.ln(3)

    @staticmethod
    def _row(table, values, grades: Optional[int], bold: bool = False) -> None:
        """Add one table row, tinting a grade cell with its grade's colour."""
        row = table.row()
        for column, value in enumerate(values):
            style = FontFace(emphasis="BOLD") if bold else None
            if column == grades and value in GRADE_COLOURS:
                style = FontFace(emphasis="BOLD", fill_color=rgb(tint(GRADE_COLOURS[value], 0.35)))
            row.cell(str(value), style=style)
