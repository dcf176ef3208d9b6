"""Importing service units: agencies as paths, service points with tokens, all or nothing."""

import re

from openpyxl import Workbook
from sqlalchemy import func, select

from survey.cli import cli
from survey.models import Agency, ServicePoint, ServiceUnit
from survey.tabular import ImportFailed, RowError
from survey.unit_import import UnitImportResult, import_units

HEADER = "slug,name,region_code,agency,service_points\n"
GOOD = HEADER + (
    "pkm-kenjeran,Puskesmas Kenjeran,35.78,"
    "Kementerian Kesehatan/Dinas Kesehatan Kota Surabaya,Loket Pendaftaran; Apotek\n"
    "pkm-tanah-kali,Puskesmas Tanah Kali Kedinding,35.78,"
    "Kementerian Kesehatan/Dinas Kesehatan Kota Surabaya,\n"
    "dukcapil-bandung,Disdukcapil Kota Bandung,32.73,Pemerintah Kota Bandung/Disdukcapil,"
    "Loket 1;Loket 2;Loket 3\n")


def write(tmp_path, text, name="units.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def unit(session, slug):
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()


def agency(session, name):
    return session.scalars(select(Agency).where(Agency.name == name)).one()


def test_a_good_csv_creates_units_agencies_and_points(runner, session, tmp_path):
    result = runner.invoke(cli, ["units", "import", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    # 3 units; agencies: Kementerian Kesehatan, Dinas Kesehatan, Pemerintah Kota Bandung,
    # Disdukcapil; points: 2 + 1 (the default) + 3.
    assert result.output.strip() == ("Unit layanan: 3 dibuat, 0 diperbarui; instansi: 4 dibuat; "
                                     "titik layanan: 6 dibuat.")
    session.expire_all()
    ministry = agency(session, "Kementerian Kesehatan")
    office = agency(session, "Dinas Kesehatan Kota Surabaya")
    assert (ministry.kind, ministry.parent_id) == ("kementerian", None)
    assert ministry.path == f"/{ministry.id}/"
    assert (office.kind, office.parent_id) == ("instansi", ministry.id)
    assert office.path == f"/{ministry.id}/{office.id}/"
    assert agency(session, "Pemerintah Kota Bandung").kind == "instansi"
    kenjeran = unit(session, "pkm-kenjeran")
    assert (kenjeran.name, kenjeran.region_code, kenjeran.agency_id) == (
        "Puskesmas Kenjeran", "35.78", office.id)
    assert [p.name for p in kenjeran.points] == ["Loket Pendaftaran", "Apotek"]
    assert [p.name for p in unit(session, "pkm-tanah-kali").points] == ["Loket Utama"]
    assert unit(session, "dukcapil-bandung").agency.name == "Disdukcapil"


def test_points_get_short_unique_tokens_without_look_alike_characters(session, tmp_path):
    import_units(session, write(tmp_path, GOOD))
    tokens = list(session.scalars(select(ServicePoint.token)))
    assert len(tokens) == 6 and len(set(tokens)) == 6
    # Typed from a poster: lower case, no 0/o, 1/l/i confusion.
    assert all(re.fullmatch(r"[2-9a-hjkmnp-z]{10}", token) for token in tokens)


def test_a_good_xlsx_with_region_codes_typed_as_numbers(session, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Slug", "Name", "Region_Code", "Agency", "Service_Points"])
    # Excel turns 32.10 into the number 32.1: it must still mean Kabupaten Majalengka.
    sheet.append(["rsud-majalengka", "RSUD Majalengka", 32.10, "Pemkab Majalengka/RSUD", None])
    sheet.append(["pkm-kenjeran", "Puskesmas Kenjeran", 35.78, "Kementerian Kesehatan", "Apotek"])
    path = tmp_path / "units.xlsx"
    workbook.save(path)
    workbook.close()
    result = import_units(session, path)
    assert result == UnitImportResult(units_created=2, units_updated=0, agencies_created=3,
                                      points_created=2)
    assert unit(session, "rsud-majalengka").region_code == "32.10"
    assert unit(session, "pkm-kenjeran").region_code == "35.78"


def test_a_bad_file_stores_nothing_and_names_every_problem(runner, session, tmp_path):
    text = HEADER + (
        "pkm-kenjeran,Puskesmas Kenjeran,35.78,Kementerian Kesehatan,\n"  # row 2: fine
        "Pkm Baru,Puskesmas Baru,35.99,Kementerian Kesehatan,\n"  # row 3
        "pkm-kenjeran,,35.78,,\n"  # row 4
        ",Puskesmas Tanpa Slug,,Dinkes/" + "D" * 201 + ",\n")  # row 5
    result = runner.invoke(cli, ["units", "import", str(write(tmp_path, text))])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Tidak ada data yang diimpor: 8 kesalahan ditemukan.",
        "Baris 3, kolom slug: slug 'Pkm Baru' hanya boleh berisi huruf kecil, angka dan tanda "
        "hubung (contoh: puskesmas-kenjeran)",
        "Baris 3, kolom region_code: kode wilayah 35.99 tidak dikenal",
        "Baris 4, kolom slug: slug 'pkm-kenjeran' sudah dipakai di baris 2",
        "Baris 4, kolom name: nama unit wajib diisi",
        "Baris 4, kolom agency: instansi wajib diisi (contoh: Kementerian Kesehatan/Dinas "
        "Kesehatan)",
        "Baris 5, kolom slug: slug wajib diisi",
        "Baris 5, kolom region_code: kode wilayah wajib diisi",
        f"Baris 5, kolom agency: nama instansi '{'D' * 40}…' lebih dari 200 karakter",
    ]
    session.expire_all()
    assert (count(session, ServiceUnit), count(session, Agency), count(session, ServicePoint)) == (
        0, 0, 0)


def test_a_missing_column_is_reported_on_the_header_row(session, tmp_path):
    path = write(tmp_path, "slug,name,region_code,agency\npkm,Puskesmas,35.78,Dinkes\n")
    try:
        import_units(session, path)
    except ImportFailed as failure:
        assert failure.errors == [
            RowError(1, "service_points", "kolom wajib tidak ada di baris judul")]
    else:
        raise AssertionError("ImportFailed not raised")


def test_importing_again_updates_names_and_only_adds_points(runner, session, tmp_path):
    import_units(session, write(tmp_path, GOOD))
    session.commit()
    kenjeran = unit(session, "pkm-kenjeran")
    tokens_before = {p.name: p.token for p in kenjeran.points}
    changed = HEADER + (
        # Renamed, another agency (a new level under the ministry) and one more point;
        # 'Apotek' is no longer listed but must be kept.
        "pkm-kenjeran,UPTD Puskesmas Kenjeran,35.78,"
        "Kementerian Kesehatan/Dinas Kesehatan Kota Surabaya/Bidang Pelayanan,"
        "Loket Pendaftaran;Laboratorium\n"
        "pkm-tanah-kali,Puskesmas Tanah Kali Kedinding,35.78,"
        "Kementerian Kesehatan/Dinas Kesehatan Kota Surabaya,\n"
        # A blank cell adds no 'Loket Utama' to a unit that already has points.
        "dukcapil-bandung,Disdukcapil Kota Bandung,32.73,Pemerintah Kota Bandung/Disdukcapil,\n")
    result = runner.invoke(cli, ["units", "import", str(write(tmp_path, changed))])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ("Unit layanan: 0 dibuat, 1 diperbarui; instansi: 1 dibuat; "
                                     "titik layanan: 1 dibuat.")
    session.expire_all()
    kenjeran = unit(session, "pkm-kenjeran")
    assert kenjeran.name == "UPTD Puskesmas Kenjeran"
    assert kenjeran.agency.name == "Bidang Pelayanan"
    assert kenjeran.agency.parent.name == "Dinas Kesehatan Kota Surabaya"
    assert [p.name for p in kenjeran.points] == ["Loket Pendaftaran", "Apotek", "Laboratorium"]
    assert {p.name: p.token for p in kenjeran.points[:2]} == tokens_before
    assert (count(session, ServiceUnit), count(session, Agency), count(session, ServicePoint)) == (
        3, 5, 7)


def test_the_same_file_twice_changes_nothing(session, tmp_path):
    path = write(tmp_path, GOOD)
    import_units(session, path)
    assert import_units(session, path).describe() == (
        "Unit layanan: 0 dibuat, 0 diperbarui; instansi: 0 dibuat; titik layanan: 0 dibuat.")
    assert (count(session, ServiceUnit), count(session, Agency), count(session, ServicePoint)) == (
        3, 4, 6)
