"""Open data (/data, /data.json, /data/<semester>/units.csv|json): the demo's published unit
figures are the public results page's and the API's, small samples are hidden the same way,
only closed semesters are served, and the catalogue is valid DCAT-US 1.1."""

import copy
import csv
import io
import json
import re
import uuid
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sqlalchemy import select

from survey.demo import load_demo
from survey.demo_data import PERIODS, UNITS
from survey.formatting import integer, number
from survey.models import Agency, ServiceUnit
from survey.opendata.catalogue import closing_day
from survey.periods import current_semester, shifted
from survey.responses import default_questionnaire, insert_rows, response_values

BASE = "http://suara.test"  # SUARA_BASE_URL of the test application (tests/conftest.py)
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "dcat-us-1.1"
OPEN = current_semester(closing_day())
CLOSED = shifted(OPEN, -1)
WIB = timezone(timedelta(hours=7))


@pytest.fixture
def demo(session):
    """Load the demo data set (21 units, 2025-S1 .. 2026-S1) into the test's transaction."""
    load_demo(session)
    session.commit()


@pytest.fixture
def small(session, demo):
    """Add a unit with 7 identical answers (all 4) in the last closed semester: fewer than
    the minimum of 30 (survey/samples.py); its name starts like a spreadsheet formula."""
    agency = session.scalars(select(Agency).order_by(Agency.id)).first()
    unit = ServiceUnit(slug="unit-kecil", name="=Unit Kecil", region_code="35.78",
                       agency_id=agency.id)
    session.add(unit)
    session.flush()
    questionnaire = default_questionnaire(session)
    start = datetime.combine(CLOSED.starts_on + timedelta(days=10), time(9), WIB)
    insert_rows(session, [response_values(
        unit, questionnaire_id=questionnaire.id, submitted_at=start + timedelta(minutes=i),
        channel="link", answers={f"U{e}": 4 for e in range(1, 10)}, client_uuid=uuid.uuid4())
        for i in range(7)])
    session.commit()
    return unit


def _csv_rows(response) -> list[dict]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # UTF-8 with a BOM, as the other CSV exports
    return list(csv.DictReader(io.StringIO(text[1:])))


