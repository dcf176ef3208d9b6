"""Tests of analysis.charts: valid, deterministic bytes in every format, and the right numbers.

Grade bounds come from PermenPANRB 14/2017 as DESIGN.md section 2 lists them: konversi
64.99 D, 65.00 C, 76.60 C, 76.61 B, 88.30 B, 88.31 A (NRR = konversi / 25).
"""

import io
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib import image

from analysis import charts
from analysis.chart_style import (
    ANSWER_COLOURS, EMPTY, GRADE_COLOURS, PNG_DPI, WIDTH, format_number, format_percent, grade_of,
    shorten, text_on, tint,
)
from analysis.elements import ELEMENTS

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CODES = [element.code for element in ELEMENTS]
NAMES = [element.name_id for element in ELEMENTS]
# Kanwil Kemenag Sulawesi Barat (DESIGN.md section 2): n = 29, element sums / 29.
NRR = [total / 29 for total in (105, 101, 100, 116, 102, 105, 106, 105, 115)]

CHARTS = {
    "index_gauge": lambda **kw: charts.index_gauge(88.31, "A", **kw),
    "element_bars": lambda **kw: charts.element_bars(
        CODES, NAMES, NRR, [v - 0.2 for v in NRR], [v + 0.2 for v in NRR], **kw),
    "trend_line": lambda **kw: charts.trend_line(
        ["2025-S1", "2025-S2", "2026-S1"], [84.1, 88.31, 91.48], [81.0, None, 89.2],
        [87.2, None, 93.8], **kw),
    "answer_distribution": lambda **kw: charts.answer_distribution(
        CODES[:3], [(0, 2, 15, 12), (1, 3, 14, 11), (0, 0, 0, 0)], **kw),
    "ranking": lambda **kw: charts.ranking(
        ["Unit B", "Unit A", "Unit C"], [80.5, 91.2, 64.99], [78.0, None, 60.0],
        [83.0, None, 70.0], ["B", "A", "D"], highlight="Unit A", **kw),
    "grade_distribution": lambda **kw: charts.grade_distribution({"A": 3, "B": 10, "D": 1},
                                                                 **kw),
    "heatmap": lambda **kw: charts.heatmap(
        ["Aceh", "Bali"], ["2025-S2", "2026-S1"], [[88.31, None], [64.99, 76.61]], **kw),
    "profile_bars": lambda **kw: charts.profile_bars(
        "Jenis kelamin", ["L", "P"], [12, 17], **kw),
}


def svg_texts(svg: bytes) -> list[str]:
    """Return the text of every <text> element (the charts keep SVG text as text)."""
    root = ET.fromstring(svg)
    return ["".join(node.itertext()).strip() for node in root.iter(f"{SVG_NS}text")]


@pytest.fixture(scope="module")
def svgs():
    """Render every chart once as SVG."""
    return {name: draw() for name, draw in CHARTS.items()}


@pytest.mark.parametrize("name", CHARTS)
def test_svg_is_valid_and_keeps_text(svgs, name):
    root = ET.fromstring(svgs[name])
    assert root.tag == f"{SVG_NS}svg"
    assert svg_texts(svgs[name])  # svg.fonttype 'none': labels are <text>, not glyph paths
    assert b"<dc:date>" not in svgs[name]  # metadata Date None


@pytest.mark.parametrize("name", CHARTS)
def test_svg_is_deterministic(svgs, name):
    assert CHARTS[name]() == svgs[name]


@pytest.mark.parametrize("name", CHARTS)
def test_png_is_a_decodable_png_at_720_px_width(name):
    png = CHARTS[name](fmt="png")
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    if name != "heatmap":  # the heat map widens with many columns; 2 columns stay at 4 in
        assert width == WIDTH * PNG_DPI == 720
    pixels = image.imread(io.BytesIO(png))
    assert pixels.shape[:2] == (height, width)


@pytest.mark.parametrize("name", ["index_gauge", "ranking"])
def test_pdf_and_png_are_deterministic(name):
    pdf = CHARTS[name](fmt="pdf")
    assert pdf.startswith(b"%PDF-") and pdf == CHARTS[name](fmt="pdf")
    assert CHARTS[name](fmt="png") == CHARTS[name](fmt="png")


def test_gauge_writes_value_and_grade_with_a_decimal_comma(svgs):
    texts = svg_texts(svgs["index_gauge"])
    assert "88,31 \u00b7 A" in texts
    assert "Sangat baik" in texts
    assert {"25", "65", "76,61", "88,31", "100"} <= set(texts)  # band bounds, section 2


def test_gauge_in_english_uses_a_decimal_point():
    texts = svg_texts(charts.index_gauge(91.48, "A", "en"))
    assert "91.48 \u00b7 A" in texts and "Very good" in texts


