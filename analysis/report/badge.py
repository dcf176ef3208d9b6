"""A small SVG badge of a unit's IKM and grade ("IKM | 88,99 · A") for other sites to embed."""

from decimal import Decimal
from typing import Optional
from xml.sax.saxutils import escape

from analysis.chart_style import GRADE_COLOURS, format_number, text_on

HEIGHT = 20
FONT_SIZE = 11
CHAR_WIDTH = 6.6  # px per character of DejaVu Sans/Verdana at 11 px, digits and capitals
PAD = 6
LABEL_FILL = "#555555"
NO_DATA_FILL = "#9F9F9F"


def _width(text: str) -> float:
    """Return the width in px a text gets; textLength then makes every font fit it."""
    return round(len(text) * CHAR_WIDTH, 1)


def badge_svg(konversi: Optional[Decimal], grade: Optional[str], period: str = "",
              label: str = "IKM", respondents: Optional[int] = None) -> bytes:
    """Draw the badge: a grey label and the value on the grade's colour (grey without data).

    A figure with a value but no grade is provisional (below the minimum sample): the badge
    says "sementara, n = 7" in place of the grade, on grey.
    """
    if konversi is None:
        value = "–"
    elif grade is None:
        count = "" if respondents is None else f", n = {respondents}"
        value = f"{format_number(konversi, 'id')} · sementara{count}"
    else:
        value = f"{format_number(konversi, 'id')} · {grade}"
    fill = NO_DATA_FILL if grade is None else GRADE_COLOURS[grade]
    ink = "#ffffff" if text_on(fill) == "white" else "#000000"
    left, right = _width(label) + 2 * PAD, _width(value) + 2 * PAD
    total = left + right
    title = f"{label} {value}" + (f" ({period})" if period else "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total:g}" height="{HEIGHT}" '
        f'viewBox="0 0 {total:g} {HEIGHT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{left:g}" height="{HEIGHT}" fill="{LABEL_FILL}"/>',
        f'<rect x="{left:g}" width="{right:g}" height="{HEIGHT}" fill="{fill}"/>',
        f'<g font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="{FONT_SIZE}" '
        'text-anchor="middle">',
        _text(left / 2, label, "#ffffff"),
        _text(left + right / 2, value, ink, bold=True),
        "</g></svg>",
    ]
    return "".join(parts).encode()


def _text(x: float, content: str, colour: str, bold: bool = False) -> str:
    """Return one centred text of the badge, squeezed or stretched to its computed width."""
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:g}" y="14" fill="{colour}"{weight} textLength="{_width(content):g}" '
            f'lengthAdjust="spacingAndGlyphs">{escape(content)}</text>')