def _catalogue(web) -> dict:
    response = web.get("/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_catalogue_lists_the_closed_demo_semesters_newest_first(web, demo):
    labels = [d["identifier"].rsplit("/", 1)[1] for d in _catalogue(web)["dataset"]]
    # survey/demo_data.py PERIODS: 2025-S1, 2025-S2, 2026-S1; those before the open semester.
    demo_labels = ["2026-S1", "2025-S2", "2025-S1"]
    assert labels == [label for label in demo_labels if label < OPEN.label]
    assert OPEN.label not in labels


def _validator(schema_file: str, drop_required: tuple = ()) -> Draft4Validator:
    """Return a validator of the vendored DCAT-US 1.1 schema files (tests/schemas/)."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        if path.name == schema_file:
            contents["required"] = [f for f in contents["required"] if f not in drop_required]
            root = contents
        resources.append(Resource.from_contents(contents, default_specification=DRAFT4))
    registry = Registry().with_resources((r.id(), r) for r in resources if r.id()).crawl()
    return Draft4Validator(root, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER)


def test_data_json_is_valid_dcat_us_1_1(web, demo):
    document = _catalogue(web)
    assert document["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    assert document["@type"] == "dcat:Catalog" and document["dataset"]
    _validator("catalog.json").validate(document)  # the non-federal catalogue CKAN reads
    # The federal profile's dataset requires keyword, modified and hasEmail too; OMB's
    # bureauCode and programCode exist only for US federal agencies.
    federal = _validator("dataset.json", drop_required=("bureauCode", "programCode"))
    for dataset in document["dataset"]:
        federal.validate(dataset)
        assert dataset["accessLevel"] == "public" and dataset["language"] == ["id"]
        assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
        assert dataset["contactPoint"]["hasEmail"] == "mailto:data@suara.test"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", dataset["temporal"])
    with pytest.raises(Exception, match="'accessLevel' is a required property"):
        broken = copy.deepcopy(document)
        del broken["dataset"][0]["accessLevel"]
        _validator("catalog.json").validate(broken)


def test_every_distribution_answers_with_its_media_type(web, demo):
    for dataset in _catalogue(web)["dataset"]:
        for distribution in dataset["distribution"]:
            url = distribution["downloadURL"]
            assert url.startswith(f"{BASE}/data/")
            response = web.get(url.removeprefix(BASE))
            assert response.status_code == 200, url
            assert response.mimetype == distribution["mediaType"]
            assert response.headers["Cache-Control"] == "public, max-age=300"
            again = web.get(url.removeprefix(BASE),
                            headers={"If-None-Match": response.get_etag()[0]})
            assert again.status_code == 304


def _page_has(html: str, row: dict) -> None:
    """Assert that a unit's results page shows the row's figures as it prints them."""
    assert f"{number(row['ikm_konversi'])} " in html
    assert f"selang kepercayaan 95 %: {number(row['selang_95_bawah'])} – " \
           f"{number(row['selang_95_atas'])}" in html
    assert f"{integer(row['jumlah_responden'])} responden" in html
    assert row["keterangan_sampel"] in html
    for code in range(1, 10):
        nrr = number(row[f"nrr_u{code}"], 3)
        assert re.search(rf'<th scope="row">U{code} [^<]*</th><td class="num">{nrr}</td>', html)
    if row["sementara"] == "true":
        assert row["mutu"] == row["kinerja_unit"] == ""
        assert row["keterangan_sementara"] in html and "grade-provisional" in html
        assert not re.search(r'class="grade grade-[ABCD]"', html)
    else:
        assert row["keterangan_sementara"] == ""
        assert f'<span class="grade grade-{row["mutu"]}">{row["mutu"]} · ' \
               f'{row["kinerja_unit"]}</span>' in html


def test_the_csv_shows_what_each_results_page_shows(web, small):
    response = web.get(f"/data/{CLOSED.label}/units.csv")
    assert response.status_code == 200
    assert f'skm-unit-{CLOSED.label}.csv' in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    # The demo's 21 units (survey/demo_data.py UNITS) if it covers the semester, and unit-kecil.
    demo_units = len(UNITS) if CLOSED.label in {label for label, _, _ in PERIODS} else 0
    assert len(rows) == demo_units + 1 and "unit-kecil" in {row["slug"] for row in rows}
    for row in rows:
        assert row["periode"] == CLOSED.label
        html = web.get(f"/hasil/{row['slug']}?period={CLOSED.label}").get_data(as_text=True)
        assert f"Periode {CLOSED.name} " in html
        _page_has(html, row)


def test_the_json_equals_the_api(web, small):
    document = web.get(f"/data/{CLOSED.label}/units.json").get_json()
    assert document["periode"]["label"] == CLOSED.label
    assert document["lisensi"] == "https://creativecommons.org/licenses/by/4.0/"
    for row in document["unit"]:
        api = web.get(f"/api/v1/units/{row['slug']}/ikm?period={CLOSED.label}").get_json()
        assert row["jumlah_responden"] == api["respondents"]
        assert row["ikm_konversi"] == api["ikm_konversi"]
        assert row["mutu"] == api["grade"] and row["kinerja_unit"] == api["label"]
        assert row["sementara"] == api["provisional"]
        assert row["minimal_responden"] == api["min_respondents"]
        assert row["populasi"] == api["sample"]["population"]
        assert row["sampel_minimal"] == api["sample"]["required"]
        assert row["sampel_memadai"] == api["sample"]["adequate"]
        assert (row["kode_kabupaten_kota"], row["nama_kabupaten_kota"]) == (
            api["unit"]["region_code"], api["unit"]["region"])
        assert row["kode_provinsi"] == api["unit"]["region_code"][:2]
        for element in api["elements"]:  # the API rounds to 4 places, the file to 3
            assert abs(row[f"nrr_{element['code'].lower()}"] - element["nrr"]) <= 0.0006


def test_a_small_sample_is_hidden_as_on_its_page(web, small):
    rows = {row["slug"]: row for row in _csv_rows(web.get(f"/data/{CLOSED.label}/units.csv"))}
    row = rows["unit-kecil"]
    # 7 answers, all 4: konversi 100.00, nine NRR 4.000; fewer than the minimum of 30.
    assert row["jumlah_responden"] == "7" and row["ikm_konversi"] == "100.00"
    assert row["sementara"] == "true" and row["mutu"] == "" and row["kinerja_unit"] == ""
    assert row["keterangan_sementara"] == ("Angka sementara: baru 7 responden, kurang dari "
                                           "minimal 30. Mutu pelayanan belum ditetapkan.")
    assert row["nama_unit"] == "'=Unit Kecil"  # neutralised (analysis/report/cells.py)
    api = web.get(f"/api/v1/units/unit-kecil/ikm?period={CLOSED.label}").get_json()
    assert api["grade"] is None and api["provisional"] is True
    document = web.get(f"/data/{CLOSED.label}/units.json").get_json()
    kecil = next(unit for unit in document["unit"] if unit["slug"] == "unit-kecil")
    assert kecil["mutu"] is None and kecil["sementara"] is True
    assert kecil["nama_unit"] == "=Unit Kecil"  # JSON is not a spreadsheet: text as typed


def test_the_open_semester_is_not_served(web, demo):
    for fmt in ("csv", "json"):
        response = web.get(f"/data/{OPEN.label}/units.{fmt}")
        assert response.status_code == 404
        assert "masih berjalan" in response.get_data(as_text=True)


@pytest.mark.parametrize("label", [
    "2026-S3", "2026-s1", "2026-Q1", "2026", "1999-S1", "2000-S1", "2101-S1", "9999-S2",
    "x" * 300, "%00", "2025-S1%20", "-1", "2025-S1.csv", "\u0661\u0669\u0669\u0669-S1"])
def test_bogus_periods_answer_404(web, demo, label):
    response = web.get(f"/data/{label}/units.csv")
    assert response.status_code == 404
    assert "Data belum tersedia" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/data/2025-S1/units.xml", "/data/2025-S1/units.CSV",
                                  "/data/2025-S1/units", "/data/2025-S1",
                                  "/data/..%2F../units.csv"])
def test_other_file_names_answer_404(web, demo, path):
    assert web.get(path).status_code == 404


def test_the_page_links_the_catalogue_and_every_file(web, demo):
    home = web.get("/").get_data(as_text=True)
    assert 'href="/data"' in home
    html = web.get("/data").get_data(as_text=True)
    assert 'href="/data.json"' in html and "CC BY 4.0" in html and "<script" not in html
    for dataset in _catalogue(web)["dataset"]:
        for distribution in dataset["distribution"]:
            assert f'href="{distribution["downloadURL"].removeprefix(BASE)}"' in html
