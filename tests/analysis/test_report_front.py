"""The unit report's front matter, contents and page layout, read back with pdftotext, and
the same report as DOCX read back with python-docx."""

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import docx
import pytest
from PIL import Image

from analysis.elements import ELEMENTS
from analysis.report import data
from analysis.report.layout import (BODY_SIZE, MARGIN, PAGE_W, TAIL_LINES, TOP, ReportPDF,
                                    line_height, without_short_tails)
from analysis.report.unit_docx import unit_report_docx
from analysis.report.unit_pdf import unit_report_pdf
from tests.analysis.test_report_pdf import page_count, unit_report

PT = 72 / 25.4  # points per mm
NIP = "197501012000031001"  # 18 digits: born 1975-01-01, appointed 2000-03, man, number 001
CHAPTERS = ("I. Pendahuluan", "II. Metode", "III. Hasil", "IV. Analisis", "V. Kesimpulan",
            "Lampiran A. Kuesioner")


def png(width: int = 120, height: int = 60) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(out, "PNG")
    return out.getvalue()


def signed_report(locale: str = "id", **changes) -> data.UnitReport:
    endorsement = data.Endorsement(date(2026, 12, 7), "dr. Ratna Sari, M.Kes.", NIP,
                                   "Kepala Kantor Wilayah", "Mamuju", None, png())
    return unit_report(locale, endorsement=endorsement, **changes)


def page_lines(pdf: bytes, tmp_path) -> list[list[str]]:
    """Return the non-empty text lines of each page, running header and footer left out."""
    path = tmp_path / "paged.pdf"
    path.write_bytes(pdf)
    pages = []
    for number in range(1, page_count(pdf, tmp_path) + 1):
        out = subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number),
                              str(path), "-"], check=True, capture_output=True, text=True).stdout
        lines = [line.strip() for line in out.splitlines() if line.strip()]
        if number > 1:  # the cover has neither header nor footer
            lines = lines[1:-1]
        pages.append(lines)
    return pages


def contents_entries(pages: list[list[str]]) -> dict[str, int]:
    """Return each entry of the daftar isi and the page number it gives."""
    page = next(lines for lines in pages if lines and lines[0] in ("DAFTAR ISI", "CONTENTS"))
    return {match[1]: int(match[2]) for line in page[1:]
            if (match := re.match(r"^(.*?) \.+ ?(\d+)$", line))}


def test_lembar_pengesahan_names_the_head_with_nip_place_and_date(tmp_path):
    pages = page_lines(unit_report_pdf(signed_report()), tmp_path)
    approval = " ".join(pages[1])
    assert pages[1][0] == "LEMBAR PENGESAHAN"
    for expected in ("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", "Kanwil Kemenag Sulawesi Barat",
                     "Periode Semester I 2026", "Mengetahui/Menyetujui,",
                     "Mamuju, 7 Desember 2026", "Kepala Kantor Wilayah",
                     "dr. Ratna Sari, M.Kes.", f"NIP. {NIP}"):
        assert expected in approval
    foreword = " ".join(pages[2])
    assert pages[2][0] == "KATA PENGANTAR" and "Puji syukur" in foreword  # the default text


def test_unrecorded_signatory_leaves_dotted_lines_and_own_foreword_is_printed(tmp_path):
    blank = data.Endorsement(date(2026, 1, 2), foreword="Laporan ini kami susun sendiri.")
    pages = page_lines(unit_report_pdf(unit_report(endorsement=blank)), tmp_path)
    approval = " ".join(pages[1])
    assert "Kepala Kanwil Kemenag Sulawesi Barat" in approval  # the default position
    assert "NIP. ......" in approval and "2 Januari 2026" in approval
    assert "Laporan ini kami susun sendiri." in " ".join(pages[2])


@pytest.mark.parametrize("locale", ["id", "en"])
def test_contents_give_the_pages_where_chapters_start(locale, tmp_path):
    pages = page_lines(unit_report_pdf(signed_report(locale)), tmp_path)
    entries = contents_entries(pages)
    if locale == "id":
        assert set(CHAPTERS) | {"LEMBAR PENGESAHAN", "KATA PENGANTAR"} <= set(entries)
    assert len(entries) >= 20  # 9 chapters and front pages, 13 sections
    for name, number in entries.items():
        assert name in pages[number - 1], (name, number)  # a line of its own on that page


