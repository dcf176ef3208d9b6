"""Charts of the IKM for dashboards and reports: plain numbers in, image bytes out.

Every chart is a ``matplotlib.figure.Figure`` built directly (never pyplot) and
returned as SVG (default), PNG or PDF bytes.  Labels are Bahasa Indonesia by
default (``locale="en"`` for English) with Indonesian number format (88,31).
Grade bands and colours follow PermenPANRB 14/2017 (see ``chart_style``).
"""

import math
from collections.abc import Mapping, Sequence
from typing import Optional

from analysis.chart_style import (
    ANSWER_COLOURS, DASH, EMPTY, FAINT, GRADE_COLOURS, GRADES, INK, NEUTRAL, SCALE, TEXTS,
    WIDTH, check_grade, check_intervals, check_lengths, check_number, check_optional,
    check_options, check_value_counts, count_label, format_number, format_percent, grade_bands,
    grade_label, grade_of, new_figure, render, set_title, shade_bands, shorten, text_on,
    tick_formatter, tint, value_range)
from analysis.ikm import KONVERSI_FACTOR, whole

__all__ = ["index_gauge", "element_bars", "trend_line", "answer_distribution", "ranking",
           "grade_distribution", "heatmap", "profile_bars", "format_number", "GRADE_COLOURS"]


def index_gauge(konversi: float, grade: Optional[str], locale: str = "id", *,
                title: Optional[str] = None, fmt: str = "svg") -> bytes:
    """Draw the IKM konversi on the 25-100 scale of grade bands, with value and grade
    (grade None: a provisional figure, below the minimum sample, labelled so, no grade)."""
    check_options(locale, fmt)
    if grade is not None:
        check_grade(grade)
    value = check_number(konversi, "konversi")
    return render(fmt, lambda: _gauge(value, grade, locale, title))


def _gauge(value: float, grade: str, locale: str, title: Optional[str]):
    """Build the gauge figure."""
    fig = new_figure(1.35)
    ax = fig.add_subplot()
    for letter, start, end in grade_bands():
        colour = GRADE_COLOURS[letter]
        ax.barh(0, end - start, left=start, height=0.8, color=colour, lw=0)
        ax.text((start + end) / 2, 0, letter, ha="center", va="center",
                color=text_on(colour), fontweight="bold", fontsize=10)
    mark = min(max(value, SCALE[0]), SCALE[1])
    ax.vlines(mark, -0.55, 0.55, color="white", lw=4.5, zorder=3)
    ax.vlines(mark, -0.55, 0.55, color=INK, lw=2, zorder=4)
    ax.plot([mark], [0.82], marker="v", markersize=9, color=INK, clip_on=False, zorder=4)
    shown = grade or ("provisional" if locale == "en" else "sementara")
    ax.text(SCALE[0], 1.25, f"{format_number(value, locale)} \u00b7 {shown}", fontsize=22,
            fontweight="bold", va="bottom", ha="left")
    if grade is not None:
        ax.text(SCALE[1], 1.3, grade_label(grade, locale), fontsize=11, va="bottom",
                ha="right", color=GRADE_COLOURS[grade], fontweight="bold")
    ticks = [SCALE[0]] + [start for _, start, _ in grade_bands()][1:] + [SCALE[1]]
    ax.set_xticks(ticks, [format_number(t, locale, 0 if t.is_integer() else 2) for t in ticks])
    ax.tick_params(axis="x", length=3, labelsize=8)
    ax.set(xlim=SCALE, ylim=(-0.4, 2.25), yticks=[])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    set_title(ax, title)
    return fig


def element_bars(codes: Sequence[str], names: Sequence[str], nrr: Sequence[float],
                 low: Optional[Sequence] = None, high: Optional[Sequence] = None,
                 locale: str = "id", *, title: Optional[str] = None,
                 fmt: str = "svg", graded: bool = True) -> bytes:
    """Draw NRR per element (1-4) as bars with CI whiskers and grade thresholds; graded=False
    (a provisional figure) leaves the grade letter out of each value."""
    check_options(locale, fmt)
    n = check_lengths(codes=codes, names=names, nrr=nrr)
    if n == 0:
        raise ValueError("need at least one element, got 0")
    values = [check_number(v, f"nrr[{i}]", 1, 4) for i, v in enumerate(nrr)]
    lows, highs = check_intervals(low, high, n)
    labels = [f"{code} {name}" for code, name in zip(codes, names)]
    return render(fmt, lambda: _element_bars(labels, values, lows, highs, locale, title, graded))


