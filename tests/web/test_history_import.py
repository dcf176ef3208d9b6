"""Importing answer histories from Google Forms, KoboToolbox and the official pengolahan data
sheet: formats told by the header, mappings guessed, saved and reused, all-or-nothing imports."""

import csv
from datetime import date, datetime, timezone

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from survey.cli import cli
from survey.history_import import mapping
from survey.history_import.formats import google_times, read_source
from survey.models import AuditEvent, ImportMapping, Response
from survey.tabular import ImportFailed
from tests.web.test_response_import import make_unit, stored

# The nine questions of the default questionnaire (migration 0001, PermenPANRB 14/2017's form).
QUESTIONS = [
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam "
    "standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan "
    "keramahan?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan di unit ini?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
]
GOOGLE_HEADER = ["Stempel waktu", *QUESTIONS, "Jenis kelamin", "Umur", "Saran dan masukan"]
# Answer words of the default questionnaire: the best (4) and the third (3) of each question.
BEST = ["Sangat sesuai", "Sangat mudah", "Sangat cepat", "Gratis", "Sangat sesuai",
        "Sangat kompeten", "Sangat sopan dan ramah", "Dikelola dengan baik", "Sangat baik"]
GOOD = ["Sesuai", "Mudah", "Cepat", "Murah", "Sesuai", "Kompeten", "Sopan dan ramah",
        "Berfungsi kurang maksimal", "Baik"]
GOOGLE_ROWS = [["09/02/2026 12:36:00", *BEST, "Laki-laki", "34", "Pertahankan"],
               ["10/02/2026 08:05:10", *GOOD, "Perempuan", "", ""]]


def google_csv(path, rows=GOOGLE_ROWS):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([GOOGLE_HEADER, *rows])
    return path