def test_the_indonesian_report_says_margin_kesalahan_not_margin_of_error(tmp_path):
    text = " ".join(" ".join(lines) for lines in page_lines(
        unit_report_pdf(signed_report()), tmp_path))
    assert "margin of error" not in text and "margin kesalahan yang tercapai ± 9,6 %" in text


def test_no_page_holds_fewer_than_six_lines_unless_it_ends_the_report(tmp_path):
    for report in (signed_report(), signed_report("en"), unit_report()):
        pages = page_lines(unit_report_pdf(report), tmp_path)
        assert all(len(lines) >= TAIL_LINES for lines in pages[:-1]), [len(p) for p in pages]


def test_a_chapter_end_that_would_spill_a_few_lines_takes_a_block_with_it():
    def render(breaks):
        pdf = ReportPDF("id", "t", "r", date(2026, 1, 1), breaks)
        pdf.chapter("I. Satu")
        for k in range(22):  # the 22nd two-line paragraph ends just below page 2's top
            pdf.paragraph(f"Paragraf {k}. " + "kata " * 30)
        pdf.chapter("II. Dua")
        pdf.paragraph("akhir")
        return pdf
    first = render(frozenset())
    spilled = first.short_tails()
    first.discard()
    assert spilled  # the first layout leaves chapter I's last lines alone on page 2
    fixed = without_short_tails(render)
    assert fixed.breaks == spilled and not fixed.short_tails()
    assert fixed.chapters[0][2][0] == 2  # chapter I still ends on page 2, now with more lines
    assert fixed.chapters[0][2][1] - TOP >= TAIL_LINES * line_height(BODY_SIZE)
    fixed.discard()


def test_no_text_outside_the_margins(tmp_path):
    """Every word pdftotext finds lies within the left and right margins (0.5 pt slack)."""
    report = signed_report(elements=tuple(
        replace(e, name=e.name + " dan Unsur Pelayanan Lain yang Namanya Sangat Panjang")
        for e in signed_report().elements))
    path = tmp_path / "bbox.html"
    (tmp_path / "margins.pdf").write_bytes(unit_report_pdf(report))
    subprocess.run(["pdftotext", "-bbox", str(tmp_path / "margins.pdf"), str(path)], check=True)
    words = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", path.read_text())
                          .replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    outside = [(w.text, w.get("xMin"), w.get("xMax")) for w in words.iter("word")
               if float(w.get("xMin")) < MARGIN * PT - 0.5
               or float(w.get("xMax")) > (PAGE_W - MARGIN) * PT + 0.5]
    assert len(list(words.iter("word"))) > 1000 and outside == []


def test_docx_holds_the_same_index_elements_headings_and_signatory():
    report = signed_report()
    document = docx.Document(io.BytesIO(unit_report_docx(report)))
    headings = {p.text: p.style.name for p in document.paragraphs
                if p.style.name.startswith("Heading")}
    for chapter in CHAPTERS:
        assert headings[chapter] == "Heading 1"
    assert headings["3.2 Nilai per unsur"] == "Heading 2"
    assert headings["LEMBAR PENGESAHAN"] == "Heading 1"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "dr. Ratna Sari, M.Kes." in body and f"NIP. {NIP}" in body
    assert "IKM 91,48 · mutu A (Sangat baik)" in body  # as on the PDF's cover
    # The element table: a Word table with the nine elements and the IKM konversi row.
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Unsur")
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert [row[1] for row in cells[1:10]] == [e.name_id for e in ELEMENTS]
    assert cells[1][2] == "3,621"  # NRR U1 = 105 / 29
    assert cells[-1][4] == "91,48" and cells[-1][5] == "A"
    assert len(document.inline_shapes) >= 5  # logo and charts, as PNG images
    assert 'TOC \\o "1-2"' in document.element.xml
