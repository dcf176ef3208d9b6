"""Text responses are gzipped when the browser asks and no proxy does it (survey/compression.py):
the same bytes once decompressed, `Vary: Accept-Encoding`, an ETag of their own; files that
are compressed already, small bodies and refused encodings are left as they are."""

import gzip
import re

import pytest
from flask import Response
from sqlalchemy import select

from survey import create_app
from survey.compression import MIN_SIZE
from survey.config import settings
from survey.models import ServicePoint, ServiceUnit
from tests.web.conftest import sign_in

GZIP = {"Accept-Encoding": "gzip"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # what Chromium sends


def both(client, address: str, headers: dict = BROWSER) -> tuple[Response, Response]:
    """Return the response to a request without Accept-Encoding and to one with `headers`,
    read and closed (a closed static file shows that compression kept its close())."""
    responses = []
    for sent in ({}, headers):
        response = client.get(address, headers=sent)
        response.get_data()
        response.close()
        responses.append(response)
    return tuple(responses)


# A signed-in page's CSRF token is signed with the time, and a form page has a client_uuid of
# its own (survey/public/fresh.py): two views of a page differ in these values only.
PER_VIEW = re.compile(rb'(name="(?:csrf_token|client_uuid)"[^>]*? value=")[^"]+"')


def per_view_blanked(body: bytes) -> bytes:
    """Return a page with its per-view values blanked."""
    return PER_VIEW.sub(rb'\1"', body)


def varies_by_encoding(response: Response) -> bool:
    return "accept-encoding" in response.headers.get("Vary", "").lower()


@pytest.fixture
def point(session, dataset):
    """Add a service point to unit-sby of the dataset."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    point = ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-gzip-1")
    session.add(point)
    session.commit()
    return point


def assert_gzipped_alike(plain: Response, zipped: Response, mimetype: str) -> None:
    """Check that one response is the other gzipped, both marked as varying by encoding."""
    assert plain.status_code == zipped.status_code == 200
    assert plain.mimetype == zipped.mimetype == mimetype
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert per_view_blanked(gzip.decompress(zipped.data)) == per_view_blanked(plain.data)
    assert len(zipped.data) < len(plain.data)
    assert varies_by_encoding(plain) and varies_by_encoding(zipped)


@pytest.mark.parametrize("address", ["/", "/hasil/unit-sby", "/masuk"])
def test_citizens_pages_are_gzipped_when_asked(client, dataset, address):
    assert_gzipped_alike(*both(client, address), "text/html")


@pytest.mark.parametrize("address", ["/hasil/unit-sby", "/dasbor/?scope=national&period=2025"])
def test_signed_in_pages_are_not_compressed_they_carry_the_csrf_token(admin, dataset, address):
    plain, asked = both(admin, address)
    assert asked.status_code == 200 and asked.mimetype == "text/html"
    assert len(PER_VIEW.findall(asked.data)) >= 1  # the sign-out form's token
    assert "Content-Encoding" not in asked.headers
    assert per_view_blanked(asked.data) == per_view_blanked(plain.data)
    assert varies_by_encoding(asked)  # a visitor's copy of /hasil is compressed


@pytest.mark.parametrize("address, mimetype", [
    ("/static/suara.css", "text/css"),  # a static file: streamed from disk
    ("/static/kiosk.js", "text/javascript"),
    ("/dasbor/grafik/ranking.svg?scope=national&period=2025", "image/svg+xml"),
    ("/api/v1/aggregate?period=2025&group_by=unit", "application/json"),
    ("/api/v1/openapi.json", "application/json"),
    # Streamed row by row from the database.
    ("/dasbor/unduh.csv?scope=unit:unit-sda&period=2025&kind=responses", "text/csv"),
])
def test_staff_text_is_gzipped_when_asked_and_decompresses_to_the_same_bytes(admin, address,
                                                                             mimetype):
    assert_gzipped_alike(*both(admin, address), mimetype)


def test_the_citizen_form_is_gzipped_and_still_varies_by_language_not_cookie(client, point):
    plain, zipped = both(client, "/s/tok-gzip-1")
    assert zipped.headers["Content-Encoding"] == "gzip"
    unzipped = gzip.decompress(zipped.data)
    assert len(PER_VIEW.findall(unzipped)) == 2  # the client_uuid and the form token
    assert per_view_blanked(unzipped) == per_view_blanked(plain.data)
    assert zipped.headers["Vary"] == "Accept-Language, Accept-Encoding"


@pytest.mark.parametrize("accept_encoding", [
    "", "identity", "gzip;q=0", "gzip; q=0", "deflate, gzip;q=0", "br, zstd",
    "gzip;q=0, *", "*;q=0",
])
def test_not_gzipped_when_gzip_is_not_acceptable(client, dataset, accept_encoding):
    response = client.get("/hasil/unit-sby", headers={"Accept-Encoding": accept_encoding})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert "<html" in response.text
    assert varies_by_encoding(response)


@pytest.mark.parametrize("accept_encoding",
                         ["gzip", "GZIP", "gzip;q=0.5", "*", "br;q=1, gzip;q=0.1"])
def test_gzipped_whenever_gzip_is_acceptable(client, dataset, accept_encoding):
    response = client.get("/hasil/unit-sby", headers={"Accept-Encoding": accept_encoding})
    assert response.headers["Content-Encoding"] == "gzip"


def test_identity_preferred_over_gzip_is_honoured(client, dataset):
    response = client.get("/hasil/unit-sby",
                          headers={"Accept-Encoding": "gzip;q=0.5, identity;q=1"})
    assert "Content-Encoding" not in response.headers


@pytest.mark.parametrize("address, mimetype", [
    ("/dasbor/unit/unit-sby/laporan.pdf?period=2025", "application/pdf"),
    ("/dasbor/unit/unit-sby/laporan.docx?period=2025",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("/dasbor/unduh.xlsx?scope=unit:unit-sby&period=2025",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("/admin/units/unit-sby/points/{point}/qr.png", "image/png"),
])
def test_files_compressed_already_are_sent_as_they_are(admin, point, address, mimetype):
    address = address.format(point=point.id)
    plain, asked = both(admin, address)
    assert asked.status_code == 200 and asked.mimetype == mimetype
    assert "Content-Encoding" not in asked.headers
    assert len(asked.data) == len(plain.data) > MIN_SIZE


def test_a_small_body_is_not_gzipped(client):
    # static/paper.js is under 500 bytes, compression.MIN_SIZE.
    plain, asked = both(client, "/static/paper.js")
    assert plain.mimetype == "text/javascript" and len(plain.data) < MIN_SIZE
    assert "Content-Encoding" not in asked.headers and asked.data == plain.data


def test_a_body_already_encoded_is_left_alone(app):
    body = gzip.compress(b"<p>" + b"x" * 2000 + b"</p>")
    with app.test_request_context("/", headers=GZIP):
        response = app.process_response(
            Response(body, mimetype="text/html", headers={"Content-Encoding": "gzip"}))
        assert response.get_data() == body


def test_a_compressed_body_has_its_own_etag_and_its_own_304(admin, dataset):
    address = "/dasbor/grafik/ranking.svg?scope=national&period=2025"
    plain, zipped = both(admin, address, GZIP)
    tag, weak = plain.get_etag()
    assert not weak and zipped.get_etag() == (f"{tag}:gzip", False)
    again = admin.get(address, headers={**GZIP, "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert varies_by_encoding(again)
    # The compressed tag does not validate the uncompressed body.
    assert admin.get(address, headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 200
    # A browser holding the uncompressed copy may keep it: 304 under that copy's own tag.
    kept = admin.get(address, headers={**GZIP, "If-None-Match": plain.headers["ETag"]})
    assert kept.status_code == 304 and kept.get_etag() == (tag, False)


def test_a_static_file_revalidates_compressed(client):
    plain, zipped = both(client, "/static/suara.css", GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.get_etag() == (f"{plain.get_etag()[0]}:gzip", False)
    tag = zipped.headers["ETag"]
    with client.get("/static/suara.css", headers={**GZIP, "If-None-Match": tag}) as again:
        assert again.status_code == 304 and again.data == b""
    with client.get("/static/suara.css", headers={"If-None-Match": tag}) as identity:
        assert identity.status_code == 200 and identity.data == plain.data


def test_a_range_of_a_static_file_is_not_gzipped(client):
    with client.get("/static/suara.css") as whole:
        plain = whole.data
    with client.get("/static/suara.css", headers={**GZIP, "Range": "bytes=0-999"}) as part:
        assert part.status_code == 206 and "Content-Encoding" not in part.headers
        assert part.headers["Content-Range"] == f"bytes 0-999/{len(plain)}"
        assert part.data == plain[:1000]


def test_head_announces_the_compressed_length(client, dataset):
    zipped = client.get("/hasil/unit-sby", headers=GZIP)
    head = client.head("/hasil/unit-sby", headers=GZIP)
    assert head.headers["Content-Encoding"] == "gzip" and head.data == b""
    assert head.headers["Content-Length"] == zipped.headers["Content-Length"] == str(
        len(zipped.data))


# Every kind of page, public and staff, answers as before when the browser asks for gzip.
PAGES = [("/", None), ("/masuk", None), ("/hasil/unit-sby", None), ("/s/tok-gzip-1", None),
         ("/tidak-ada", None), ("/api/v1/units/unit-mks/ikm?period=2025", None),
         ("/api/v1/units/tidak-ada/ikm", None), ("/dasbor/", None),
         ("/dasbor/?scope=national&period=2025", "admin"),
         ("/dasbor/?scope=region:35&period=2025", "region"),
         ("/dasbor/unit/unit-sby?period=2025", "unit"),
         ("/dasbor/unit/unit-sby/kotak-masuk", "unit"), ("/dasbor/unit/unit-sby/kertas", "unit"),
         ("/dasbor/unit/unit-sby/tinjauan", "unit"), ("/dasbor/persetujuan", "agency"),
         ("/dasbor/tindak-lanjut", "unit"), ("/akun", "unit"), ("/admin/", "admin"),
         ("/admin/users", "admin"), ("/admin/units/new", "admin"),
         ("/dasbor/unit/unit-sby/grafik/gauge.svg?period=2025", "unit"),
         ("/dasbor/?scope=region:73&period=2025", "region")]


@pytest.mark.parametrize("address, role", PAGES)
def test_every_page_answers_the_same_with_compression(web, users, point, address, role):
    if role:
        sign_in(web, users[role])
    plain, zipped = both(web, address)
    assert zipped.status_code == plain.status_code, address
    assert zipped.headers.get("Location") == plain.headers.get("Location")
    if zipped.headers.get("Content-Encoding") == "gzip":
        assert len(gzip.decompress(zipped.data)) >= MIN_SIZE
    assert varies_by_encoding(zipped)


@pytest.fixture(scope="module")
def proxied(database_url, tmp_path_factory):
    """Return SUARA configured as behind a proxy that compresses."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-secret", "SUARA_BASE_URL": "http://suara.test",
                      "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
                      "SUARA_PROXY_COMPRESSES": True})
    yield app
    app.extensions["suara.db"].engine.dispose()


@pytest.mark.parametrize("address", ["/masuk", "/static/suara.css", "/api/v1/openapi.json"])
def test_nothing_is_compressed_when_a_proxy_does_it(proxied, address):
    response = proxied.test_client().get(address, headers=BROWSER)
    assert response.status_code == 200 and len(response.data) > MIN_SIZE
    assert "Content-Encoding" not in response.headers
    assert not varies_by_encoding(response)  # the proxy adds it along with the encoding
    response.close()


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("YES", True),
                                             ("0", False), ("", False), ("no", False)])
def test_the_proxy_setting_is_read_from_the_environment(monkeypatch, tmp_path, value,
                                                        expected):
    monkeypatch.setenv("SUARA_PROXY_COMPRESSES", value)
    given = {"SECRET_KEY": "k", "DATABASE_URL": "sqlite://"}
    assert settings(tmp_path, given)["SUARA_PROXY_COMPRESSES"] is expected
