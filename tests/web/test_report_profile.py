"""A unit's report profile (signatory, foreword, logo) on its edit page, printed in the PDF
and the DOCX report; the DOCX download has the PDF's access rules and audit entry."""

import io
import subprocess

import docx
from PIL import Image
from sqlalchemy import select

from survey.formatting import number
from survey.models import AuditEvent, UnitReportProfile
from tests.web.conftest import sign_in
from tests.web.test_admin_units import post, unit

NIP = "198203152006042011"  # 18 digits: born 1982-03-15, appointed 2006-04, woman, number 011
EDIT = "/admin/units/unit-sby/edit"
SAVE = "/admin/units/unit-sby/report-profile"


def image(kind: str = "PNG", size=(200, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def form(**changes):
    return {"head_name": "Drs. Budi Santoso", "head_nip": NIP, "head_position": "Kepala UPT",
            "place": "Surabaya", "foreword": "", **changes}


def test_edit_page_offers_the_report_form_with_the_default_foreword(admin, dataset):
    page = admin.get(EDIT).text
    assert 'name="head_nip"' in page and 'enctype="multipart/form-data"' in page
    assert "Puji syukur kami panjatkan" in page and "Unit unit-sby" in page


def test_saved_signatory_and_logo_are_printed_on_the_lembar_pengesahan(admin, dataset,
                                                                       session, tmp_path):
    sent = image("JPEG")
    response = post(admin, SAVE, form(logo=(io.BytesIO(sent), "logo.jpg")),
                    content_type="multipart/form-data")
    assert response.status_code == 303
    stored = session.get(UnitReportProfile, unit(session, "unit-sby").id)
    assert (stored.head_name, stored.head_nip, stored.logo_type) == (
        "Drs. Budi Santoso", NIP, "jpeg")
    assert stored.logo != sent and Image.open(io.BytesIO(stored.logo)).size == (200, 80)
    assert stored.foreword is None  # empty: the default text applies
    pdf = admin.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025-S2").data
    (tmp_path / "r.pdf").write_bytes(pdf)
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(tmp_path / "r.pdf"),
                           "-"], check=True, capture_output=True, text=True).stdout
    assert "LEMBAR PENGESAHAN" in page and "Drs. Budi Santoso" in page
    assert f"NIP. {NIP}" in page and "Kepala UPT" in page and "Surabaya, " in page
    images = subprocess.run(["pdfimages", "-list", "-f", "1", "-l", "1", str(tmp_path / "r.pdf")],
                            check=True, capture_output=True, text=True).stdout
    assert " 200    80 " in images  # the logo on the cover, at its stored size


def test_a_wrong_nip_is_refused_politely(admin, dataset, session):
    response = post(admin, SAVE, form(head_nip="19820315 2006"))
    assert response.status_code == 422
    assert "NIP terdiri atas 18 angka" in response.text
    assert session.get(UnitReportProfile, unit(session, "unit-sby").id) is None


def test_a_logo_that_is_not_an_image_or_too_large_is_refused(admin, dataset, session):
    # A real PNG header followed by 1 MB of filler: over the limit, refused before decoding.
    refused = [(b"<svg onload=alert(1)>", "Logo harus berupa gambar PNG atau JPEG."),
               (image() + b"\0" * (1024 * 1024), "paling besar 1 MB"),
               (image(size=(4000, 10)), "4000 × 10 piksel"),
               (image()[:40], "rusak atau tidak dapat dibaca")]
    for body, message in refused:
        response = post(admin, SAVE, form(logo=(io.BytesIO(body), "logo.png")),
                        content_type="multipart/form-data")
        response.request.environ["wsgi.input"].close()  # the test client's spooled body
        assert response.status_code == 422 and message in response.text
    assert session.get(UnitReportProfile, unit(session, "unit-sby").id) is None


def test_docx_report_holds_the_apis_figures_and_is_audited(web, users, dataset,
                                                          session):
    sign_in(web, users["unit"])
    api = web.get("/api/v1/units/unit-sby/ikm?period=2025").get_json()
    response = web.get("/dasbor/unit/unit-sby/laporan.docx?period=2025")
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "laporan-skm-unit-sby-2025.docx" in disposition
    document = docx.Document(io.BytesIO(response.data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"IKM {number(api['ikm_konversi'])} · mutu {api['grade']}" in body
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Unsur")
    names = [row.cells[1].text for row in table.rows[1:10]]
    assert names == [element["name"] for element in api["elements"]]
    assert web.get("/dasbor/unit/unit-mks/laporan.docx?period=2025").status_code == 403
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.download")
                            ).one()
    assert event.target == "laporan-skm-unit-sby-2025.docx"


def test_a_kept_signing_date_is_printed_and_bounded(admin, dataset, session, tmp_path):
    assert post(admin, SAVE, form(signed_on="2026-11-30")).status_code == 303
    assert session.get(UnitReportProfile, unit(session, "unit-sby").id).signed_on.isoformat() \
        == "2026-11-30"
    pdf = admin.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025-S2").data
    (tmp_path / "r.pdf").write_bytes(pdf)
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(tmp_path / "r.pdf"),
                           "-"], check=True, capture_output=True, text=True).stdout
    assert "Surabaya, 30 November 2026" in page
    refused = post(admin, SAVE, form(signed_on="1999-12-31"))
    assert refused.status_code == 422 and "Isi tanggal antara 01-01-2000" in refused.text