def _element_bars(labels, values, lows, highs, locale, title, graded=True):
    """Build the element bars figure: label line above each bar, value on the right."""
    from matplotlib.transforms import blended_transform_factory

    n = len(values)
    fig = new_figure(0.75 + 0.44 * n)
    ax = fig.add_subplot()
    rows = [i + 0.2 for i in range(n)]
    grades = [grade_of(v * KONVERSI_FACTOR) for v in values]
    ax.barh(rows, [v - 1 for v in values], left=1, height=0.4,
            color=[GRADE_COLOURS[g] for g in grades], lw=0, zorder=2)
    for row, value, lo, hi in zip(rows, values, lows, highs):
        if lo is not None:
            ax.errorbar(value, row, xerr=[[value - max(lo, 1)], [min(hi, 4) - value]],
                        fmt="none", ecolor=INK, elinewidth=1, capsize=2.5, zorder=3)
    for letter, start, end in grade_bands():
        left, right = max(start / KONVERSI_FACTOR, 1), end / KONVERSI_FACTOR
        if left > 1:
            ax.axvline(left, color=FAINT, lw=0.7, ls=(0, (2, 2)), zorder=1)
        ax.text((left + right) / 2, -0.7, letter, color=GRADE_COLOURS[letter],
                fontweight="bold", ha="center", va="bottom", fontsize=8.5)
    edge = blended_transform_factory(ax.transAxes, ax.transData)
    for i, (label, value, grade) in enumerate(zip(labels, values, grades)):
        ax.text(0, i - 0.28, shorten(label, 46), transform=edge, va="center", fontsize=8.5)
        shown = f"{format_number(value, locale)}" + (f" \u00b7 {grade}" if graded else "")
        ax.text(1, i - 0.28, shown, transform=edge,
                va="center", ha="right", fontsize=8.5, fontweight="bold")
    ax.set(xlim=(1, 4), ylim=(n - 0.45, -0.7), yticks=[])
    ax.set_xticks([1, 2, 3, 4])
    ax.xaxis.set_major_formatter(tick_formatter(locale))
    ax.set_xlabel(TEXTS[locale]["nrr"])
    ax.spines["left"].set_visible(False)
    set_title(ax, title)
    return fig


def trend_line(labels: Sequence[str], konversi: Sequence[Optional[float]],
               low: Optional[Sequence] = None, high: Optional[Sequence] = None,
               locale: str = "id", *, title: Optional[str] = None,
               fmt: str = "svg") -> bytes:
    """Draw IKM konversi per period with CI whiskers over faint grade bands."""
    check_options(locale, fmt)
    n = check_lengths(labels=labels, konversi=konversi)
    if n == 0:
        raise ValueError("need at least one period, got 0")
    values = check_optional(konversi, n, "konversi")
    lows, highs = check_intervals(low, high, n)
    return render(fmt, lambda: _trend(list(labels), values, lows, highs, locale, title))


def _trend(labels, values, lows, highs, locale, title):
    """Build the trend figure."""
    from matplotlib.ticker import MaxNLocator

    n = len(values)
    fig = new_figure(2.6)
    ax = fig.add_subplot()
    lows = [None if lo is None else max(lo, SCALE[0]) for lo in lows]
    highs = [None if hi is None else min(hi, SCALE[1]) for hi in highs]
    bottom, top = value_range(values + lows + highs, pad=2.0)
    top = min(top + (top - bottom) * 0.12, SCALE[1])  # room for the value labels
    shade_bands(ax, "y", bottom, top)
    xs = range(n)
    ax.plot(xs, [math.nan if v is None else v for v in values], color=NEUTRAL, lw=1.5,
            zorder=2)
    _trend_points(ax, values, lows, highs, locale)
    step = math.ceil(n / 10)  # at most ten labels fit 4 inches when rotated
    ax.set_xticks(list(xs)[::step], [shorten(label, 12) for label in labels[::step]])
    if n > 5:
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set(ha="right", rotation_mode="anchor")
    ax.set(xlim=(-0.5, n - 0.5), ylim=(bottom, top))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(tick_formatter(locale))
    ax.set_ylabel(TEXTS[locale]["konversi"])
    set_title(ax, title)
    return fig


