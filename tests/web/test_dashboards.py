"""Dashboards: the unit page and the scope page show the API's figures; charts are cached SVG."""

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from survey import indices, periods, rollups
from survey.formatting import number
from survey.models import Response
from survey.reports.dashboards import redact
from survey.responses import insert_rows
from survey.scopes import NATIONAL
from tests.web.conftest import sign_in
from tests.web.test_rollups import make_units, rows_for


@pytest.fixture(autouse=True)
def admin(client, users):
    """Dashboards are for signed-in staff: these tests look as an administrator."""
    sign_in(client, users["admin"])


@pytest.fixture
def charts_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "CACHE_DIR", str(tmp_path))
    return tmp_path


def test_unit_page_shows_the_figures_the_api_publishes(client, dataset):
    api = client.get("/api/v1/units/unit-sby/ikm?period=2025-S2").get_json()
    page = client.get("/dasbor/unit/unit-sby?period=2025-S2")
    assert page.status_code == 200
    assert "Unit unit-sby" in page.text and "Semester II 2025" in page.text
    assert number(api["ikm_konversi"]) in page.text  # Indonesian decimal comma, e.g. 88,99
    for element in api["elements"]:
        assert f'{element["code"]} {element["name"]}' in page.text
        assert number(element["konversi"]) in page.text
    assert "Kecukupan sampel" in page.text


def test_unit_page_runs_a_bounded_number_of_queries(client, dataset, statements):
    client.get("/dasbor/unit/unit-sby?period=2025-S2")
    # user, access check, unit, sums, population, date range, trend sums, suggestions,
    # lazy agency/region, the previous period's follow-up actions (and their elements' change),
    # the integrity panel's two statements (survey/integrity.py), the period chooser's months
    # with answers and named periods (survey/reports/period_choice.py), the invitations per
    # service point (survey/invitation_rates.py), the server a received unit comes from
    # (survey/exchange/sources.py), IPKP and IPAK (survey/instrument_figures.py, one statement)
    # and their trend (one statement for all periods), the open integrity alerts of its badge
    # (survey/integrity_alerts/listing.py)
    assert len(statements) <= 23, statements


def test_scope_page_ranks_provinces_and_links_down(client, dataset):
    api = client.get("/api/v1/aggregate?scope=national&period=2025&group_by=province").get_json()
    page = client.get("/dasbor/?period=2025")
    assert page.status_code == 200
    positions = [page.text.index(f"scope=region:{row['key']}&amp;period=2025") for row in api["rows"]]
    assert positions == sorted(positions)  # best first, as in the API
    for row in api["rows"]:
        assert number(row["ikm_konversi"]) in page.text
    province = client.get("/dasbor/?scope=region:35&period=2025")
    assert "/dasbor/?scope=region:35.78" in province.text  # drill-down to a regency
    regency = client.get("/dasbor/?scope=region:35.78&period=2025")
    assert "/dasbor/unit/unit-sby" in regency.text  # and to the unit


@pytest.mark.parametrize("address", [
    "/dasbor/unit/unit-sby/grafik/gauge.svg?period=2025", "/dasbor/unit/unit-sby/grafik/elements.svg",
    "/dasbor/unit/unit-sby/grafik/answers.svg", "/dasbor/unit/unit-sby/grafik/trend.svg",
    "/dasbor/grafik/ranking.svg?period=2025", "/dasbor/grafik/grades.svg?period=2025",
    "/dasbor/grafik/heatmap.svg?period=2025-S2", "/dasbor/grafik/trend.svg?period=2025",
])
def test_charts_are_svg(client, dataset, charts_folder, address):
    response = client.get(address)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert ET.fromstring(response.data).tag.endswith("svg")


