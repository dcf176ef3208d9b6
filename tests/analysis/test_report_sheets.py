"""Spreadsheet exports and the badge, from plain data: values an auditor can reproduce."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest

from analysis import ikm
from analysis.report import data, sheets
from analysis.report.badge import badge_svg
from tests.analysis.test_report_pdf import N, SUMS, counts_for, sample_elements

PERIOD = data.ReportPeriod("2026-S1", "Semester I 2026", date(2026, 1, 1), date(2026, 6, 30))


def answers_for_sums() -> tuple[tuple[int, ...], ...]:
    """Return 29 respondents whose columns hold the worked example's answers (3s then 4s)."""
    columns = [[3] * counts_for(total)[2] + [4] * counts_for(total)[3] for total in SUMS]
    return tuple(zip(*columns))


def unit_sheet(convention: str = "exact") -> data.UnitWorksheet:
    elements, index = sample_elements(convention)
    return data.UnitWorksheet("Kanwil Kemenag Sulawesi Barat", PERIOD, convention,
                              ikm.weight(9, convention), answers_for_sums(), elements, index)


def read_rows(target) -> list[tuple]:
    target.seek(0)
    return list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))


def test_unit_figures_sheet_is_laid_out_like_the_official_template():
    target = io.BytesIO()
    sheets.figures_xlsx(target, sheets.unit_figures_rows(unit_sheet()), "Pengolahan data")
    rows = read_rows(target)
    by_label = {row[0]: row for row in rows if isinstance(row[0], str)}
    head = rows.index(("No. responden", *(f"U{i}" for i in range(1, 10))))
    respondents = rows[head + 1:head + 1 + N]
    assert [row[0] for row in respondents] == list(range(1, N + 1))
    # An auditor's =SUM() and =AVERAGE() over the respondent rows give SUARA's values.
    for column in range(1, 10):
        answers = [row[column] for row in respondents]
        assert by_label["Jumlah nilai per unsur"][column] == sum(answers) == SUMS[column - 1]
        assert by_label["NRR per unsur"][column] == pytest.approx(sum(answers) / N, abs=1e-12)
        assert by_label["NRR tertimbang per unsur"][column] == pytest.approx(
            sum(answers) / N / 9, abs=1e-12)
    ikm_value = by_label["IKM (jumlah NRR tertimbang)"][1]
    assert ikm_value == pytest.approx(sum(by_label["NRR tertimbang per unsur"][1:]), abs=1e-12)
    assert by_label["Konversi IKM (IKM × 25)"][1] == pytest.approx(955 / 261 * 25, abs=1e-9)
    assert round(by_label["Konversi IKM (IKM × 25)"][1], 2) == 91.48  # DESIGN §2, exact weight
    assert by_label["Mutu pelayanan"][1] == "A (Sangat baik)"


def test_unit_figures_with_the_rounded_weight_reproduce_the_published_9056():
    rows = sheets.unit_figures_rows(unit_sheet("w011"))
    by_label = {row.cells[0]: row.cells for row in rows if row.kind in ("total", "label")}
    assert by_label["Bobot (nilai penimbang)"][1] == 0.11
    assert round(by_label["Konversi IKM (IKM × 25)"][1], 2) == 90.56


def test_figures_csv_parses_and_keeps_full_precision():
    text = "".join(sheets.figures_csv_lines(sheets.unit_figures_rows(unit_sheet())))
    assert text.startswith(sheets.BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(sheets.BOM))))
    nrr = next(row for row in rows if row and row[0] == "NRR per unsur")
    assert Fraction(nrr[1]) == pytest.approx(Fraction(105, 29), abs=1e-12)


def scope_sheet() -> data.ScopeWorksheet:
    elements, index = sample_elements()
    unit = data.UnitFiguresRow("kanwil-sulbar", "Kanwil Kemenag Sulawesi Barat",
                               "Kementerian Agama", "76.04", "Kabupaten Mamuju", elements, index)
    return data.ScopeWorksheet("Sulawesi Barat", PERIOD, "pooled", "exact", Fraction(1, 9),
                               (unit,), index, elements)


def test_scope_figures_have_one_row_per_unit_and_the_total():
    target = io.BytesIO()
    sheets.figures_xlsx(target, sheets.scope_figures_rows(scope_sheet()), "Rekap per unit")
    rows = read_rows(target)
    head = rows.index(sheets.SCOPE_HEADINGS)
    unit, total = rows[head + 1], rows[head + 2]
    columns = dict(zip(sheets.SCOPE_HEADINGS, unit))
    assert columns["Kode unit"] == "kanwil-sulbar" and columns["Responden"] == N
    assert [columns[f"Jumlah U{i}"] for i in range(1, 10)] == list(SUMS)
    assert columns["NRR U1"] == pytest.approx(105 / 29)  # NRR = Jumlah / Responden
    assert round(columns["IKM konversi"], 2) == 91.48 and columns["Mutu"] == "A"
    assert total[2] == "Keseluruhan (gabungan responden)"


RECORD = ("unit-a", "Unit A", "35.78", datetime(2026, 1, 5, 8, 30), "WIB", "qr", "KTP-el", "P",
          34, "SMA", "SWASTA", 4, 3, 3, 4, 4, 3, 4, 2, 3, 0, "Antrean lama, hubungi [disamarkan]")


def test_raw_responses_leave_suggestions_out_unless_asked():
    plain = list(csv.reader(io.StringIO("".join(sheets.csv_lines([RECORD])).lstrip("\ufeff"))))
    assert plain[0] == list(sheets.RESPONSE_COLUMNS) and "saran" not in plain[0]
    assert plain[1][3] == "2026-01-05 08:30:00" and len(plain[1]) == len(plain[0])
    asked = list(csv.DictReader(io.StringIO(
        "".join(sheets.csv_lines([RECORD], suggestions=True)).lstrip("\ufeff"))))
    assert asked[0]["saran"] == RECORD[-1] and asked[0]["u8"] == "2"


def test_raw_responses_continue_on_a_new_sheet_past_the_row_limit(monkeypatch):
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", 3)  # a heading and two rows per sheet
    target = io.BytesIO()
    assert sheets.responses_xlsx(target, [RECORD] * 5) == 5
    target.seek(0)
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Respons", "Respons (2)", "Respons (3)"]
    first = list(workbook["Respons"].iter_rows(values_only=True))
    assert first[1][3] == datetime(2026, 1, 5, 8, 30)  # a real date cell, local time
    assert sum(ws.max_row - 1 for ws in workbook.worksheets) == 5


def test_an_empty_export_is_still_a_workbook_with_headings():
    target = io.BytesIO()
    assert sheets.responses_xlsx(target, []) == 0
    assert read_rows(target) == [tuple(sheets.RESPONSE_COLUMNS)]


def test_badge_shows_the_index_in_the_grade_colour():
    svg = badge_svg(Decimal("88.99"), "A", "2026-S1")
    root = ET.fromstring(svg)
    texts = [node.text for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["IKM", "88,99 · A"]
    fills = [node.get("fill") for node in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert fills[1] == "#0072B2"  # grade A, as in the charts
    assert root.get("aria-label") == "IKM 88,99 · A (2026-S1)"
    assert ET.fromstring(badge_svg(None, None)).get("aria-label") == "IKM –"
