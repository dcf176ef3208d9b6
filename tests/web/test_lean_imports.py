"""Start-up stays lean: creating the app and serving the citizen form and the home page load
none of the plotting, report or statistics libraries (each worker would otherwise carry about
120 MB and 2.5 s of imports it may never use; bench/lean.py measures both)."""

import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy.orm import Session

from survey.db import make_engine
from survey.models import Agency, ServicePoint, ServiceUnit
from tests.conftest import migrated_database

HEAVY = ("PIL", "cryptography", "docx", "fpdf", "matplotlib", "numpy", "scipy",
         "xlsxwriter")
# In a fresh interpreter, so that nothing another test imported counts. The POST carries a
# token as the form page signs it for a view a minute old (survey/public/csrf.py), as a
# phone sends it.
SCRIPT = """
import json, re, sys, time, uuid
from survey import create_app
from survey.public.csrf import FormTicket, sign

url, cache, token = sys.argv[1:4]
app = create_app({"DATABASE_URL": url, "SECRET_KEY": "lean", "CACHE_DIR": cache,
                  "SUARA_BASE_URL": "http://suara.test"})
loaded = {"create_app": sorted(name for name in HEAVY if name in sys.modules)}
client = app.test_client()
page = client.get(f"/s/{token}")
client_uuid = uuid.uuid4()
now = int(time.time())
answers = {f"U{n}": str((n - 1) % 4 + 1) for n in range(1, 10)}
sent = client.post(f"/s/{token}", data={
    **answers, "client_uuid": str(client_uuid), "gender": "P", "age": "34", "education": "SMA",
    "occupation": "SWASTA", "service_type": "KTP elektronik", "website": "",
    "csrf_token": sign("lean", FormTicket(token, now, now - 60, client_uuid.hex))})
home = client.get("/")
loaded["requests"] = sorted(name for name in HEAVY if name in sys.modules)
print(json.dumps({"statuses": [page.status_code, sent.status_code, home.status_code],
                  "home_shows_index": "58,33" in home.text, **loaded}))
"""