def _trend_points(ax, values, lows, highs, locale) -> None:
    """Draw each period's point in its grade colour, its CI whisker and its value."""
    n = len(values)
    for x, value, lo, hi in zip(range(n), values, lows, highs):
        if value is None:
            continue
        if lo is not None:
            ax.vlines(x, lo, hi, color=INK, lw=1, zorder=3)
            ax.hlines([lo, hi], x - 0.06, x + 0.06, color=INK, lw=1, zorder=3)
        ax.plot([x], [value], "o", ms=6.5 if n <= 12 else 4.5, mec="white", mew=1,
                color=GRADE_COLOURS[grade_of(value)], zorder=4)
        if n <= 8:  # more labels would collide at 4 inches
            ax.annotate(format_number(value, locale), (x, value if hi is None else hi),
                        xytext=(0, 4), textcoords="offset points", ha="center",
                        va="bottom", fontsize=7.5, zorder=5)


def answer_distribution(codes: Sequence[str], counts_per_value: Sequence[Sequence[int]],
                        locale: str = "id", *, answer_labels: Optional[Sequence[str]] = None,
                        title: Optional[str] = None, fmt: str = "svg") -> bytes:
    """Draw each element's answers 1-4 as a 100 % stacked bar, bad (red) to good (blue)."""
    check_options(locale, fmt)
    n = check_lengths(codes=codes, counts_per_value=counts_per_value)
    if n == 0:
        raise ValueError("need at least one element, got 0")
    rows = [check_value_counts(row, f"counts_per_value[{i}]")
            for i, row in enumerate(counts_per_value)]
    legend = tuple(answer_labels or TEXTS[locale]["answers"])
    if len(legend) != 4:
        raise ValueError(f"answer_labels needs 4 labels, got {legend!r}")
    return render(fmt, lambda: _answers(list(codes), rows, legend, locale, title))


def _answers(codes, rows, legend, locale, title):
    """Build the stacked answer bars."""
    from matplotlib.patches import Patch
    from matplotlib.transforms import blended_transform_factory

    fig = new_figure(1.0 + 0.3 * len(rows))
    ax = fig.add_subplot()
    edge = blended_transform_factory(ax.transAxes, ax.transData)
    for y, row in enumerate(rows):
        total, left = sum(row), 0.0
        ax.text(1.02, y, f"n={format_number(total, locale, 0)}", transform=edge,
                va="center", fontsize=7.5, color=NEUTRAL)
        if not total:
            ax.barh(y, 100, color=EMPTY, height=0.7, lw=0)
            continue
        for count, colour in zip(row, ANSWER_COLOURS):
            share = 100 * count / total
            ax.barh(y, share, left=left, color=colour, height=0.7, lw=0.6,
                    edgecolor="white")
            if share >= 8:
                ax.text(left + share / 2, y, format_percent(count, total, locale, 0),
                        ha="center", va="center", fontsize=7.5, color=text_on(colour))
            left += share
    ax.set_yticks(range(len(rows)), [shorten(code, 10) for code in codes])
    ax.set(xlim=(0, 100), ylim=(len(rows) - 0.5, -0.5))
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(tick_formatter(locale, suffix="%"))
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    handles = [Patch(color=colour) for colour in ANSWER_COLOURS]
    fig.legend(handles, [shorten(label, 16) for label in legend], loc="outside upper center",
               ncols=4, handlelength=0.9, handletextpad=0.35, columnspacing=0.8,
               fontsize=7.5)
    set_title(ax, title)
    return fig