def test_gauge_accepts_a_value_below_25_from_rounded_weights():
    # ikm.grade_for: an all-1 unit scores 24.75 with weight 0.11.
    assert "24,75 \u00b7 D" in svg_texts(charts.index_gauge(24.75, "D"))


@pytest.mark.parametrize(("value", "locale", "places", "expected"), [
    (88.31, "id", 2, "88,31"),
    (88.305, "id", 2, "88,31"),  # half-up like the published figure, not binary 88.30499...
    (np.float64(76.6), "id", 2, "76,60"),
    (1234.5, "id", 2, "1.234,50"),
    (1234.5, "en", 2, "1,234.50"),
    (12, "id", 0, "12"),
    (None, "id", 2, "\u2013"),
])
def test_format_number(value, locale, places, expected):
    assert format_number(value, locale, places) == expected


def test_format_percent():
    assert format_percent(12, 306, "id") == "3,9%"  # 12/306 = 3.92 %
    assert format_percent(1, 3, "en", 2) == "33.33%"
    assert format_percent(0, 0) == "\u2013"


def test_shorten_adds_an_ellipsis_only_when_cutting():
    assert shorten("Persyaratan", 20) == "Persyaratan"
    assert shorten("Penanganan Pengaduan, Saran dan Masukan", 22) == "Penanganan Pengaduan\u2026"


def test_element_bars_label_and_grade_each_element(svgs):
    texts = svg_texts(svgs["element_bars"])
    assert "U1 Persyaratan" in texts
    # U4: 116 / 29 = 4.00 -> A; U3: 100 / 29 = 3.448 -> konversi 86.21 -> B.
    assert "4,00 \u00b7 A" in texts and "3,45 \u00b7 B" in texts


@pytest.mark.parametrize(("nrr", "expected"), [
    (3.5324, "3,53 \u00b7 A"),  # 88.31
    (3.532, "3,53 \u00b7 B"),  # 88.30
    (2.6, "2,60 \u00b7 C"),  # 65.00
    (2.5996, "2,60 \u00b7 D"),  # 64.99
])
def test_element_grades_use_the_rounded_konversi_bounds(nrr, expected):
    assert expected in svg_texts(charts.element_bars(["U1"], ["Persyaratan"], [nrr]))


def test_single_element_without_intervals_renders():
    svg = charts.element_bars(["U1"], ["Persyaratan"], [1.0], None, [None], fmt="svg")
    assert "1,00 \u00b7 D" in svg_texts(svg)


def test_trend_handles_one_period_and_missing_values():
    assert "91,48" in svg_texts(charts.trend_line(["2026-S1"], [91.48]))
    texts = svg_texts(charts.trend_line(["S1", "S2", "S3"], [80.0, None, 82.5], None, None))
    assert "80,00" in texts and "82,50" in texts


def test_trend_thins_labels_of_many_periods():
    labels = [f"{year}-Q{q}" for year in range(2020, 2026) for q in range(1, 5)]
    texts = svg_texts(charts.trend_line(labels, [60 + i for i in range(24)]))
    assert "2020-Q1" in texts and "2020-Q2" not in texts  # every 3rd of 24 labels


def test_answer_distribution_legend_and_shares(svgs):
    texts = svg_texts(svgs["answer_distribution"])
    assert "1 Tidak baik" in texts and "4 Sangat baik" in texts
    assert "52%" in texts  # U1: 15 of 29 answered 3
    assert "n=0" in texts  # an element without answers stays a grey bar
    english = svg_texts(charts.answer_distribution(["U1"], [(1, 1, 1, 1)], "en"))
    assert "4 Very good" in english
    neutral = svg_texts(charts.answer_distribution(["U1"], [(1, 1, 1, 1)],
                                                   answer_labels=["1", "2", "3", "4"]))
    assert "Sangat baik" not in " ".join(neutral)


def test_ranking_puts_the_best_on_top_and_truncates_names(svgs):
    texts = svg_texts(svgs["ranking"])
    assert texts.index("1. Unit A") < texts.index("2. Unit B") < texts.index("3. Unit C")
    assert "64,99" in texts
    long_name = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Kepulauan Seribu"
    names = [long_name] + [f"Unit {i}" for i in range(59)]
    values = [70 + i * 0.4 for i in range(60)]
    svg = charts.ranking(names, values, None, None, [grade_of(v) for v in values])
    shortened = [text for text in svg_texts(svg) if text.startswith("60. Dinas")]
    assert len(shortened) == 1 and shortened[0].endswith("\u2026")


