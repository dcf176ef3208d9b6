"""The Laporan Hasil SPKP dan SPAK as PDF, built from plain data and read back with pdftotext."""

import subprocess
from datetime import date

import pytest

from analysis import instruments as zi
from analysis.report import data
from analysis.report.zi_pdf import zi_report_pdf
from analysis.report.zi_results import instrument_result
from tests.analysis.test_instruments import BBPMP, BBPMP_COUNTS

PERIOD = data.ReportPeriod("2026-S1", "Semester I 2026", date(2026, 1, 1), date(2026, 6, 30))
# SPKP counts made up for the report (8 items, 40 respondents each): sums 150, 146, 141, 156,
# 138, 151, 144, 140 -> means 3.750, 3.650, 3.525, 3.900, 3.450, 3.775, 3.600, 3.500,
# index 1166 / 320 = 3.64375 -> 3.644, konversi 91.09375 -> 91.09 (band A).
SPKP_COUNTS = ((0, 2, 6, 32), (0, 3, 8, 29), (1, 3, 10, 26), (0, 1, 2, 37),
               (1, 4, 11, 24), (0, 2, 5, 33), (0, 3, 10, 27), (1, 3, 11, 25))


def respondent_totals(counts):
    """Give every respondent the r-th lowest answer of each item (a consistent answer set)."""
    columns = [sorted(v for v, c in enumerate(row, start=1) for _ in range(c)) for row in counts]
    return [sum(answers) for answers in zip(*columns)]


def result(instrument, counts, locale="id", kind="wbk"):
    totals = respondent_totals(counts)
    return instrument_result(instrument, counts, locale=locale, zone_kind=kind,
                             total_sum=sum(totals), total_sq_sum=sum(t * t for t in totals),
                             population=1000)


def report(locale="id", kind="wbk", results=None):
    if results is None:
        results = (result(zi.SPKP, SPKP_COUNTS, locale, kind),
                   result(BBPMP, BBPMP_COUNTS, locale, kind))
    return data.ZiReport(locale, "ULT BBPMP Jawa Timur", "Kemendikbudristek",
                         "Kota Surabaya, Jawa Timur", PERIOD, date(2026, 7, 2), results, kind)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "zi.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_result_figures_from_counts():
    found = result(BBPMP, BBPMP_COUNTS)
    assert found.n == 295 and found.band == "A" and found.meets is True
    assert found.target == zi.target("wbk", "ipak")
    # BBPMP Jatim report: 3.933 / 98.33; 3.933051 / 4 x 17.5 = 17.207 LKE points.
    assert float(found.index) == pytest.approx(3.933051, abs=1e-6)
    assert float(found.lke_points) == pytest.approx(17.2071, abs=1e-4)
    assert found.interval.low < found.index < found.interval.high


def test_indonesian_report_prints_the_published_figures(tmp_path):
    body = pdf_text(zi_report_pdf(report()), tmp_path)
    assert "SURVEI PERSEPSI KUALITAS PELAYANAN (SPKP)" in body
    assert "Bab I. Pendahuluan" in body and "Bab III. Kesimpulan" in body
    assert "Nomor 90 Tahun 2021" in body and "Nomor 4 Tahun 2023" in body
    # BBPMP Jatim SPAK: item means, index, konversi, counts and percentages as published.
    for printed in ("3,949", "3,905", "3,939", "3,933", "98,33", "285", "96,61", "0,68"):
        assert printed in body, printed
    # The made-up SPKP: index 3.644 and konversi 91.09 (hand sums above).
    assert "3,644" in body and "91,09" in body
    assert "mutu A (Sangat baik)" in body
    # LKE points: 3.64375 / 4 x 17.5 = 15.94; 3.933051 / 4 x 17.5 = 17.21; WBK targets.
    assert "15,94" in body and "17,21" in body
    assert "≥ 3,20: memenuhi" in body and "≥ 3,60: memenuhi" in body
    assert "memenuhi target survei eksternal WBK" in body
    assert "belum dicocokkan dengan teks Lampiran" in body
    assert "Halaman 2 dari" in body and "PermenPANRB 90/2021" in body


def test_wbbm_shortfall_is_said(tmp_path):
    # SPKP 3.644 passes the WBBM 3.60; a low SPKP (all answers 3 -> 3.000) does not.
    low = result(zi.SPKP, ((0, 0, 20, 0),) * 8, kind="wbbm")
    high = result(BBPMP, BBPMP_COUNTS, kind="wbbm")
    body = pdf_text(zi_report_pdf(report(kind="wbbm", results=(low, high))), tmp_path)
    assert "belum memenuhi target survei eksternal WBBM" in body
    assert "≥ 3,60: belum memenuhi" in body
    assert "3,000" in body and "75,00" in body and "mutu C" in body  # 3 x 25 = 75.00 -> C


def test_english_report(tmp_path):
    body = pdf_text(zi_report_pdf(report("en")), tmp_path)
    assert "Chapter II. Results" in body
    assert "3.933" in body and "98.33" in body and "96.61" in body
    assert "meets the WBK external survey targets" in body


def test_six_point_report_states_the_conversion(tmp_path):
    # 10 respondents answering 6 on four items and 5 on one: index (4 x 6 + 5) / 5 = 5.8,
    # four-point 1 + 4.8 x 3 / 5 = 3.88, konversi 5.8 x 100 / 6 = 96.67.
    six = zi.with_scale(zi.SPAK, 6)
    counts = ((0, 0, 0, 0, 0, 10),) * 4 + ((0, 0, 0, 0, 10, 0),)
    found = instrument_result(six, counts, zone_kind="wbk", total_sum=290,
                              total_sq_sum=10 * 29 * 29)
    assert found.on_four == zi.on_four_point(5.8, 6)
    body = pdf_text(zi_report_pdf(report(results=(found,))), tmp_path)
    assert "5,800" in body and "96,67" in body and "3,880" in body
    assert "pilihan SUARA" in body and "Agak setuju" in body
    assert "IPAK 3,880 (skala 4) memenuhi target WBK" in body


def test_endorsed_report_has_an_approval_page(tmp_path):
    endorsement = data.Endorsement(date(2026, 7, 1), head_name="Dr. Siti Aminah",
                                   head_nip="197001012000032001", place="Surabaya")
    found = report()
    endorsed = data.ZiReport(**{**found.__dict__, "endorsement": endorsement})
    body = pdf_text(zi_report_pdf(endorsed), tmp_path)
    assert "LAPORAN HASIL SPKP DAN SPAK" in body and "Dr. Siti Aminah" in body


def test_registered_with_the_render_server():
    from survey.render_server import BUILDERS

    assert BUILDERS["zi_pdf"] == "analysis.report.zi_pdf:zi_report_pdf"


def test_both_languages_have_every_text():
    from analysis.report.zi_strings import STRINGS

    assert set(STRINGS["id"]) == set(STRINGS["en"])