def ranking(names: Sequence[str], konversi: Sequence[float], low: Optional[Sequence],
            high: Optional[Sequence], grades: Sequence[str], locale: str = "id",
            highlight: Optional[str] = None, *, title: Optional[str] = None,
            fmt: str = "svg") -> bytes:
    """Draw units as dots with CI whiskers, best on top, coloured by grade."""
    check_options(locale, fmt)
    n = check_lengths(names=names, konversi=konversi, grades=grades)
    if n == 0:
        raise ValueError("need at least one unit, got 0")
    if highlight is not None and highlight not in names:
        raise ValueError(f"highlight {highlight!r} is not one of the names")
    values = [check_number(v, f"konversi[{i}]") for i, v in enumerate(konversi)]
    lows, highs = check_intervals(low, high, n)
    rows = sorted(zip(values, names, lows, highs,
                      [None if g is None else check_grade(g) for g in grades]),
                  key=lambda row: (-row[0], str(row[1])))
    return render(fmt, lambda: _ranking(rows, locale, highlight, title))


def _ranking(rows, locale, highlight, title):
    """Build the ranking figure from rows sorted best first."""
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    n = len(rows)
    fig = new_figure(0.85 + 0.2 * n)
    ax = fig.add_subplot()
    values, names, lows, highs, grades = zip(*rows)
    low, high = value_range([*values, *lows, *highs], pad=1.5, min_span=10)
    shade_bands(ax, "x", low, high)
    for y in (y for y, name in enumerate(names) if name == highlight):
        ax.axhspan(y - 0.5, y + 0.5, color="#FFF1B8", lw=0, zorder=0.5)
    whiskers = [(y, max(lo, low), min(hi, high)) for y, (lo, hi) in enumerate(zip(lows, highs))
                if lo is not None and hi is not None]
    if whiskers:
        ax.hlines(*zip(*whiskers), color=NEUTRAL, lw=1.1, zorder=2)
    ax.scatter(values, range(n), s=30, c=[GRADE_COLOURS.get(g, NEUTRAL) for g in grades],
               edgecolors="white", linewidths=0.8, zorder=3)
    edge = blended_transform_factory(ax.transAxes, ax.transData)
    for y, (value, name) in enumerate(zip(values, names)):  # texts: far cheaper than ticks
        weight = "bold" if name == highlight else "normal"
        ax.text(-0.02, y, f"{y + 1}. {shorten(name, 26)}", transform=edge, va="center",
                ha="right", fontsize=7.5, fontweight=weight)
        ax.text(1.02, y, format_number(value, locale), transform=edge, va="center",
                fontsize=7.5, fontweight=weight)
    ax.set(xlim=(low, high), ylim=(n - 0.5, -0.5), yticks=[])
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(tick_formatter(locale))
    ax.set_xlabel(TEXTS[locale]["konversi"])
    ax.spines["left"].set_visible(False)
    set_title(ax, title)
    return fig


def grade_distribution(counts: Mapping[str, int], locale: str = "id", *,
                       title: Optional[str] = None, fmt: str = "svg") -> bytes:
    """Draw the number of units per grade A-D with counts and shares."""
    check_options(locale, fmt)
    unknown = set(counts) - set(GRADES)
    if unknown:
        raise ValueError(f"counts keys must be grades {GRADES}, got {sorted(unknown)!r}")
    numbers = [whole(counts.get(g, 0), f"counts[{g!r}]") for g in GRADES]
    if any(number < 0 for number in numbers):
        raise ValueError(f"counts must be >= 0, got {dict(counts)!r}")
    return render(fmt, lambda: _grades(numbers, locale, title))


def _grades(numbers, locale, title):
    """Build the grade distribution bars."""
    fig = new_figure(2.3)
    ax = fig.add_subplot()
    total = sum(numbers)
    ax.bar(range(4), numbers, width=0.62, color=[GRADE_COLOURS[g] for g in GRADES], lw=0)
    for x, number in enumerate(numbers):
        ax.annotate(count_label(number, total, locale, "\n"), (x, number),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                    fontsize=8, linespacing=1.1)
    ax.set_xticks(range(4), [f"{g}\n{grade_label(g, locale)}" for g in GRADES])
    ax.tick_params(axis="x", length=0)
    ax.set_ylim(0, max(numbers + [1]) * 1.35)
    ax.set_yticks([])
    ax.set_ylabel(TEXTS[locale]["units"])
    ax.spines["left"].set_visible(False)
    set_title(ax, title)
    return fig


