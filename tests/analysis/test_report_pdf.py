"""The report PDFs, built from hand-made plain data and read back with pdftotext."""

import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest

from analysis import ikm, stats
from analysis.elements import ELEMENTS
from analysis.report import data
from analysis.report.scope_pdf import scope_report_pdf
from analysis.report.texts import STRINGS
from analysis.report.unit_pdf import unit_report_pdf

# The published worked check of DESIGN §2 (Kanwil Kemenag Sulawesi Barat, n = 29): with the
# exact weight the IKM konversi is 91.48 (grade A); with 0.11 it is 90.56, the published figure.
SUMS = (105, 101, 100, 116, 102, 105, 106, 105, 115)
N = 29


def counts_for(total: int) -> tuple[int, int, int, int]:
    """Return answers 1..4 of 29 respondents that are all 3 or 4 and sum to `total`."""
    fours = total - 3 * N
    return (0, 0, N - fours, fours)


def pdf_text(pdf: bytes, tmp_path) -> str:
    """Return the text of a PDF (pdftotext -layout), whitespace collapsed."""
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def page_count(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def sample_elements(convention: str = "exact", locale: str = "id"):
    result = ikm.compute_ikm(SUMS, [N] * 9, convention=convention)
    elements = tuple(
        data.Element(e.code, ELEMENTS[i].name(locale), float(e.nrr), float(e.nrr_weighted),
                     e.konversi, e.grade.letter, float(e.nrr) - 0.1, float(e.nrr) + 0.1,
                     counts_for(SUMS[i])) for i, e in enumerate(result.elements))
    index = data.Index(N, float(result.ikm), result.konversi_rounded, result.grade.letter,
                       stats.Interval(89.9, 93.1, 1.6, 0.95))
    return elements, index


def trend(konversi=(Decimal("85.10"), Decimal("91.48")), p_value=0.01) -> data.TrendData:
    change = stats.Change(float(konversi[1] - konversi[0]), 2.0, 10.0, p_value,
                          p_value < 0.05)
    rows = (data.TrendRow("2025-S2", "Semester II 2025", 31, konversi[0], "B", None, None),
            data.TrendRow("2026-S1", "Semester I 2026", N, konversi[1], "A", None, change))
    return data.TrendData(rows, stats.trend([0, 1], [float(k) for k in konversi]), "semester")


def unit_report(locale: str = "id", convention: str = "exact", **changes) -> data.UnitReport:
    elements, index = sample_elements(convention, locale)
    fields = dict(
        locale=locale, unit="Kanwil Kemenag Sulawesi Barat", agency="Kementerian Agama",
        region="Kabupaten Mamuju", province="Sulawesi Barat",
        period=data.ReportPeriod("2026-S1", "Semester I 2026", date(2026, 1, 1),
                                 date(2026, 6, 30)),
        first_response=datetime(2026, 1, 5, 8, 30), last_response=datetime(2026, 6, 29, 14, 5),
        zone="WITA", channels=(data.Count("qr", "Kode QR", 20), data.Count("paper", "Kertas", 9)),
        sample=data.Sample(40, 36, N, False, 0.096), convention=convention,
        weight=ikm.weight(9, convention), index=index, elements=elements,
        profile=data.Profile(gender=(data.Count("L", "Laki-laki", 12),
                                     data.Count("P", "Perempuan", 17)),
                             age=(data.Count("<20", "< 20", 3),
                                  data.Count("20-29", "20–29", 26))),
        trend=trend(), questionnaire=(data.Question(1, "U1", "Bagaimana persyaratannya?",
                                                    ("Tidak sesuai", "Kurang sesuai", "Sesuai",
                                                     "Sangat sesuai")),),
        questionnaire_title="Survei Kepuasan Masyarakat", generated_on=date(2026, 7, 2))
    return data.UnitReport(**{**fields, **changes})


def test_unit_report_prints_the_regulation_figures(tmp_path):
    pdf = unit_report_pdf(unit_report())
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert "Kanwil Kemenag Sulawesi Barat" in text
    for element in ELEMENTS:
        assert f"{element.code} {element.name_id}" in text
    # 91,48 and grade A: the worked check with the exact weight (DESIGN §2).
    assert "IKM 91,48 · mutu A (Sangat baik)" in text
    assert "3,621" in text  # NRR U1 = 105 / 29 = 3.6207
    assert "3,6590" in text  # IKM = 955 / (29 × 9) = 3.65900 on the 1..4 scale
    for heading in ("I. Pendahuluan", "II. Metode", "III. Hasil", "IV. Analisis",
                    "V. Kesimpulan", "Lampiran A. Kuesioner", "PermenPANRB"):
        assert heading in text
    assert "Kabupaten Mamuju, Sulawesi Barat" in text  # cover: region and province
    assert "Halaman 2 dari" in text and "Kanwil Kemenag Sulawesi Barat · Semester I 2026" in text


def test_unit_report_states_method_sample_dates_and_channels(tmp_path):
    text = pdf_text(unit_report_pdf(unit_report()), tmp_path)
    assert "minimal menurut Krejcie dan Morgan" in text
    assert "adalah 36 responden. Terkumpul 29 responden, sehingga sampel belum memadai" in text
    assert "5 Januari 2026 pukul 08.30" in text and "29 Juni 2026 pukul 14.05 (WITA)" in text
    assert "Kode QR 20 69,0%" in text and "Kertas 9 31,0%" in text
    assert "1/9 tepat, tanpa pembulatan" in text


def test_unit_report_names_the_weakest_elements_for_the_follow_up_plan(tmp_path):
    text = pdf_text(unit_report_pdf(unit_report()), tmp_path)
    # Lowest sums: U3 (100), U2 (101), U5 (102).
    start = text.index("4.4 Rencana tindak lanjut")
    plan = text[start:text.index("V. Kesimpulan")]
    assert "Unsur Rencana tindak lanjut Waktu Penanggung jawab" in plan
    positions = [plan.index(code) for code in ("U3 Waktu", "U2 Sistem", "U5 Produk")]
    assert positions == sorted(positions)
    assert "belum mencatat rencana tindak lanjut" in plan


def test_conclusions_call_a_change_significant_only_below_005(tmp_path):
    significant = pdf_text(unit_report_pdf(unit_report()), tmp_path)
    assert "IKM naik 6,38 poin; perubahan ini signifikan secara statistik" in significant
    plain = pdf_text(unit_report_pdf(unit_report(trend=trend(p_value=0.2))), tmp_path)
    assert "tidak signifikan secara statistik (uji t Welch, p = 0,200)" in plain


def test_the_weight_convention_used_is_printed_and_changes_the_figure(tmp_path):
    # 0.11 reproduces the published 90.56 (DESIGN §2).
    text = pdf_text(unit_report_pdf(unit_report(convention="w011")), tmp_path)
    assert "IKM 90,56 · mutu A" in text and "0,11 (dibulatkan dua desimal" in text


def test_english_report_on_request(tmp_path):
    text = pdf_text(unit_report_pdf(unit_report(locale="en")), tmp_path)
    assert "REPORT ON THE PUBLIC SATISFACTION SURVEY" in text
    assert "IKM 91.48 · grade A (Very good)" in text and "First half of 2026" in text
    assert "U3 Completion time" in text and "Page 2 of" in text


def test_unit_report_without_responses_says_so(tmp_path):
    empty = unit_report(index=None, elements=(), sample=None, first_response=None,
                        last_response=None, channels=(), profile=data.Profile(),
                        trend=data.TrendData((), stats.trend([], []), "semester"))
    text = pdf_text(unit_report_pdf(empty), tmp_path)
    assert "Belum ada jawaban pada periode ini" in text
    assert "Belum ada respons pada periode ini, sehingga IKM belum dapat dihitung" in text


def test_charts_are_embedded_as_vectors_with_their_text(tmp_path):
    pdf = unit_report_pdf(unit_report())
    text = pdf_text(pdf, tmp_path)
    assert "NRR (skala 1–4)" in text  # an axis label of the element chart, kept as text
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True,
                            text=True).stdout.splitlines()
    assert len(images) == 2  # pdfimages' two heading lines: no raster image at all


