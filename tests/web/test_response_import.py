"""Importing paper questionnaires: parsing, all-or-nothing validation, repeat-safe uuids."""

from datetime import date, datetime, timezone

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from survey.cli import cli
from survey.models import Agency, Response, ServiceUnit
from survey.regions import WIB
from survey.response_import import import_responses
from survey.responses import default_questionnaire
from survey.tabular import ImportFailed, RowError

HEADER = ("submitted_at,gender,age,education,occupation,service_type,"
          "u1,u2,u3,u4,u5,u6,u7,u8,u9,suggestion\n")
ROW_A = "2026-03-14 09:30,L,30,SMA,PNS,KTP,4,4,4,4,4,4,4,4,4,\n"
ROW_B = "2026-03-14 10:00,P,25,S1,swasta,KK,3,3,3,3,3,3,3,3,3,Ruang tunggu panas\n"
ROW_C = "15/03/2026,,,,,,2,2,2,2,2,2,2,2,2,\n"
REGISTERED = datetime(2020, 1, 1, tzinfo=timezone.utc)


def make_unit(session, slug, name, region_code):
    """Add a unit and commit (a savepoint here), so a failed import's rollback keeps it."""
    agency = Agency(name=f"Dinas {name}", path="/")
    # Registered in 2020: the paper forms of 2026 below come after it (survey/entry_dates.py).
    unit = ServiceUnit(slug=slug, name=name, region_code=region_code, agency=agency,
                       created_at=REGISTERED)
    session.add(unit)
    session.commit()
    return unit


@pytest.fixture
def unit(session):
    return make_unit(session, "pkm-kenjeran", "Puskesmas Kenjeran", "35.78")  # Surabaya, WIB