def test_ranking_grows_with_rows():
    def height(n):
        png = charts.ranking([f"U{i}" for i in range(n)], [80.0] * n, None, None, ["B"] * n,
                             fmt="png")
        return struct.unpack(">II", png[16:24])[1]
    assert height(60) > 4 * height(3)


def test_grade_distribution_counts_and_shares(svgs):
    texts = svg_texts(svgs["grade_distribution"])
    # 3, 10, 0, 1 of 14 units; C is missing from the mapping, so 0.
    assert texts[texts.index("Jumlah unit") + 1:] == [
        "3", "21,4%", "10", "71,4%", "0", "0,0%", "1", "7,1%"]
    assert "\u2013" not in svg_texts(charts.grade_distribution({}))  # no share of 0 units


def test_heatmap_colours_cells_by_grade_bound(svgs):
    # Cells are white-edged rectangles drawn column by column: Aceh 88.31 (A), Bali 64.99 (D),
    # Aceh empty, Bali 76.61 (B).
    fills = re.findall(r"fill: (#[0-9a-f]{6}); stroke: #ffffff", svgs["heatmap"].decode())
    expected = [tint(GRADE_COLOURS["A"], 0.6), tint(GRADE_COLOURS["D"], 0.6), EMPTY,
                tint(GRADE_COLOURS["B"], 0.6)]
    assert fills == [colour.lower() for colour in expected]
    texts = svg_texts(svgs["heatmap"])
    assert "88,31" in texts and "\u2013" in texts  # the empty cell shows a dash


def test_heatmap_with_only_empty_cells():
    assert svg_texts(charts.heatmap(["Aceh"], ["2026-S1"], [[None]])).count("\u2013") == 1


def test_profile_bars_counts_and_percentages(svgs):
    texts = svg_texts(svgs["profile_bars"])
    assert "12 (41,4%)" in texts and "17 (58,6%)" in texts  # 12 / 29, 17 / 29
    assert svg_texts(charts.profile_bars(None, ["L", "P"], [0, 0]))[-2:] == ["0", "0"]


def test_grade_colours_are_distinct_and_text_stays_readable():
    assert len(set(GRADE_COLOURS.values())) == 4 and len(set(ANSWER_COLOURS)) == 4
    assert text_on(GRADE_COLOURS["A"]) == "white"
    assert text_on(GRADE_COLOURS["C"]) == "black"


@pytest.mark.parametrize(("draw", "message"), [
    (lambda: charts.index_gauge(88.31, "E"), "grade must be one of"),
    (lambda: charts.index_gauge(101, "A"), "konversi must be within 0..100"),
    (lambda: charts.index_gauge(88.31, "A", "fr"), "unknown locale 'fr'"),
    (lambda: charts.index_gauge(88.31, "A", fmt="jpg"), "unknown fmt 'jpg'"),
    (lambda: charts.element_bars(["U1"], ["A", "B"], [3.0]), "equal lengths"),
    (lambda: charts.element_bars(["U1"], ["A"], [4.2]), r"nrr\[0\] must be within 1..4"),
    (lambda: charts.element_bars([], [], []), "at least one element"),
    (lambda: charts.trend_line(["S1"], [80.0], [82.0], [78.0]), r"low\[0\] = 82.0 is above"),
    (lambda: charts.answer_distribution(["U1"], [(1, 2, 3)]), "needs 4 counts"),
    (lambda: charts.answer_distribution(["U1"], [(1, 2, 3, -1)]), "must be >= 0"),
    (lambda: charts.ranking(["A"], [80.0], None, None, ["B"], highlight="Z"), "highlight 'Z'"),
    (lambda: charts.grade_distribution({"E": 1}), "keys must be grades"),
    (lambda: charts.heatmap(["Aceh"], [], [[]]), "at least one row and one column"),
    (lambda: charts.heatmap(["Aceh"], ["S1"], [[88.0, 90.0]]), "equal lengths"),
    (lambda: charts.profile_bars(None, ["L"], [1.5]), "whole number"),
])
def test_bad_input_names_the_bad_value(draw, message):
    with pytest.raises(ValueError, match=message):
        draw()


def test_rendering_leaves_global_rcparams_alone():
    keys = ("svg.fonttype", "svg.hashsalt", "font.size", "font.sans-serif", "axes.spines.top")
    before = {key: matplotlib.rcParams[key] for key in keys}
    charts.index_gauge(88.31, "A")
    assert {key: matplotlib.rcParams[key] for key in keys} == before


def test_importing_and_rendering_never_loads_pyplot():
    code = ("import sys, analysis.charts as c; c.index_gauge(88.31, 'A', fmt='png'); "
            "sys.exit('matplotlib.pyplot' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False)
    assert result.returncode == 0
