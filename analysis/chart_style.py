"""Shared look of the SUARA charts: palette, number format, texts and rendering.

Grade colours are Okabe & Ito's colour-blind-safe palette (2008), cold for good
and warm for poor: A blue, B bluish green, C orange, D vermillion.  Answer
values 1..4 use ColorBrewer's 4-class RdBu, a diverging scheme marked safe for
colour-blind readers, so answers never borrow a grade's colour.

Matplotlib is not thread-safe and savefig reads rcParams, so every chart is
built and saved under one lock inside an ``rc_context`` reset to matplotlib's
defaults: a chart looks the same whatever matplotlibrc the server has.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Optional

from analysis.ikm import PERMENPANRB_14_2017, SCHEMES, grade_for, round_half_up, whole

if TYPE_CHECKING:  # matplotlib loads on the first chart: texts and colours need none of it
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

FORMATS = ("svg", "png", "pdf")
LOCALES = ("id", "en")
SCALE = (25.0, 100.0)  # the konversi scale
WIDTH = 4.0  # inches: 288 pt, so a 9 pt label is about 11 px on a 360 px phone screen
PNG_DPI = 180  # 720 px wide: sharp on a 2x phone screen
GRADES = ("A", "B", "C", "D")
GRADE_COLOURS = MappingProxyType({
    "A": "#0072B2",  # Okabe-Ito blue
    "B": "#009E73",  # Okabe-Ito bluish green
    "C": "#E69F00",  # Okabe-Ito orange
    "D": "#D55E00",  # Okabe-Ito vermillion
})
ANSWER_COLOURS = ("#CA0020", "#F4A582", "#92C5DE", "#0571B0")  # ColorBrewer RdBu, 1..4
NEUTRAL = "#5B6770"
INK = "#222222"
FAINT = "#8A8A8A"
EMPTY = "#E6E6E6"
DASH = "\u2013"

_SCHEME = SCHEMES[PERMENPANRB_14_2017]
# Lower bound of each grade on the konversi scale (25..100), best first, as floats.
GRADE_BOUNDS = tuple((grade.letter, float(lower)) for lower, grade in _SCHEME)
_GRADE_BY_LETTER = MappingProxyType({grade.letter: grade for _, grade in _SCHEME})

TEXTS = MappingProxyType({
    "id": MappingProxyType({
        "answers": ("1 Tidak baik", "2 Kurang baik", "3 Baik", "4 Sangat baik"),
        "nrr": "NRR (skala 1\u20134)", "konversi": "IKM konversi (25\u2013100)",
        "units": "Jumlah unit",
    }),
    "en": MappingProxyType({
        "answers": ("1 Poor", "2 Fair", "3 Good", "4 Very good"),
        "nrr": "NRR (scale 1\u20134)", "konversi": "IKM konversi (25\u2013100)",
        "units": "Number of units",
    }),
})

RC = MappingProxyType({
    # Text stays text: about a third of the size of glyph paths, selectable, read
    # by screen readers, and anchored (text-anchor) so a narrower browser font
    # (Roboto, Arial) keeps alignment; the width was measured with DejaVu Sans,
    # one of the widest, so a substitute font never overflows.
    "svg.fonttype": "none",
    "svg.hashsalt": "suara-charts",  # stable clip-path ids: same input, same bytes
    # pdf.fonttype stays 3: its PDFs carry a ToUnicode map (text is searchable) and
    # render three times faster than Type 42, whose fontTools subsetting costs ~150 ms.
    "font.family": "sans-serif",
    "font.sans-serif": ("DejaVu Sans",),  # SVG: "font-family: 'DejaVu Sans', sans-serif"
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "axes.labelcolor": INK,
    "axes.edgecolor": FAINT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "legend.fontsize": 8,
    "legend.frameon": False,
})
_METADATA = MappingProxyType({
    "svg": {"Date": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None},
})
_LOCK = threading.Lock()  # matplotlib (and its global rcParams) is not thread-safe


def check_options(locale: str, fmt: str) -> None:
    """Refuse an unknown locale or output format."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown fmt {fmt!r}; expected one of {FORMATS}")


def format_number(value, locale: str = "id", places: int = 2) -> str:
    """Format a number rounded half-up, with comma decimals in Indonesian; None is a dash."""
    if value is None:
        return DASH
    if isinstance(value, float):
        value = float(value)  # numpy floats repr as "np.float64(...)"
    rounded = round_half_up(value, places)
    text = f"{rounded:,.{places}f}"
    if locale == "id":
        text = text.translate(str.maketrans(",.", ".,"))
    return text


def format_percent(part, whole, locale: str = "id", places: int = 1) -> str:
    """Format part/whole as a percentage such as 41,4%; a dash when whole is 0."""
    if not whole:
        return DASH
    return format_number(Decimal(part) * 100 / Decimal(whole), locale, places) + "%"


def tick_formatter(locale: str, suffix: str = "") -> FuncFormatter:
    """Return an axis formatter: format_number with no needless zeros (2,5 not 2,50)."""
    from matplotlib.ticker import FuncFormatter

    def tick(value, _pos):
        text = format_number(float(value), locale, 2)
        decimal = "," if locale == "id" else "."
        return text.rstrip("0").rstrip(decimal) + suffix
    return FuncFormatter(tick)


def grade_of(konversi) -> str:
    """Return the grade letter of a konversi value (PermenPANRB 14/2017)."""
    return grade_for(konversi).letter


def check_grade(grade: str) -> str:
    """Return a grade letter A-D or refuse it."""
    if grade not in GRADE_COLOURS:
        raise ValueError(f"grade must be one of {GRADES}, got {grade!r}")
    return grade


