"""Report and export downloads and the public results page show the API's figures."""

import csv
import io
import subprocess
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from sqlalchemy import select

from survey.formatting import number
from survey.models import AuditEvent
from tests.web.conftest import UNITS, sign_in


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_unit_pdf_prints_the_apis_figures(admin, dataset, tmp_path):
    api = admin.get("/api/v1/units/unit-sby/ikm?period=2025-S2").get_json()
    response = admin.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025-S2")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="laporan-skm-unit-sby-2025-S2.pdf"' in response.headers["Content-Disposition"]
    text = pdf_text(response.data, tmp_path)
    assert "Unit unit-sby" in text and "Semester II 2025" in text
    assert f"IKM {number(api['ikm_konversi'])} · mutu {api['grade']}" in text
    for element in api["elements"]:
        assert f"{element['code']} {element['name']}" in text
        assert number(element["konversi"]) in text
    again = admin.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025-S2",
                    headers={"If-None-Match": response.headers["ETag"].strip('"')})
    assert again.status_code == 304  # rendered once, then served from the cache


def test_unit_pdf_in_english(admin, dataset, tmp_path):
    api = admin.get("/api/v1/units/unit-mks/ikm?period=2025").get_json()
    response = admin.get("/dasbor/unit/unit-mks/laporan.pdf?period=2025&locale=en")
    text = pdf_text(response.data, tmp_path)
    assert f"IKM {api['ikm_konversi']:.2f} · grade {api['grade']}" in text and "Year 2025" in text


@pytest.mark.parametrize("method", ["pooled", "mean_of_units"])
def test_scope_pdf_ranks_like_the_api(admin, dataset, tmp_path, method):
    api = admin.get(f"/api/v1/aggregate?scope=region:35&period=2025&group_by=regency"
                  f"&method={method}").get_json()
    response = admin.get(f"/dasbor/laporan.pdf?scope=region:35&period=2025&method={method}")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Jawa Timur" in text
    for position, row in enumerate(api["rows"], start=1):
        assert f"{position} {row['name']} {number(row['ikm_konversi'])} {row['grade']}" in text
    overall = admin.get(f"/api/v1/aggregate?scope=region:35&period=2025&method={method}"
                      "&group_by=province").get_json()["rows"][0]
    assert f"IKM {number(overall['ikm_konversi'])}" in text


def test_figures_xlsx_of_a_scope_holds_the_apis_numbers(admin, dataset):
    api = admin.get("/api/v1/aggregate?scope=national&period=2025&group_by=unit").get_json()
    response = admin.get("/dasbor/unduh.xlsx?scope=national&period=2025")
    assert response.status_code == 200
    assert "skm-figures-national-2025.xlsx" in response.headers["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(
        values_only=True))
    head = next(i for i, row in enumerate(rows) if row and row[0] == "No")
    columns = rows[head]
    units = {row[1]: dict(zip(columns, row)) for row in rows[head + 1:] if row[1]}
    assert set(units) == {slug for slug, _, _ in UNITS}
    for row in api["rows"]:
        unit = units[row["key"]]
        assert unit["Responden"] == row["respondents"]
        assert round(unit["IKM konversi"], 2) == pytest.approx(row["ikm_konversi"])
        assert unit["Mutu"] == row["grade"]
        assert unit["NRR U1"] == pytest.approx(unit["Jumlah U1"] / unit["Responden"])


def test_figures_of_one_unit_follow_the_official_sheet(admin, dataset):
    api = admin.get("/api/v1/units/unit-sda/ikm?period=2025-S1").get_json()
    xlsx = admin.get("/dasbor/unduh.xlsx?scope=unit:unit-sda&period=2025-S1&kind=figures")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    labels = {row[0]: row for row in rows if isinstance(row[0], str)}
    respondents = [row for row in rows if isinstance(row[0], int)]
    assert len(respondents) == api["respondents"]
    for index, element in enumerate(api["elements"], start=1):
        assert labels["NRR per unsur"][index] == pytest.approx(element["nrr"], abs=1e-4)
        assert labels["Jumlah nilai per unsur"][index] == sum(r[index] for r in respondents)
    assert round(labels["Konversi IKM (IKM × 25)"][1], 2) == pytest.approx(api["ikm_konversi"])
    text = admin.get("/dasbor/unduh.csv?scope=unit:unit-sda&period=2025-S1").data.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text)))
    assert ["No. responden", *(f"U{i}" for i in range(1, 10))] in parsed


