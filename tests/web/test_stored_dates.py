"""No stored date can break a page (DESIGN.md §7a): answers dated 0001-01-01, 2099-12-31 or
9999-12-31 and a custom period 0001-01-01 .. 9999-12-31, written past every form, leave every
page up; the default period never comes from a date after today; entry points refuse them."""

import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from survey import indices, periods
from survey.models import Period, ServiceUnit
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL
from tests.web.conftest import sign_in
from tests.web.test_admin_units import post

FAR = (datetime(1, 1, 1, 12, tzinfo=timezone.utc), datetime(2099, 12, 31, 12, tzinfo=timezone.utc),
       datetime(9999, 12, 31, 12, tzinfo=timezone.utc))
PAGES = (
    "/", "/dasbor/", "/dasbor/?scope=national", "/dasbor/?scope=region:35", "/dasbor/grafik/ranking.svg",
    "/dasbor/unit/unit-sby", "/dasbor/unit/unit-sby?period=jauh", "/dasbor/unit/unit-sby/grafik/trend.svg",
    "/dasbor/laporan.pdf", "/dasbor/unit/unit-sby/laporan.pdf", "/dasbor/unit/unit-sby/laporan.pdf?period=jauh",
    "/dasbor/unduh.csv", "/dasbor/unduh.xlsx?kind=responses", "/dasbor/unduh.csv?scope=unit:unit-sby",
    "/dasbor/tindak-lanjut", "/dasbor/unit/unit-sby/kotak-masuk", "/dasbor/unit/unit-sby/kotak-masuk?period=jauh",
    "/api/v1/aggregate", "/api/v1/aggregate?elements=true", "/api/v1/units/unit-sby/ikm",
    "/api/v1/units/unit-sby/ikm?period=jauh", "/api/v1/units/unit-sby/trend",
    "/hasil/unit-sby", "/hasil/unit-sby?period=jauh", "/hasil/unit-sby/lencana.svg",
    "/admin/units/unit-sby/periods", "/admin/audit",
)


@pytest.fixture
def far_dates(session, dataset):
    """Store three wrongly dated answers of unit-sby and a custom period 'jauh' of 0001..9999."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    questionnaire = default_questionnaire(session)
    insert_rows(session, [response_values(
        unit, questionnaire_id=questionnaire.id, submitted_at=at, channel="paper",
        answers={f"U{i}": 4 for i in range(1, 10)}, client_uuid=uuid.uuid4()) for at in FAR])
    session.add(Period(unit_id=unit.id, label="jauh", name="Jauh sekali",
                       starts_on=date(1, 1, 1), ends_on=date(9999, 12, 31)))
    session.commit()
    return unit


@pytest.mark.parametrize("role", ["admin", "unit"])
def test_every_page_stays_up_whatever_dates_are_stored(client, users, far_dates, role):
    sign_in(client, users[role])
    # A unit head sees their own unit (unit-sby) only: not the nation nor a province.
    pages = PAGES if role == "admin" else [p for p in PAGES if "scope=" not in p]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        response.close()


def test_the_default_period_ignores_answers_dated_after_today(client, session, far_dates):
    # The dataset's answers are of 2025 (tests/web/conftest.py): its last one is in 2025-S2.
    assert indices.default_period(session, NATIONAL).label == "2025-S2"
    assert client.get("/api/v1/aggregate").get_json()["period"]["label"] == "2025-S2"
    badge = client.get("/hasil/unit-sby/lencana.svg")
    assert badge.status_code == 200 and "2025-S2" in badge.text
    trend = client.get("/api/v1/units/unit-sby/trend").get_json()
    # Semesters of 2025 only: nothing from year 1, 2099 or 9999.
    assert [point["period"] for point in trend["periods"]] == ["2025-S1", "2025-S2"]


def test_a_stored_custom_period_is_cut_to_the_days_a_period_may_cover(session, far_dates):
    found = periods.resolve(session, "jauh", far_dates.id, today=date(2026, 12, 7))
    # 2000-01-01 (entry_dates.EARLIEST) .. the end of the year after 2026.
    assert (found.starts_on, found.ends_on) == (date(2000, 1, 1), date(2027, 12, 31))


AFTER_NEXT_YEAR = date.today().year + 2


@pytest.mark.parametrize("label", [str(AFTER_NEXT_YEAR), f"{AFTER_NEXT_YEAR}-S1", "1999", "9999-Q1",
                                   "２０２５", "٢٠٢٥", "2025-S٢", "x" * 41])
def test_a_period_past_next_year_or_not_in_ascii_digits_is_refused(client, dataset, label):
    response = client.get("/api/v1/aggregate", query_string={"period": label})
    assert response.status_code == 400
    assert "periode" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(("starts_on", "ends_on", "problem"), [
    ("0001-01-01", "9999-12-31", "Tanggal periode harus di antara 01-01-2000 dan"),
    ("1999-12-31", "2000-01-31", "Tanggal periode harus di antara 01-01-2000 dan"),
    (f"{date.today().year + 2}-01-01", f"{date.today().year + 2}-01-31",
     "Tanggal periode harus di antara 01-01-2000 dan"),
    ("2020-01-01", "2023-12-31", "Periode paling lama tiga tahun."),
    ("2025-03-31", "2025-03-01", "Tanggal akhir tidak boleh sebelum tanggal mulai."),
])
def test_a_custom_period_is_bounded_when_saved(client, users, session, starts_on, ends_on,
                                               problem):
    sign_in(client, users["unit"])
    response = post(client, "/admin/units/unit-sby/periods/range",
                    {"label": "uji", "name": "Uji", "starts_on": starts_on, "ends_on": ends_on})
    assert response.status_code == 422
    assert problem in response.text
    assert session.scalars(select(Period).where(Period.label == "uji")).first() is None


def test_the_audit_log_refuses_dates_it_cannot_read(client, users):
    sign_in(client, users["admin"])
    response = client.get("/admin/audit?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200
    assert "Isi tanggal antara 01-01-2000 dan" in response.text
