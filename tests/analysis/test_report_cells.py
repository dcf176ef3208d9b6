"""Cells of the spreadsheet exports (analysis/report/cells.py): text stays text, numbers stay
numbers, negative ones included."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest

from analysis.report.cells import csv_value
from analysis.report.sheets import Row, csv_lines, figures_csv_lines, figures_xlsx, responses_xlsx

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
            '=HYPERLINK("http://contoh.id","klik")', "＝1+1", "＋1", "－1", "＠A1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_cell_that_starts_like_a_formula_gets_a_quote(text):
    assert csv_value(text) == "'" + text


@pytest.mark.parametrize("text", ["Antre 3 jam", "Rp 50.000", " =1", "1+1", "", "'=1"])
def test_other_text_is_left_as_it_is(text):
    assert csv_value(text) == text


@pytest.mark.parametrize("value", [-3, -2.5, 0, 4])
def test_numbers_are_not_touched(value):
    assert csv_value(value) == value


def test_a_negative_number_column_stays_numeric_in_csv_and_xlsx(tmp_path):
    rows = [Row("head", ("Nama", "Selisih")), Row("answer", ("-2+3", -1.5), (None, 2)),
            Row("answer", ("=A1", -3))]
    read = list(csv.reader(io.StringIO("".join(figures_csv_lines(rows)).lstrip("\ufeff"))))
    assert read == [["Nama", "Selisih"], ["'-2+3", "-1.5"], ["'=A1", "-3"]]
    path = tmp_path / "angka.xlsx"
    figures_xlsx(str(path), rows, "Uji")
    sheet = openpyxl.load_workbook(path).active
    assert [(c.value, c.data_type) for c in sheet[2]] == [("-2+3", "s"), (-1.5, "n")]
    assert [(c.value, c.data_type) for c in sheet[3]] == [("=A1", "s"), (-3, "n")]


def test_the_raw_response_exports_write_every_text_as_text(tmp_path):
    record = ("=unit", "=HYPERLINK(\"x\")", "35.78", datetime(2025, 3, 1, 9, 30), "WIB", "qr",
              "@SUM(A1)", "L", 30, "SMA", "swasta", *range(1, 10), 0, "-saran")
    lines = "".join(csv_lines([record], suggestions=True)).lstrip("\ufeff")
    data = list(csv.reader(io.StringIO(lines)))[1]
    assert data[:2] == ["'=unit", "'=HYPERLINK(\"x\")"] and data[6] == "'@SUM(A1)"
    assert data[3] == "2025-03-01 09:30:00" and data[-1] == "'-saran"
    path = tmp_path / "respons.xlsx"
    assert responses_xlsx(str(path), [record], suggestions=True) == 1
    cells = openpyxl.load_workbook(path).active[2]
    assert [c.data_type for c in cells if isinstance(c.value, str)] == ["s"] * 10  # 10 texts
    assert cells[0].value == "=unit" and cells[-1].value == "-saran" and cells[8].value == 30
