"""The staff pages of history imports: upload, preview with the column mapping, confirm."""

import io
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from survey.history_import import uploads
from survey.models import AuditEvent, ImportMapping, Response, ServiceUnit
from tests.web.conftest import sign_in
from tests.web.test_history_import import GOOD, GOOGLE_ROWS, QUESTIONS, google_csv

PAGE = "/dasbor/unit/unit-sby/impor-riwayat"


@pytest.fixture
def sby(app, session, users, tmp_path, monkeypatch):
    """unit-sby, registered in 2020 (its 2026 history is within its dates), its staff signed in,
    uploads kept in a folder of the test's own."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    unit.created_at = datetime(2020, 1, 1, tzinfo=timezone.utc)
    session.commit()
    monkeypatch.setitem(app.config, "SUARA_IMPORT_DIR", str(tmp_path / "impor"))
    return unit


@pytest.fixture
def staff(client, users, sby):
    sign_in(client, users["unit"])
    return client


def csrf(client, address=PAGE):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def upload(client, content: bytes, name="skm.csv", **fields):
    builder = EnvironBuilder(PAGE, method="POST", data={
        "csrf_token": csrf(client), "berkas": (io.BytesIO(content), name), **fields})
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:  # a body above 500 KB is spooled to a temporary file the builder leaves open
        environ["wsgi.input"].close()
        builder.close()


def kept(tmp_path):
    folder = tmp_path / "impor"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def selected(page: str, column: int) -> str:
    select_ = re.search(rf'<select[^>]*name="kolom_{column}".*?</select>', page, re.S).group(0)
    return re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                     select_).group(0)


def counted(session, model, *where):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_upload_preview_confirm_and_the_next_file_reuses_the_mapping(staff, session, sby,
                                                                     tmp_path):
    content = google_csv(tmp_path / "skm.csv").read_bytes()
    sent = upload(staff, content)
    assert sent.status_code == 303
    preview = sent.headers["Location"]
    [name] = kept(tmp_path)
    assert name.startswith(f"{sby.id}-") and name.endswith(".csv")  # never the user's name
    page = staff.get(preview).text
    assert "Pratinjau impor: Google Forms (CSV)" in page
    assert "2 baris jawaban;" in page and "0 kesalahan." in page
    assert "adalah tebakan" in page
    assert 'value="u1"' in selected(page, 1) and 'value="submitted_at"' in selected(page, 0)
    assert "Sangat sesuai" in page  # the first rows, after the mapping
    form = {"csrf_token": csrf(staff, preview), "jenis": "google", "aksi": "impor",
            **{f"kolom_{i}": field for i, field in enumerate(
                ["submitted_at", *(f"u{i}" for i in range(1, 10)), "gender", "age",
                 "suggestion"])}}
    done = staff.post(preview, data=form)
    assert done.status_code == 303 and "/hasil/" in done.headers["Location"]
    result = staff.get(done.headers["Location"]).text
    assert "2 jawaban baru diimpor ke" in result and "0 baris sudah ada" in result
    assert kept(tmp_path) == []  # deleted once imported
    assert counted(session, Response, Response.unit_id == sby.id,
                   Response.batch_id.is_not(None)) == 2
    [event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "history.import")).all()
    assert (event.unit_id, event.detail["imported"], event.detail["source"]) == (
        sby.id, 2, "google")
    assert counted(session, ImportMapping, ImportMapping.unit_id == sby.id) == 1
    # The same form's next export: the saved mapping is shown, the stored rows recognised.
    again = staff.get(upload(staff, content).headers["Location"]).text
    assert "pemetaan yang tersimpan" in again


def test_bad_rows_are_listed_with_row_and_column_and_no_import_button(staff, session, sby,
                                                                      tmp_path):
    rows = [GOOGLE_ROWS[0], ["10/02/2026 08:05:10", "Sesuai", "Mudah", "Lumayan", *GOOD[3:],
                             "", "", ""]]
    preview = upload(staff, google_csv(tmp_path / "skm.csv", rows).read_bytes())
    page = staff.get(preview.headers["Location"]).text
    assert "1 kesalahan." in page
    # Row 3 of the file, column D: the third question (U3); its text shown to 40 characters.
    assert (f"<li>Baris 3, kolom D ({QUESTIONS[2][:40]}): jawaban harus angka 1 sampai 4 "
            "atau kata jawaban pertanyaannya (tertulis &#39;Lumayan&#39;)</li>" in page)
    assert 'value="impor"' not in page
    assert counted(session, Response, Response.unit_id == sby.id,
                   Response.batch_id.is_not(None)) == 0


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04" + b"bukan arsip" * 10, "bukan XLSX yang utuh"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "format XLS lama tidak didukung"),
    (b"", "Berkas kosong"),
    (b"judul,lain\n1,2\n", "jenis berkas tidak dikenali"),
    (b"x" * (uploads.MAX_BYTES + 1), "lebih dari 5 MB"),
])
def test_a_malformed_file_gets_a_polite_message_and_is_not_kept(staff, tmp_path, content,
                                                                message):
    sent = upload(staff, content)
    if sent.status_code == 303:  # kept for its preview, refused when read
        sent = staff.get(sent.headers["Location"])
    assert sent.status_code == 422
    assert message in sent.text
    assert kept(tmp_path) == []


def test_the_pages_are_for_those_who_see_the_unit(client, users, sby):
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    sign_in(client, users["region"])  # Jawa Timur: contains unit-sby
    assert client.get(PAGE).status_code == 200
    assert client.get(f"{PAGE}/{'0' * 32}").status_code == 303  # no such file: back to upload

