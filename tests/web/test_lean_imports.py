"""Start-up stays lean: creating the app and serving the citizen form and the home page load
none of the plotting, report or statistics libraries (each worker would otherwise carry about
120 MB and 2.5 s of imports it may never use; bench/lean.py measures both)."""

import json
import subprocess
import sys

import pytest
from sqlalchemy.orm import Session

from survey import migrate
from survey.db import make_engine
from survey.models import Agency, ServicePoint, ServiceUnit
from survey.regions import bundled_csv, load_regions
from tests.conftest import scratch_database

HEAVY = ("docx", "fpdf", "matplotlib", "numpy", "scipy", "xlsxwriter")
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
    with scratch_database(tmp_path_factory.mktemp("lean")) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        with Session(engine) as session:
            load_regions(session, bundled_csv())
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
