"""The period chooser of the dashboards and the times of staff pages in the unit's own zone."""

from datetime import datetime, timezone

import pytest

from survey.formatting import clock_time, local_date, local_time
from tests.web.conftest import sign_in


@pytest.fixture(autouse=True)
def admin(client, users):
    sign_in(client, users["admin"])


def test_times_are_shown_in_the_units_zone_with_its_name():
    at = datetime(2026, 5, 24, 2, 58, 30, tzinfo=timezone.utc)
    # UTC+7 (WIB, Surabaya 35), UTC+8 (WITA, Makassar 73), UTC+9 (WIT, Jayapura 91).
    assert local_time(at, "35.78") == "24-05-2026 09.58 WIB"
    assert local_time(at, "73.71") == "24-05-2026 10.58 WITA"
    assert local_time(at, "91.71", seconds=True) == "24-05-2026 11.58.30 WIT"
    assert local_time(at) == "24-05-2026 09.58 WIB"  # no unit: WIB, named
    assert clock_time(at.replace(tzinfo=None), "91") == "11.58 WIT"  # naive is UTC
    # 20:00 UTC on the 24th is already the 25th in Surabaya.
    assert local_date(datetime(2026, 5, 24, 20, tzinfo=timezone.utc), "35.78") == "25-05-2026"
    assert local_time(None) == "–"


def test_the_chooser_lists_the_periods_with_answers_newest_first(client, dataset):
    page = client.get("/dasbor/unit/unit-sby").text
    # The dataset has answers all over 2025 (tests/web/conftest.py): both semesters, all
    # quarters, newest first, and a range of two dates.
    options = page.split('<select id="period"', 1)[1].split("</select>", 1)[0]
    order = [options.index(f'value="{label}"') for label in
             ("2025-S2", "2025-S1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1", "rentang")]
    assert order == sorted(order)
    assert 'type="date" id="dari"' in page and "Tampilkan" in page


@pytest.mark.parametrize("address, message", [
    ("/dasbor/unit/unit-sby?period=2025-S9", "tidak dikenal"),
    ("/dasbor/?period=2O25", "tidak dikenal"),
    ("/dasbor/unit/unit-sby?period=rentang&dari=&sampai=2025-03-01", "Isi tanggal mulai"),
    ("/dasbor/?period=rentang&dari=2025-05-01&sampai=2025-02-01", "Tanggal akhir tidak boleh"),
])
def test_a_bad_period_reshows_the_page_with_a_polite_message(client, dataset, address, message):
    response = client.get(address)
    assert response.status_code == 200
    assert message in response.text and 'role="alert"' in response.text
    assert "<h1>" in response.text and "Ditampilkan" in response.text


def test_a_range_of_two_dates_is_shown_and_its_label_works_in_every_address(client, dataset):
    page = client.get("/dasbor/unit/unit-sby?period=rentang&dari=2025-02-01&sampai=2025-03-31")
    assert page.status_code == 200
    assert "01-02-2025 s.d. 31-03-2025" in page.text
    assert 'value="rentang" selected' in page.text and 'value="2025-02-01"' in page.text
    api = client.get("/api/v1/units/unit-sby/ikm?period=2025-02-01..2025-03-31")
    assert api.status_code == 200
    assert api.get_json()["period"]["starts_on"] == "2025-02-01"