def test_a_chart_is_rendered_once_per_data_version(client, dataset, charts_folder, session):
    first = client.get("/dasbor/grafik/ranking.svg?period=2025")
    assert len(list((charts_folder / "charts").iterdir())) == 1
    again = client.get("/dasbor/grafik/ranking.svg?period=2025",
                       headers={"If-None-Match": first.headers["ETag"].strip('"')})
    assert again.status_code == 304
    # A person excludes a response after review: the figures, hence the chart, change.
    response = session.scalars(select(Response).where(Response.excluded.is_(False))
                               .order_by(Response.id.desc()).limit(1)).one()
    response.excluded = True
    rollups.remove_rows(session, [rollups.as_row(response)])
    session.commit()
    changed = client.get("/dasbor/grafik/ranking.svg?period=2025")
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert len(list((charts_folder / "charts").iterdir())) == 2


@pytest.mark.parametrize("address, status", [
    ("/dasbor/unit/tidak-ada", 404), ("/dasbor/?scope=region:99", 404),
    ("/dasbor/?scope=bulan:1", 400),
    ("/dasbor/?group_by=desa", 400), ("/dasbor/grafik/pie.svg", 404),
])
def test_bad_addresses_get_a_polite_page(client, dataset, address, status):
    response = client.get(address)
    assert response.status_code == status
    assert "<h1>" in response.text and "Traceback" not in response.text


def test_contact_details_in_suggestions_are_hidden():
    text = "Hubungi saya di 0812-3456-7890 atau budi@contoh.id, NIK 3578012345678901"
    assert redact(text) == ("Hubungi saya di [disamarkan] atau [disamarkan], NIK [disamarkan]")
    assert redact("Antrean 2 jam, loket 3 tutup") == "Antrean 2 jam, loket 3 tutup"


def test_the_scope_page_is_computed_once_per_data_version(client, dataset, charts_folder,
                                                         statements):
    client.get("/dasbor/?scope=national&period=2025")
    first = len(statements)
    client.get("/dasbor/?scope=national&period=2025")
    second = len(statements) - first
    # The second viewer costs the user, the scope check, the data version and the count of
    # exclusion proposals waiting for them (their own, never cached), the open integrity alerts
    # of the badge (never cached: a handled alert leaves at once), and the period chooser's
    # months with answers and named periods, not the figures.
    assert second <= 8 < first
    assert len(list((charts_folder / "pages").iterdir())) == 1


@pytest.mark.parametrize("label", ["2025-S1", "2025-S2"])
def test_the_grade_distribution_counts_the_grades_of_the_unit_ranking(session, dataset, label):
    period = periods.parse(label)
    ranking = indices.scope_ranking(session, NATIONAL, period, "unit")
    expected = {letter: sum(f.grade.letter == letter for f in ranking) for letter in "ABCD"}
    assert indices.grade_distribution(session, NATIONAL, period) == expected
    assert sum(expected.values()) == 4 and len([n for n in expected.values() if n]) > 1


def test_a_long_ranking_is_shown_a_hundred_rows_a_page(client, session, charts_folder):
    # 130 units of one agency with one answer each: the unit ranking has two pages and its
    # chart shows the 40 best.
    units = make_units(session, 130)
    insert_rows(session, rows_for(session, units, [[(i % 4) + 1] * 9 for i in range(130)],
                                  [10] * 130))
    session.commit()
    scope = f"agency:{units[0].agency_id}"
    api = client.get(f"/api/v1/aggregate?scope={scope}&period=2025-S1&group_by=unit").get_json()
    first = client.get(f"/dasbor/?scope={scope}&period=2025-S1&group_by=unit")
    second = client.get(f"/dasbor/?scope={scope}&period=2025-S1&group_by=unit&page=2")
    assert "Halaman 1 dari 2" in first.text and "Halaman 2 dari 2" in second.text
    assert "(40 teratas)" in first.text
    assert '<td class="num">100</td>' in first.text
    assert '<td class="num">101</td>' not in first.text
    assert '<td class="num">130</td>' in second.text
    keys = [row["key"] for row in api["rows"]]
    assert all(f"/unit/{key}?" in first.text for key in keys[:100])
    assert not any(f"/unit/{key}?" in first.text for key in keys[100:])
    assert all(f"/unit/{key}?" in second.text for key in keys[100:])