def test_both_languages_have_the_same_texts():
    assert STRINGS["id"].keys() == STRINGS["en"].keys()


def scope_report(**changes) -> data.ScopeReport:
    elements, index = sample_elements()
    index = data.Index(300, index.ikm, index.konversi, "A", index.ci, units=3)
    ranking = (data.RankRow("35.78", "Kota Surabaya", 180, 2, Decimal("92.10"), "A", None),
               data.RankRow("35.15", "Kabupaten Sidoarjo", 120, 1, Decimal("76.60"), "C", None))
    fields = dict(
        locale="id", scope="region:35", name="Jawa Timur", parent=None,
        period=data.ReportPeriod("2026-S1", "Semester I 2026", date(2026, 1, 1),
                                 date(2026, 6, 30)),
        method="mean_of_units", convention="exact", weight=ikm.weight(9),
        group_level="regency", overall=index, elements=elements, ranking=ranking,
        units=ranking, units_total=5, grades={"A": 2, "C": 1},
        heat_rows=("Kota Surabaya", "Kabupaten Sidoarjo"), heat_periods=("2025-S2", "2026-S1"),
        heat=((90.0, 92.1), (None, 76.6)), trend=trend(), generated_on=date(2026, 7, 2))
    return data.ScopeReport(**{**fields, **changes})


def test_scope_report_ranks_states_its_method_and_draws_the_heat_map(tmp_path):
    pdf = scope_report_pdf(scope_report())
    text = pdf_text(pdf, tmp_path)
    assert "LAPORAN AGREGAT" in text and "Jawa Timur" in text
    assert "1 Kota Surabaya 92,10 A" in text and "2 Kabupaten Sidoarjo 76,60 C" in text
    assert "rata-rata indeks unit" in text  # the method is stated
    assert "5. IKM kabupaten/kota per semester" in text
    assert "Hanya 2 dari 5 unit yang dicetak" in text
    assert page_count(pdf, tmp_path) >= 4


@pytest.mark.parametrize("locale", ["id", "en"])
def test_scope_report_without_responses(tmp_path, locale):
    empty = scope_report(locale=locale, overall=None, elements=(), ranking=(), units=(),
                         units_total=0, grades={}, heat_rows=(), heat_periods=(), heat=(),
                         trend=data.TrendData((), stats.trend([], []), "semester"))
    text = pdf_text(scope_report_pdf(empty), tmp_path)
    assert STRINGS[locale]["no_data"] in text