def heatmap(row_labels: Sequence[str], column_labels: Sequence[str],
            values: Sequence[Sequence[Optional[float]]], locale: str = "id", *,
            title: Optional[str] = None, fmt: str = "svg") -> bytes:
    """Draw a table of konversi (e.g. province x period) coloured by grade band."""
    check_options(locale, fmt)
    n_rows = check_lengths(row_labels=row_labels, values=values)
    n_columns = len(column_labels)
    if n_rows == 0 or n_columns == 0:
        raise ValueError(f"need at least one row and one column, got {n_rows} x {n_columns}")
    cells = [check_optional(row, n_columns, f"values[{i}]") for i, row in enumerate(values)]
    return render(fmt, lambda: _heatmap(list(row_labels), list(column_labels), cells,
                                        locale, title))


def _heatmap(rows, columns, cells, locale, title):
    """Build the heatmap figure from vector rectangles."""
    from matplotlib.patches import Patch

    fig = new_figure(1.0 + 0.24 * len(rows), max(WIDTH, 1.7 + 0.55 * len(columns)))
    ax = fig.add_subplot()
    for j in range(len(columns)):
        colours = [EMPTY if row[j] is None else tint(GRADE_COLOURS[grade_of(row[j])], 0.6)
                   for row in cells]
        ax.barh(range(len(rows)), 1, left=j - 0.5, height=1, color=colours,
                edgecolor="white", lw=1)
        for i, row in enumerate(cells):
            text = DASH if row[j] is None else format_number(row[j], locale)
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5,
                    color=FAINT if row[j] is None else INK)
    ax.set(xlim=(-0.5, len(columns) - 0.5), ylim=(len(rows) - 0.5, -0.5))
    ax.set_yticks(range(len(rows)), [shorten(label, 22) for label in rows])
    ax.set_xticks(range(len(columns)), [shorten(label, 12) for label in columns])
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=7.5)
    if len(columns) > 4:
        ax.tick_params(axis="x", labelrotation=45)
        for tick in ax.get_xticklabels():
            tick.set(ha="left", rotation_mode="anchor")
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Patch(color=tint(GRADE_COLOURS[g], 0.6)) for g in GRADES]
    fig.legend(handles, [f"{g} {grade_label(g, locale)}" for g in GRADES],
               loc="outside lower center", ncols=4, handlelength=0.9, handletextpad=0.35,
               columnspacing=0.8, fontsize=7.5)
    set_title(ax, title)
    return fig


def profile_bars(title: Optional[str], labels: Sequence[str], counts: Sequence[int],
                 locale: str = "id", *, fmt: str = "svg") -> bytes:
    """Draw respondent profile counts (gender, age band, ...) with percentages."""
    check_options(locale, fmt)
    n = check_lengths(labels=labels, counts=counts)
    if n == 0:
        raise ValueError("need at least one category, got 0")
    numbers = [whole(count, f"counts[{i}]") for i, count in enumerate(counts)]
    if any(number < 0 for number in numbers):
        raise ValueError(f"counts must be >= 0, got {list(counts)!r}")
    return render(fmt, lambda: _profile(title, list(labels), numbers, locale))


def _profile(title, labels, numbers, locale):
    """Build the profile bars in the given category order."""
    fig = new_figure(0.55 + 0.28 * len(numbers))
    ax = fig.add_subplot()
    total = sum(numbers)
    ax.barh(range(len(numbers)), numbers, height=0.62, color=NEUTRAL, lw=0)
    for y, number in enumerate(numbers):
        ax.annotate(count_label(number, total, locale, " ", "({})"), (number, y),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(numbers)), [shorten(label, 24) for label in labels])
    ax.set(xlim=(0, max(numbers + [1]) * 1.4), ylim=(len(numbers) - 0.5, -0.5), xticks=[])
    ax.tick_params(axis="y", length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    set_title(ax, title)
    return fig
