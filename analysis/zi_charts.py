"""The chart of the SPKP/SPAK report: the mean of each statement on its own answer scale."""

from collections.abc import Sequence
from typing import Optional

from analysis.chart_style import (GRADE_COLOURS, check_lengths, check_number, check_options,
                                  format_number, new_figure, render, set_title, shorten,
                                  tick_formatter)

AXIS = {"id": "Rata-rata (skala 1\u2013{scale})", "en": "Mean (scale 1\u2013{scale})"}


def item_means_bars(codes: Sequence[str], texts: Sequence[str], means: Sequence[float],
                    bands: Sequence[str], scale_max: int, locale: str = "id", *,
                    title: Optional[str] = None, fmt: str = "svg") -> bytes:
    """Draw each statement's mean (1..scale_max) as a bar in the colour of its band."""
    check_options(locale, fmt)
    n = check_lengths(codes=codes, texts=texts, means=means, bands=bands)
    if n == 0:
        raise ValueError("need at least one statement, got 0")
    if scale_max < 2:
        raise ValueError(f"scale_max must be >= 2, got {scale_max!r}")
    values = [check_number(v, f"means[{i}]", 1, scale_max) for i, v in enumerate(means)]
    for band in bands:
        if band not in GRADE_COLOURS:
            raise ValueError(f"unknown band {band!r}; expected one of {tuple(GRADE_COLOURS)}")
    labels = [f"{code} {shorten(text, 44)}" for code, text in zip(codes, texts)]
    return render(fmt, lambda: _bars(labels, values, list(bands), scale_max, locale, title))


def _bars(labels, values, bands, scale_max, locale, title):
    """Build the figure: label above each bar, value on the right, scale ticks below."""
    from matplotlib.transforms import blended_transform_factory

    n = len(values)
    fig = new_figure(0.6 + 0.44 * n)
    ax = fig.add_subplot()
    rows = [i + 0.2 for i in range(n)]
    ax.barh(rows, [v - 1 for v in values], left=1, height=0.4,
            color=[GRADE_COLOURS[b] for b in bands], lw=0, zorder=2)
    edge = blended_transform_factory(ax.transAxes, ax.transData)
    for i, (label, value) in enumerate(zip(labels, values)):
        ax.text(0, i - 0.28, label, transform=edge, va="center", fontsize=8.5)
        ax.text(1, i - 0.28, format_number(value, locale, 3), transform=edge, va="center",
                ha="right", fontsize=8.5, fontweight="bold")
    ax.set(xlim=(1, scale_max), ylim=(n - 0.45, -0.6), yticks=[])
    ax.set_xticks(list(range(1, scale_max + 1)))
    ax.xaxis.set_major_formatter(tick_formatter(locale))
    ax.set_xlabel(AXIS[locale].format(scale=scale_max))
    ax.spines["left"].set_visible(False)
    set_title(ax, title)
    return fig