def write(tmp_path, text, name="jawaban.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


NOT_AN_ANSWER = "jawaban harus angka 1 sampai 4 atau kata jawaban pertanyaannya"


def stored(session, unit):
    session.expire_all()
    return list(session.scalars(
        select(Response).where(Response.unit_id == unit.id).order_by(Response.id)))


def import_file(runner, path, slug="pkm-kenjeran"):
    return runner.invoke(cli, ["import", str(path), "--unit", slug])


def test_a_good_csv_is_stored_as_paper_responses(runner, session, unit, tmp_path):
    text = HEADER + (
        "2026-03-14 23:30,Laki-laki,35,S1,wiraswasta,Pembuatan KTP,4,3,3,4,3,3,4,1,2,"
        "Antrean terlalu lama\n"
        "14/03/2026,p,,,,,3,3,3,3,3,3,3,3,3,\n")
    result = import_file(runner, write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("2 jawaban diimpor ke Puskesmas Kenjeran; "
                                     "0 sudah ada sebelumnya.")
    first, second = stored(session, unit)
    assert (first.channel, first.point_id) == ("paper", None)
    assert first.questionnaire_id == default_questionnaire(session).id
    # 23:30 WIB (UTC+7) is 16:30 UTC the same day: the local date stays the 14th.
    assert first.submitted_at == datetime(2026, 3, 14, 16, 30, tzinfo=timezone.utc)
    assert first.submitted_on == date(2026, 3, 14)
    # By element code: U8 (complaint handling) = 1 and U9 (facilities) = 2, as typed.
    assert [getattr(first, f"u{i}") for i in range(1, 10)] == [4, 3, 3, 4, 3, 3, 4, 1, 2]
    assert (first.gender, first.age, first.education, first.occupation) == (
        "L", 35, "D4-S1", "WIRAUSAHA")
    assert (first.service_type, first.suggestion) == ("Pembuatan KTP", "Antrean terlalu lama")
    # A date without a time means noon of the unit's local day: 12:00 WIB = 05:00 UTC.
    assert second.submitted_at == datetime(2026, 3, 14, 5, 0, tzinfo=timezone.utc)
    assert (second.gender, second.age, second.education, second.service_type) == (
        "P", None, None, None)


def test_iso_8601_times_with_an_offset_are_read_as_written(runner, session, unit, tmp_path):
    answers = ",,,,,,3,3,3,3,3,3,3,3,3,\n"
    text = HEADER + "".join(f"{when}{answers}" for when in (
        "2026-02-09T12:36:00+07:00",  # as Google Forms' and KoboToolbox's exports write it
        "2026-02-09T05:40:00Z", "2026-02-09T13:45:10.125+0800", "2026-02-09 09:50"))
    result = import_file(runner, write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert [row.submitted_at for row in stored(session, unit)] == [
        datetime(2026, 2, 9, 5, 36, tzinfo=timezone.utc),
        datetime(2026, 2, 9, 5, 40, tzinfo=timezone.utc),
        datetime(2026, 2, 9, 5, 45, 10, tzinfo=timezone.utc),  # the fraction is dropped
        datetime(2026, 2, 9, 2, 50, tzinfo=timezone.utc)]  # no offset: the unit's WIB


def test_answers_written_as_the_questions_own_words_are_read_by_their_labels(
        runner, session, unit, tmp_path):
    # The default questionnaire's labels (migrations/versions/0001): U2 "… mudah",
    # U3 "… cepat", U4 "Sangat mahal / Cukup mahal / Murah / Gratis"; any case and spacing,
    # and the English labels too.
    words = ["Sangat sesuai", "kurang  MUDAH", "Cepat", "Gratis", "Not appropriate", "3",
             "Sopan dan ramah", "Berfungsi kurang maksimal", "Sangat baik"]
    text = HEADER + "2026-03-14 09:30,,,,,," + ",".join(words) + ",\n"
    result = import_file(runner, write(tmp_path, text))
    assert result.exit_code == 0, result.output
    [row] = stored(session, unit)
    assert [getattr(row, f"u{i}") for i in range(1, 10)] == [4, 2, 3, 4, 1, 3, 3, 3, 4]
    # A label of another question is no answer to this one: "Cepat" is U3's, not U1's.
    result = import_file(runner, write(tmp_path, text.replace("Sangat sesuai", "Cepat")))
    assert f"Baris 2, kolom u1: {NOT_AN_ANSWER} (tertulis 'Cepat')" in result.stderr


@pytest.mark.parametrize("when, problem", [
    ("2026-02-09T12:36:00+15:00", "zona waktu '+15:00' pada '2026-02-09T12:36:00+15:00' tidak ada"),
    ("2026-02-09T12:36:00+07:75", "zona waktu '+07:75' pada '2026-02-09T12:36:00+07:75' tidak ada"),
    ("2026-02-30T12:36:00+07:00", "tanggal '2026-02-30T12:36:00+07:00' tidak ada di kalender"),
])
def test_an_impossible_offset_or_day_is_named(runner, session, unit, tmp_path, when, problem):
    result = import_file(runner, write(tmp_path, HEADER + f"{when},,,,,,3,3,3,3,3,3,3,3,3,\n"))
    assert result.exit_code == 1
    assert f"Baris 2, kolom submitted_at: {problem}" in result.stderr
    assert stored(session, unit) == []


def write_xlsx(tmp_path, rows, name="jawaban.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.strip().upper().split(","))
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    workbook.close()
    return path


def test_a_good_xlsx_with_date_cells_and_float_answers(session, tmp_path):
    jayapura = make_unit(session, "dukcapil-jayapura", "Disdukcapil Jayapura", "91.71")  # WIT
    path = write_xlsx(tmp_path, [
        [datetime(2026, 3, 14, 0, 30), "P", 41.0, "D3", "TNI", "Akta", *[3.0] * 8, 4, None],
        [date(2026, 3, 14), "L", None, None, None, None, *[2] * 9, "Baik"],
    ])
    result = import_responses(session, path, "dukcapil-jayapura")
    assert result.describe() == "2 jawaban diimpor ke Disdukcapil Jayapura; 0 sudah ada sebelumnya."
    first, second = stored(session, jayapura)
    # 00:30 WIT (UTC+9) is 15:30 UTC the day before; the local date is still the 14th.
    assert first.submitted_at == datetime(2026, 3, 13, 15, 30, tzinfo=timezone.utc)
    assert first.submitted_on == date(2026, 3, 14)
    assert (first.age, first.education, first.occupation, first.u1, first.u9) == (
        41, "D1-D3", "TNI", 3, 4)
    # A date-only cell comes back from Excel as midnight: read as noon WIT = 03:00 UTC.
    assert second.submitted_at == datetime(2026, 3, 14, 3, 0, tzinfo=timezone.utc)
    assert (second.channel, second.suggestion) == ("paper", "Baik")


def test_a_bad_file_stores_nothing_and_names_every_problem(runner, session, unit, tmp_path):
    text = HEADER + (
        ROW_A +  # row 2: fine
        "2016-12-31,X,9,SMA,,,sangat baik,3,3,3,5,3,3,3,3,\n"  # row 3
        "31/02/2026,,,,,,3,3,,3,3,3,3,3,2.5,\n"  # row 4
        f"2099-01-01,,,,astronot,{'K' * 201},3,3,3,3,3,3,3,3,3,{'S' * 2001}\n"  # row 5
        "kemarin,,,,,,3,3,3,3,3,3,3,3,3,\n")  # row 6
    result = import_file(runner, write(tmp_path, text))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Tidak ada data yang diimpor: 13 kesalahan ditemukan.",
        "Baris 3, kolom submitted_at: tanggal 2016-12-31 sebelum tahun 2017; periksa tahunnya",
        "Baris 3, kolom gender: 'X' tidak dikenal; pilihan: L, P",
        "Baris 3, kolom age: umur harus bilangan bulat 10 sampai 120 (tertulis '9')",
        f"Baris 3, kolom u1: {NOT_AN_ANSWER} (tertulis 'sangat baik')",
        f"Baris 3, kolom u5: {NOT_AN_ANSWER} (tertulis '5')",
        "Baris 4, kolom submitted_at: tanggal '31/02/2026' tidak ada di kalender",
        "Baris 4, kolom u3: jawaban wajib diisi dengan angka 1 sampai 4",
        f"Baris 4, kolom u9: {NOT_AN_ANSWER} (tertulis '2.5')",
        f"Baris 5, kolom submitted_at: Tanggal 01-01-2099 belum terjadi: paling lambat "
        f"{datetime.now(WIB):%d-%m-%Y}.",
        "Baris 5, kolom occupation: 'astronot' tidak dikenal; pilihan: PNS, TNI, POLRI, SWASTA, "
        "WIRAUSAHA, LAINNYA",
        "Baris 5, kolom service_type: lebih dari 200 karakter (201)",
        "Baris 5, kolom suggestion: lebih dari 2000 karakter (2001)",
        "Baris 6, kolom submitted_at: format tanggal 'kemarin' tidak dikenal; gunakan "
        "2026-03-14, 2026-03-14 09:30, 2026-03-14T09:30:00+07:00 atau 14/03/2026 09:30",
    ]
    assert stored(session, unit) == []


def test_an_unknown_unit_is_refused(runner, session, unit, tmp_path):
    result = import_file(runner, write(tmp_path, HEADER + ROW_A), slug="tidak-ada")
    assert result.exit_code == 1
    assert "Berkas: unit layanan 'tidak-ada' tidak ditemukan" in result.stderr
    assert stored(session, unit) == []


def test_a_missing_answer_column_is_reported_on_the_header_row(session, unit, tmp_path):
    path = write(tmp_path, HEADER.replace(",u7", "") + "2026-03-14,,,,,,4,4,4,4,4,4,4,4,\n")
    with pytest.raises(ImportFailed) as failure:
        import_responses(session, path, "pkm-kenjeran")
    assert failure.value.errors == [RowError(1, "u7", "kolom wajib tidak ada di baris judul")]


def test_importing_the_same_file_twice_adds_nothing(runner, session, unit, tmp_path):
    path = write(tmp_path, HEADER + ROW_A + ROW_B + ROW_C)
    assert "3 jawaban diimpor" in import_file(runner, path).output
    result = import_file(runner, path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("0 jawaban diimpor ke Puskesmas Kenjeran; "
                                     "3 sudah ada sebelumnya.")
    assert len(stored(session, unit)) == 3


def test_two_identical_respondents_in_one_file_are_both_kept(session, unit, tmp_path):
    path = write(tmp_path, HEADER + ROW_A + ROW_A + ROW_B)
    result = import_responses(session, path, "pkm-kenjeran")
    assert (result.imported, result.already_present) == (3, 0)
    assert [r.u1 for r in stored(session, unit)] == [4, 4, 3]


def test_rows_appended_to_an_imported_file_are_the_only_ones_added(session, unit, tmp_path):
    import_responses(session, write(tmp_path, HEADER + ROW_A + ROW_A + ROW_B), "pkm-kenjeran")
    # The third copy of ROW_A is a new respondent; the first two are the ones already stored.
    longer = write(tmp_path, HEADER + ROW_A + ROW_A + ROW_B + ROW_A + ROW_C, "lebih.csv")
    result = import_responses(session, longer, "pkm-kenjeran")
    assert (result.imported, result.already_present) == (2, 3)
    assert [r.u1 for r in stored(session, unit)] == [4, 4, 3, 4, 2]


def test_the_same_answers_typed_differently_are_recognised(session, unit, tmp_path):
    import_responses(session, write(tmp_path, HEADER + ROW_A + ROW_B), "pkm-kenjeran")
    # ROW_A and ROW_B again, as Excel cells and other spellings of the same values.
    path = write_xlsx(tmp_path, [
        [datetime(2026, 3, 14, 9, 30), "Laki-laki", 30.0, "SMK", "ASN", "KTP", *[4.0] * 9, None],
        ["14/03/2026 10.00", "Perempuan", "25", "D4/S1", "Pegawai Swasta", "KK", *["3"] * 9,
         "Ruang tunggu panas"],
    ])
    result = import_responses(session, path, "pkm-kenjeran")
    assert (result.imported, result.already_present) == (0, 2)


def test_the_same_rows_in_another_unit_are_not_taken_for_duplicates(session, unit, tmp_path):
    other = make_unit(session, "pkm-sawahan", "Puskesmas Sawahan", "35.78")
    path = write(tmp_path, HEADER + ROW_A)
    import_responses(session, path, "pkm-kenjeran")
    assert import_responses(session, path, "pkm-sawahan").imported == 1
    assert len(stored(session, other)) == 1


@pytest.mark.parametrize(("typed", "problem"), [
    # entry_dates.answer_bounds: not before the unit was registered (REGISTERED, 1 January 2020).
    ("2019-12-31", "Tanggal 31-12-2019 terlalu awal: paling awal 01-01-2020"),
    ("9999-12-31 23:59", "Tanggal 31-12-9999 belum terjadi"),
    ("31/12/9999", "Tanggal 31-12-9999 belum terjadi"),
    ("0001-01-01", "tanggal 0001-01-01 sebelum tahun 2017"),
])
def test_an_import_refuses_dates_outside_the_units_answer_dates(runner, session, unit, tmp_path,
                                                              typed, problem):
    result = import_file(runner, write(tmp_path, HEADER + f"{typed},,,,,,3,3,3,3,3,3,3,3,3,\n"))
    assert result.exit_code == 1
    assert f"Baris 2, kolom submitted_at: {problem}" in result.stderr
    assert stored(session, unit) == []
