"""The bounds of an answer's date (survey/entry_dates.py): 2000, registration, the unit's today."""

from datetime import date, datetime, timezone
from types import SimpleNamespace

from survey.entry_dates import answer_bounds


def test_an_answer_date_lies_between_registration_and_the_units_own_today():
    # Registered 2024-03-01 10:00 UTC; it is 2026-12-06 16:30 UTC: 01.30 on 07-12 in Jayapura
    # (WIT, UTC+9: province 91) but 23.30 on 06-12 in Surabaya (WIB, UTC+7: province 35).
    registered = datetime(2024, 3, 1, 10, tzinfo=timezone.utc)
    now = datetime(2026, 12, 6, 16, 30, tzinfo=timezone.utc)
    papua = answer_bounds(SimpleNamespace(region_code="91.71", created_at=registered), now)
    java = answer_bounds(SimpleNamespace(region_code="35.78", created_at=registered), now)
    assert (papua.earliest, papua.latest) == (date(2024, 3, 1), date(2026, 12, 7))
    assert java.latest == date(2026, 12, 6) and date(2026, 12, 7) not in java


def test_a_refused_date_is_named_with_four_digit_years_in_indonesian():
    old = SimpleNamespace(region_code="35.78", created_at=datetime(1990, 1, 1, tzinfo=timezone.utc))
    bounds = answer_bounds(old, datetime(2026, 12, 7, 3, tzinfo=timezone.utc))
    assert bounds.earliest == date(2000, 1, 1)  # never before 2000, whatever the registration
    assert bounds.problem(date(1, 1, 1)) == ("Tanggal 01-01-0001 terlalu awal: paling awal "
                                             "01-01-2000 (awal tahun 2000 atau saat unit "
                                             "terdaftar).")
    assert bounds.problem(date(9999, 12, 31)) == ("Tanggal 31-12-9999 belum terjadi: paling "
                                                  "lambat 07-12-2026.")
    assert bounds.problem(date(2026, 12, 7)) is None