def kobo_xlsx(path):
    """A KoboToolbox export with xml names: start/end with offsets, grouped questions,
    choice names for answers, and Kobo's own columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(["start", "end", "profil/jk", *(f"skm/u{i}" for i in range(1, 10)),
                  "_id", "_uuid", "_submission_time", "_index"])
    sheet.append(["2026-03-02T09:00:11.000+07:00", "2026-03-02T09:03:40.512+07:00", "P",
                  *[word.lower().replace(" ", "_") for word in BEST], 101,
                  "0b6f3c8e-1111-4a2b-9c3d-aaaaaaaaaaaa", "2026-03-02T02:03:41", 1])
    sheet.append(["2026-03-03T10:00:00.000+07:00", "2026-03-03T23:30:00.000+07:00", "L",
                  *"3 3 3 3 3 3 3 3 2".split(), 102,
                  "0b6f3c8e-2222-4a2b-9c3d-aaaaaaaaaaaa", "2026-03-03T16:30:01", 2])
    book.save(path)
    return path


def official_xlsx(path):
    """The pengolahan data sheet: title rows, No. Responden, U1..U9, then Jumlah and NRR."""
    book = Workbook()
    sheet = book.active
    sheet.append(["PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT"])
    sheet.append(["Unit: Puskesmas Kenjeran"])
    sheet.append(["No. Responden", *(f"U{i}" for i in range(1, 10))])
    answers = [[4, 4, 3, 4, 3, 3, 4, 2, 3], [3, 3, 3, 4, 3, 3, 3, 3, 3],
               [4, 3, 2, 4, 4, 4, 4, 3, 4]]
    for number, row in enumerate(answers, start=1):
        sheet.append([number, *row])
    sheet.append([4])  # a numbered row nobody filled in
    sheet.append(["Jumlah", *(sum(column) for column in zip(*answers))])
    sheet.append(["NRR", *(round(sum(column) / 3, 3) for column in zip(*answers))])
    book.save(path)
    return path


@pytest.fixture
def unit(session):
    return make_unit(session, "pkm-kenjeran", "Puskesmas Kenjeran", "35.78")  # Surabaya, WIB


def run(runner, path, *options):
    return runner.invoke(cli, ["import", str(path), "--unit", "pkm-kenjeran", *options])


def answers(response):
    return [getattr(response, f"u{i}") for i in range(1, 10)]


def test_google_times_in_the_locales_google_writes():
    assert google_times(["2026/02/09 12:36:00 PM GMT+7", "2026/02/09 12:05:00 AM GMT+07:00",
                         "09/02/2026 12:36:00", "bukan tanggal"]) == [
        "2026-02-09T12:36:00+07:00", "2026-02-09T00:05:00+07:00", "2026-02-09T12:36:00",
        "bukan tanggal"]
    # A second number above 12 in the column: the United States locale, month first.
    assert google_times(["2/13/2026 9:05:00", "2/9/2026 9:05:00"]) == [
        "2026-02-13T09:05:00", "2026-02-09T09:05:00"]


def test_the_guess_maps_question_texts_words_and_codes(session):
    header = ("Stempel waktu", "U1. Persyaratan", "Prosedur pelayanan", "Waktu penyelesaian",
              "Biaya/tarif", "Produk layanan", "Kompetensi petugas", "Perilaku petugas",
              # The printed-questionnaire trap: facilities asked before complaint handling.
              "Sarana dan prasarana", "Penanganan pengaduan", "Usia", "Pendidikan terakhir",
              "Pekerjaan", "Kritik dan saran", "Email address")
    assert mapping.guess(header, {}) == [
        "submitted_at", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u9", "u8", "age",
        "education", "occupation", "suggestion", ""]
    assert mapping.guess(tuple(GOOGLE_HEADER), {})[1:10] == [f"u{i}" for i in range(1, 10)]


def test_a_google_csv_needs_its_guess_accepted_once_then_its_mapping_is_reused(
        runner, session, unit, tmp_path):
    path = google_csv(tmp_path / "skm.csv")
    refused = run(runner, path)
    assert refused.exit_code == 1
    assert "--mapping guess" in refused.output
    # Headers are shown to their 40th character.
    assert f"kolom B ({QUESTIONS[0][:40]}) -> U1 Persyaratan" in refused.output
    assert stored(session, unit) == []
    accepted = run(runner, path, "--mapping", "guess")
    assert accepted.exit_code == 0, accepted.output
    first, second = stored(session, unit)
    # 09/02/2026 12:36 WIB (UTC+7) is 05:36 UTC; words map to the questionnaire's 1..4.
    assert first.submitted_at == datetime(2026, 2, 9, 5, 36, tzinfo=timezone.utc)
    assert answers(first) == [4] * 9 and answers(second) == [3] * 9
    assert (first.gender, first.age, first.suggestion) == ("L", 34, "Pertahankan")
    [saved] = session.scalars(select(ImportMapping)).all()
    assert (saved.unit_id, saved.source_kind) == (unit.id, "google")
    assert saved.mapping[0] == ["Stempel waktu", "submitted_at"]
    # The next export of the same form has one row more: the saved mapping is used unasked,
    # and the two rows stored before are recognised.
    more = google_csv(tmp_path / "skm-2.csv",
                      GOOGLE_ROWS + [["11/02/2026 09:00:00", *BEST, "", "", ""]])
    again = run(runner, more)
    assert again.exit_code == 0, again.output
    assert "1 jawaban diimpor ke Puskesmas Kenjeran; 2 sudah ada sebelumnya." in again.output
    assert len(stored(session, unit)) == 3
    assert session.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "history.import")) == 2


def test_bad_rows_are_named_by_row_and_source_column_and_nothing_is_stored(
        runner, session, unit, tmp_path):
    rows = [GOOGLE_ROWS[0], ["10/02/2026 08:05:10", "Sesuai", "Mudah", "Lumayan", *GOOD[3:],
                             "", "", ""], ["31/02/2026 08:00:00", *GOOD, "", "", ""]]
    result = run(runner, google_csv(tmp_path / "skm.csv", rows), "--mapping", "guess")
    assert result.exit_code == 1
    # Row 3 of the file (header = row 1), column D: the third question (U3).
    assert (f"Baris 3, kolom D ({QUESTIONS[2][:40]}): jawaban harus angka 1 sampai 4"
            in result.output)
    assert "Baris 4, kolom A (Stempel waktu): tanggal '2026-02-31T08:00:00' tidak ada" in (
        result.output)
    assert stored(session, unit) == []
    assert session.scalars(select(ImportMapping)).all() == []


def test_a_kobo_xlsx_with_xml_names_and_choice_names(runner, session, unit, tmp_path):
    result = run(runner, kobo_xlsx(tmp_path / "kobo.xlsx"), "--mapping", "guess")
    assert result.exit_code == 0, result.output
    first, second = stored(session, unit)
    # `end` carries the offset: 09:03:40 WIB = 02:03:40 UTC (Kobo's fraction of a second
    # is dropped by the shared parser); its `_submission_time` (UTC, no offset) is ignored.
    assert first.submitted_at == datetime(2026, 3, 2, 2, 3, 40, tzinfo=timezone.utc)
    assert answers(first) == [4] * 9 and first.gender == "P"
    assert answers(second) == [3, 3, 3, 3, 3, 3, 3, 3, 2]
    assert second.submitted_on == date(2026, 3, 3)  # 23:30 WIB stays on the 3rd


def test_an_official_sheet_skips_its_summary_rows_and_takes_the_chosen_day(
        runner, session, unit, tmp_path):
    path = official_xlsx(tmp_path / "pengolahan.xlsx")
    source = read_source(path, None, 100)
    assert source.kind == "official"
    assert [number for number, _ in source.rows] == [4, 5, 6]  # rows 1-3: titles and header
    no_day = run(runner, path, "--mapping", "guess")
    assert no_day.exit_code == 1 and "Pilih kolom waktu pengisian" in no_day.output
    result = run(runner, path, "--mapping", "guess", "--day", "2026-01-15")
    assert result.exit_code == 0, result.output
    rows = stored(session, unit)
    # Column sums of the three respondents, as the sheet's own Jumlah row has them.
    assert [sum(column) for column in zip(*map(answers, rows))] == [11, 10, 8, 12, 10, 10, 11,
                                                                     8, 10]
    assert {row.submitted_on for row in rows} == {date(2026, 1, 15)}


@pytest.mark.parametrize("name, content, message", [
    ("rusak.xlsx", b"PK\x03\x04bukan arsip", "bukan XLSX yang utuh"),
    ("kosong.csv", b"", "berkas kosong"),
    ("biner.csv", b"\x00\x01\x02" * 100, "jenis berkas tidak dikenali"),
    ("lain.csv", "judul;lain\n1;2\n".encode(), "jenis berkas tidak dikenali"),
])
def test_a_malformed_file_is_a_polite_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFailed) as failure:
        read_source(path, None, 100)
    assert message in "\n".join(failure.value.lines())


def test_a_csv_saved_by_excel_on_windows_is_read_as_cp1252(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("Stempel waktu;Saran\n09/02/2026 10:00;Kafe \u201cbagus\u201d\n"
                     .encode("cp1252"))
    source = read_source(path, None, 100)
    assert (source.kind, source.rows) == ("google", [(2, ["09/02/2026 10:00",
                                                          "Kafe \u201cbagus\u201d"])])
