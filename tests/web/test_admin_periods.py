"""A unit's populations per period and named custom periods: validation, upserts, audit."""

from datetime import date

from sqlalchemy import func, select

from survey import periods, queries
from survey.models import Period, UnitPopulation
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, post, unit

BASE = "/admin/units/unit-sby/periods"


def test_a_unit_head_records_and_corrects_a_population(client, users, session):
    sign_in(client, users["unit"])
    sby = unit(session, "unit-sby")
    # Lower case is the same standard label.
    assert post(client, f"{BASE}/population", {"label": "2025-s1", "population": "1200"}) \
        .status_code == 303
    assert post(client, f"{BASE}/population", {"label": "2025-S1", "population": "1250"}) \
        .status_code == 303
    assert queries.population(session, sby.id, "2025-S1") == 1250
    first, second = events(session, "population_set")
    assert (first.unit_id, first.user_id, first.detail) == (
        sby.id, users["unit"].id, {"period": "2025-S1", "population": [None, 1200]})
    assert second.detail["population"] == [1200, 1250]
    page = client.get(BASE).text
    assert "Semester I 2025" in page and "1.250" in page


def test_a_population_needs_a_known_period_and_a_positive_number(client, users, session):
    sign_in(client, users["unit"])
    response = post(client, f"{BASE}/population", {"label": "semester-satu", "population": "0"})
    assert response.status_code == 422
    assert "Periode &#39;semester-satu&#39; tidak dikenal" in response.text
    assert "Isi 1 sampai 2.000.000.000" in response.text
    response = post(client, f"{BASE}/population", {"label": "2025", "population": "banyak"})
    assert response.status_code == 422 and "Isi bilangan bulat." in response.text
    assert session.scalar(select(func.count()).select_from(UnitPopulation)) == 0
    assert events(session) == []


def test_a_custom_period_is_defined_then_used_for_a_population(client, users, session):
    sign_in(client, users["unit"])
    sby = unit(session, "unit-sby")
    response = post(client, f"{BASE}/range", {"label": "2025-ramadan", "name": "Ramadan 2025",
                                              "starts_on": "2025-03-01", "ends_on": "2025-03-30"})
    assert response.status_code == 303
    assert periods.resolve(session, "2025-ramadan", sby.id) == periods.Period(
        date(2025, 3, 1), date(2025, 3, 30), "2025-ramadan", "Ramadan 2025")
    created = events(session, "period_created")[0]
    assert (created.unit_id, created.detail) == (sby.id, {
        "label": "2025-ramadan", "name": "Ramadan 2025", "starts_on": "2025-03-01",
        "ends_on": "2025-03-30"})
    assert post(client, f"{BASE}/population", {"label": "2025-ramadan", "population": "300"}) \
        .status_code == 303
    # Saving the label again changes the range, audited old → new.
    post(client, f"{BASE}/range", {"label": "2025-ramadan", "name": "Ramadan 2025",
                                   "starts_on": "2025-03-01", "ends_on": "2025-03-31"})
    changed = events(session, "period_changed")[0]
    assert changed.detail == {"ends_on": ["2025-03-30", "2025-03-31"]}
    assert session.scalar(select(func.count()).select_from(Period)) == 1
    # Another unit does not know this unit's period.
    sign_in(client, users["agency"])
    response = post(client, "/admin/units/unit-mks/periods/population",
                    {"label": "2025-ramadan", "population": "10"})
    assert response.status_code == 422


def test_a_custom_period_must_be_a_range_under_a_new_label(client, users, session):
    sign_in(client, users["unit"])
    response = post(client, f"{BASE}/range", {"label": "2025-S2", "name": "Semester",
                                              "starts_on": "2025-07-01", "ends_on": "2025-12-31"})
    assert response.status_code == 422
    assert "&#39;2025-S2&#39; sudah berarti periode baku (Semester II 2025)" in response.text
    response = post(client, f"{BASE}/range", {"label": "libur akhir", "name": "",
                                              "starts_on": "2025-12-31", "ends_on": "2025-12-01"})
    assert "Hanya huruf, angka, titik, garis bawah dan tanda hubung" in response.text
    assert "Wajib diisi." in response.text
    assert "Tanggal akhir tidak boleh sebelum tanggal mulai." in response.text
    response = post(client, f"{BASE}/range", {"label": "x", "name": "x", "starts_on": "31-12",
                                              "ends_on": ""})
    assert response.text.count("Isi tanggal yang benar.") == 2
    assert session.scalar(select(func.count()).select_from(Period)) == 0


def test_a_unit_head_cannot_record_for_another_unit(client, users, session):
    sign_in(client, users["unit"])
    mks = "/admin/units/unit-mks/periods"
    assert post(client, f"{mks}/population", {"label": "2025", "population": "5"}).status_code \
        == 403
    assert post(client, f"{mks}/range", {"label": "a", "name": "a", "starts_on": "2025-01-01",
                                         "ends_on": "2025-01-02"}).status_code == 403
    assert session.scalar(select(func.count()).select_from(UnitPopulation)) == 0
    assert session.scalar(select(func.count()).select_from(Period)) == 0
    assert events(session) == []