def grade_label(grade: str, locale: str) -> str:
    """Return the performance label (kinerja unit) of a grade letter."""
    return _GRADE_BY_LETTER[check_grade(grade)].label(locale)


def grade_bands():
    """Yield (letter, start, end) of each grade band on the konversi scale, worst first."""
    ends = [100.0] + [bound for _, bound in GRADE_BOUNDS[:-1]]
    for (letter, start), end in reversed(list(zip(GRADE_BOUNDS, ends))):
        yield letter, start, end


def _luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a #RRGGBB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """Return black or white, whichever contrasts more with the fill colour."""
    lum = _luminance(colour)
    return "white" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.05) else "black"


def tint(colour: str, amount: float) -> str:
    """Return the colour mixed with white; amount 1 keeps it, 0 gives white."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * amount) for c in channels]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def shorten(text: str, limit: int) -> str:
    """Cut text to at most limit characters, ending with an ellipsis when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit - 1].rstrip(" ,.;:-") + "\u2026"


def check_lengths(**sequences) -> int:
    """Return the common length of the named sequences or say which one differs."""
    lengths = {name: len(values) for name, values in sequences.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"sequences must have equal lengths, got {lengths}")
    return next(iter(lengths.values()), 0)


def new_figure(height: float, width: float = WIDTH) -> Figure:
    """Create a figure (never through pyplot) with a constrained layout."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def render(fmt: str, build: Callable[[], Figure]) -> bytes:
    """Build a figure under the chart style and return it rendered as fmt bytes."""
    import matplotlib

    buffer = io.BytesIO()
    with _LOCK, matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(RC)
        build().savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=dict(_METADATA[fmt]))
    return buffer.getvalue()


def check_number(value, name: str, low: float = 0.0, high: float = 100.0) -> float:
    """Return value as a finite float within low..high or say what is wrong."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"{name} must be within {low:g}..{high:g}, got {value!r}")
    return number


def check_optional(values, n: int, name: str, low: float = 0.0, high: float = 100.0) -> list:
    """Return n optional numbers (None stays None); values None means all None."""
    values = [None] * n if values is None else list(values)
    check_lengths(**{name: values, "values": range(n)})
    return [None if v is None else check_number(v, f"{name}[{i}]", low, high)
            for i, v in enumerate(values)]


def check_intervals(low, high, n: int) -> tuple[list, list]:
    """Return n (low, high) interval ends; a pair with a None end becomes (None, None)."""
    lows = check_optional(low, n, "low", -math.inf, math.inf)
    highs = check_optional(high, n, "high", -math.inf, math.inf)
    for i, (lo, hi) in enumerate(zip(lows, highs)):
        if lo is None or hi is None:
            lows[i] = highs[i] = None
        elif lo > hi:
            raise ValueError(f"low[{i}] = {lo!r} is above high[{i}] = {hi!r}")
    return lows, highs


def set_title(ax, title: Optional[str]) -> None:
    """Put the optional title above the axes, left-aligned."""
    if title:
        ax.set_title(title, pad=10)


def value_range(values, pad: float = 3.0, min_span: float = 15.0) -> tuple[float, float]:
    """Return an axis range around values, at least min_span wide, within 25..100."""
    values = [v for v in values if v is not None and not math.isnan(v)] or list(SCALE)
    low, high = min(values) - pad, max(values) + pad
    if high - low < min_span:
        middle = (low + high) / 2
        low, high = middle - min_span / 2, middle + min_span / 2
    low, high = max(low, SCALE[0]), min(high, SCALE[1])
    if high - low < min_span:
        low, high = (low, low + min_span) if low == SCALE[0] else (high - min_span, high)
    return low, high


def shade_bands(ax, axis: str, low: float, high: float) -> None:
    """Shade the grade bands faintly along axis "x" or "y" and letter them at the edge."""
    from matplotlib.transforms import blended_transform_factory

    vertical = axis == "y"
    span = ax.axhspan if vertical else ax.axvspan
    edge = (blended_transform_factory(ax.transAxes, ax.transData) if vertical
            else blended_transform_factory(ax.transData, ax.transAxes))
    for letter, start, end in grade_bands():
        colour = GRADE_COLOURS[letter]
        span(start, end, color=colour, alpha=0.09, lw=0, zorder=0)
        seen_low, seen_high = max(start, low), min(end, high)
        if seen_high - seen_low < (high - low) * 0.06:
            continue  # too thin a sliver to carry a letter
        middle = (seen_low + seen_high) / 2
        ax.text(*((1.01, middle) if vertical else (middle, 1.01)), letter, transform=edge,
                color=colour, fontweight="bold", fontsize=8.5,
                ha="left" if vertical else "center", va="center" if vertical else "bottom")


def count_label(number: int, total: int, locale: str, sep: str, wrap: str = "{}") -> str:
    """Write a count with its share of the total; the count alone when the total is 0."""
    count = format_number(number, locale, 0)
    if not total:
        return count
    return count + sep + wrap.format(format_percent(number, total, locale))


def check_value_counts(row, name: str) -> tuple[int, int, int, int]:
    """Return one element's answer counts for values 1..4, checked."""
    row = tuple(row)
    if len(row) != 4:
        raise ValueError(f"{name} needs 4 counts (answers 1..4), got {row!r}")
    counts = tuple(whole(count, name) for count in row)
    if any(count < 0 for count in counts):
        raise ValueError(f"{name} counts must be >= 0, got {row!r}")
    return counts