@pytest.fixture(scope="module")
def lean_database(tmp_path_factory):
    """Return a migrated database of its own, committed (the subprocess reads it), holding one
    unit in Surabaya (35.78) with one service point."""
    with migrated_database(tmp_path_factory.mktemp("lean")) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            agency = Agency(name="Pemerintah Kota Ramping")
            session.add(agency)
            session.flush()
            unit = ServiceUnit(slug="puskesmas-ramping", name="Puskesmas Ramping",
                               agency_id=agency.id, region_code="35.78")
            session.add(unit)
            session.flush()
            session.add(ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-ramping-1"))
            session.commit()
        engine.dispose()
        yield url


def test_app_form_and_home_page_load_no_plotting_report_or_statistics_library(
        lean_database, tmp_path):
    code = f"HEAVY = {HEAVY!r}\n{SCRIPT}"
    finished = subprocess.run([sys.executable, "-c", code, lean_database, str(tmp_path),
                               "tok-ramping-1"], capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    found = json.loads(finished.stdout.splitlines()[-1])
    # The form page, the stored answer (303 to the thank-you page), the home page listing the
    # unit with its provisional index, 25 · t / 9n = 25 · 21 / 9 = 58,33 (answers 1, 2, 3, 4,
    # 1, 2, 3, 4, 1): the paths were really taken, the index computed.
    assert found["statuses"] == [200, 303, 200]
    assert found["home_shows_index"]
    assert found["create_app"] == []
    assert found["requests"] == []


# The dashboards and the API compute their statistics with the standard library alone
# (analysis/student_t.py, analysis/group_index.py): neither numpy nor scipy (some 29 MB a
# worker) nor matplotlib (the charts are requests of their own). Signed in as an administrator; a minimum sample of 5 so that every change
# between periods is really tested (Welch) and the trend gets its Kendall p-value.
DASHBOARD_SCRIPT = """
import json, sys
from survey import create_app

url, cache, slug, uid, version = sys.argv[1:6]
app = create_app({"DATABASE_URL": url, "SECRET_KEY": "lean", "CACHE_DIR": cache,
                  "SUARA_BASE_URL": "http://suara.test", "SUARA_MIN_RESPONDENTS": 5})
client = app.test_client()
with client.session_transaction() as cookie:
    cookie["uid"], cookie["v"] = int(uid), int(version)
answers = [client.get(address) for address in (
    f"/dasbor/unit/{slug}", "/dasbor/?period=2025", f"/api/v1/units/{slug}/ikm",
    f"/api/v1/units/{slug}/trend", "/api/v1/aggregate?period=2025&group_by=province",
    "/api/v1/aggregate?period=2025-S2&elements=true")]
print(json.dumps({"statuses": [answer.status_code for answer in answers],
                  "trend": answers[3].get_json(),
                  "loaded": sorted(name for name in sys.modules
                                   if name.split(".")[0] in HEAVY)}))
"""
SEMESTERS = ((2024, 2), (2024, 8), (2025, 2), (2025, 8))  # a month in each of four semesters


@pytest.fixture(scope="module")
def dashboard_database(tmp_path_factory):
    """Return a migrated database of its own, committed, holding an administrator and one unit
    with 8 answers of differing means in each of four semesters (2024-S1 .. 2025-S2)."""
    from survey.auth.accounts import hash_password
    from survey.models import User
    from survey.responses import default_questionnaire, insert_rows, response_values

    with migrated_database(tmp_path_factory.mktemp("lean-dashboard")) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            agency = Agency(name="Pemerintah Kota Ramping")
            session.add(agency)
            session.flush()
            unit = ServiceUnit(slug="puskesmas-lengkap", name="Puskesmas Lengkap",
                               agency_id=agency.id, region_code="35.78")
            admin = User(email="admin@ramping.go.id", name="Admin", role="admin",
                         password_hash=hash_password("kata-sandi-uji-123"))
            session.add_all([unit, admin])
            session.flush()
            questionnaire = default_questionnaire(session)
            insert_rows(session, [response_values(
                unit, questionnaire_id=questionnaire.id, channel="link",
                submitted_at=datetime(year, month, 1 + k, 3, tzinfo=timezone.utc),
                answers={f"U{e}": min(4, 1 + k % 3 + (e + s) % 2) for e in range(1, 10)},
                client_uuid=uuid.UUID(int=100 * s + k))
                for s, (year, month) in enumerate(SEMESTERS) for k in range(8)])
            session.commit()
            yield url, admin.id, admin.session_version
        engine.dispose()


def test_dashboards_and_api_figures_load_no_plotting_report_or_statistics_library(
        dashboard_database, tmp_path):
    url, uid, version = dashboard_database
    code = f"HEAVY = {HEAVY!r}\n{DASHBOARD_SCRIPT}"
    finished = subprocess.run([sys.executable, "-c", code, url, str(tmp_path),
                               "puskesmas-lengkap", str(uid), str(version)],
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    found = json.loads(finished.stdout.splitlines()[-1])
    assert found["statuses"] == [200] * 6
    # The statistics really ran: each of the three changes tested with Welch's t, and the
    # trend over four semesters with its Theil-Sen interval and Kendall p-value.
    changes = [point["change"] for point in found["trend"]["periods"]]
    assert changes[0] is None and [change["test"] for change in changes[1:]] == ["welch"] * 3
    assert all(change["p_value"] is not None for change in changes[1:])
    assert found["trend"]["trend"]["p_value"] is not None
    assert found["trend"]["trend"]["low"] is not None
    assert found["loaded"] == []


# Report PDFs, the Word report and QR posters are drawn by the renderer process (survey/
# renderer.py): the worker that serves them loads none of matplotlib, fpdf or python-docx.
DOCUMENTS_SCRIPT = """
import json, sys
from survey import create_app
from survey.models import ServicePoint

url, cache, instance, slug, uid, version = sys.argv[1:7]
app = create_app({"DATABASE_URL": url, "SECRET_KEY": "lean", "CACHE_DIR": cache,
                  "SUARA_BASE_URL": "http://suara.test", "SUARA_RENDERER": "process"})
app.instance_path = instance
client = app.test_client()
with client.session_transaction() as cookie:
    cookie["uid"], cookie["v"] = int(uid), int(version)
with app.app_context():
    from survey import db
    point = db.session().query(ServicePoint).one()
answers = [client.get(address) for address in (
    f"/dasbor/unit/{slug}/laporan.pdf?period=2025-S2",
    f"/dasbor/unit/{slug}/laporan.docx?period=2025-S2", "/dasbor/laporan.pdf?period=2025",
    f"/admin/units/{slug}/points/{point.id}/poster.pdf")]
print(json.dumps({"statuses": [answer.status_code for answer in answers],
                  "starts": [answer.data[:4].decode("latin-1") for answer in answers],
                  "loaded": sorted(name for name in sys.modules if name in HEAVY)}))
"""


def test_documents_are_drawn_outside_the_worker(dashboard_database, tmp_path):
    from survey import renderer

    url, uid, version = dashboard_database
    engine = make_engine(url)
    with Session(engine) as session:
        unit = session.query(ServiceUnit).filter_by(slug="puskesmas-lengkap").one()
        session.add(ServicePoint(unit_id=unit.id, name="Loket Dokumen", token="tok-dokumen-1"))
        session.commit()
    engine.dispose()
    code = f"HEAVY = {HEAVY!r}\n{DOCUMENTS_SCRIPT}"
    instance = tmp_path / "instance"
    try:
        finished = subprocess.run([sys.executable, "-c", code, url, str(tmp_path / "cache"),
                                   str(instance), "puskesmas-lengkap", str(uid), str(version)],
                                  capture_output=True, text=True, timeout=180)
    finally:
        renderer.socket_path(instance).unlink(missing_ok=True)  # the renderer leaves
    assert finished.returncode == 0, finished.stderr[-3000:]
    found = json.loads(finished.stdout.splitlines()[-1])
    assert found["statuses"] == [200] * 4
    assert found["starts"] == ["%PDF", "PK\x03\x04", "%PDF", "%PDF"]  # a DOCX is a ZIP
    # numpy and scipy.special compute the report's statistics; nothing draws.
    assert not {"matplotlib", "fpdf", "docx"} & set(found["loaded"])