def test_raw_responses_need_a_user_whose_scope_covers_them(web, users, session):
    address = "/dasbor/unduh.csv?scope=unit:unit-sby&period=2025&kind=responses"
    assert "/masuk" in web.get(address).location  # visitors are sent to sign in
    sign_in(web, users["unit"])  # bound to unit-sby
    assert web.get("/dasbor/unduh.csv?scope=region:35&period=2025&kind=responses"
                   ).status_code == 403
    response = web.get(address)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    api = web.get("/api/v1/units/unit-sby/ikm?period=2025").get_json()
    assert len(rows) == api["respondents"]
    assert "saran" not in rows[0] and "client_key" not in rows[0] and "client_uuid" not in rows[0]
    assert {row["zona_waktu"] for row in rows} == {"WIB"}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.target == "skm-responses-unit-unit-sby-2025.csv"
    assert event.email == users["unit"].email and event.detail["suggestions"] is False


def test_raw_responses_as_xlsx_with_suggestions_on_request(admin):
    response = admin.get("/dasbor/unduh.xlsx?scope=national&period=2025&kind=responses&saran=1")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]][-2:] == ["ditandai", "saran"]
    api = admin.get("/api/v1/aggregate?scope=national&period=2025&group_by=province").get_json()
    assert sheet.max_row - 1 == sum(row["respondents"] for row in api["rows"])


def test_report_downloads_are_in_the_audit_log(web, users, dataset, session):
    sign_in(web, users["unit"])
    assert web.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025").status_code == 200
    assert web.get("/dasbor/unit/unit-mks/laporan.pdf?period=2025").status_code == 403
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.download")
                            ).one()
    assert event.target == "laporan-skm-unit-sby-2025.pdf" and event.email == users["unit"].email


def test_public_results_page_publishes_the_latest_index(web, dataset):
    api = web.get("/api/v1/units/unit-jpr/ikm").get_json()  # default: latest semester
    page = web.get("/hasil/unit-jpr")
    assert page.status_code == 200 and "public" in page.headers["Cache-Control"]
    assert number(api["ikm_konversi"]) in page.text and api["label"] in page.text
    for element in api["elements"]:
        assert f"{element['code']} {element['name']}" in page.text
    assert "Rencana tindak lanjut" in page.text and "Belum ada rencana tindak lanjut" in page.text
    assert "http://suara.test/hasil/unit-jpr/lencana.svg" in page.text  # the embed code


def test_badge_is_a_cacheable_svg(web, dataset):
    api = web.get("/api/v1/units/unit-sby/ikm").get_json()
    response = web.get("/hasil/unit-sby/lencana.svg")
    assert response.mimetype == "image/svg+xml"
    assert "max-age=3600" in response.headers["Cache-Control"]
    root = ET.fromstring(response.data)
    assert root.get("aria-label").startswith(f"IKM {number(api['ikm_konversi'])} · {api['grade']}")
    again = web.get("/hasil/unit-sby/lencana.svg",
                    headers={"If-None-Match": response.headers["ETag"].strip('"')})
    assert again.status_code == 304


@pytest.mark.parametrize("address, status", [
    ("/hasil/tidak-ada", 404), ("/hasil/tidak-ada/lencana.svg", 404),
    ("/dasbor/unit/tidak-ada/laporan.pdf", 404),
    ("/dasbor/unit/unit-sby/laporan.pdf?period=x", 400),
    ("/dasbor/unit/unit-sby/laporan.pdf?locale=fr", 400),
    ("/dasbor/laporan.pdf?scope=bulan:1", 400),
    ("/dasbor/laporan.pdf?scope=region:99", 404), ("/dasbor/unduh.xlsx?kind=semua", 400),
    ("/dasbor/unduh.pdf", 404), ("/dasbor/laporan.pdf?method=median", 400),
])
def test_bad_addresses_get_a_polite_answer(admin, dataset, address, status):
    response = admin.get(address)
    assert response.status_code == status
    assert "Traceback" not in response.text


def test_public_results_page_in_english(web, dataset):
    api = web.get("/api/v1/units/unit-jpr/ikm").get_json()
    page = web.get("/hasil/unit-jpr?lang=en")
    assert '<html lang="en">' in page.text and "Public satisfaction index" in page.text
    assert number(api["ikm_konversi"]) in page.text
    for element in api["elements"]:
        assert f"{element['code']} {element['name_en']}" in page.text
    assert "Nilai per unsur" not in page.text
