"""Staff pages: typing in paper questionnaires (the review of answers: test_exclusions.py)."""

import re
import uuid
from datetime import date, datetime, timezone

import pytest

from sqlalchemy import func, select

from survey.models import AuditEvent, Response, ServiceUnit
from tests.web.conftest import sign_in


def csrf(client, address):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def sheet(client, **overrides):
    data = {"csrf_token": csrf(client, "/dasbor/unit/unit-sby/kertas"),
            "client_uuid": str(uuid.uuid4()), "answered_on": "2025-11-03",
            **{f"U{i}": str(i % 4 + 1) for i in range(1, 10)}, "gender": "L", "age": "45",
            "education": "SMP", "occupation": "WIRAUSAHA", "service_type": "", "suggestion": ""}
    data.update(overrides)
    return data


def paper_rows(session):
    return list(session.scalars(select(Response).join(ServiceUnit).where(
        ServiceUnit.slug == "unit-sby", Response.channel == "paper")))


@pytest.fixture
def batch_address(client, users, session):
    """Sign in as unit-sby's staff and open a batch of 10 paper sheets of November 2025."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    unit.created_at = datetime(2024, 1, 1, tzinfo=timezone.utc)  # answers of 2025 may be typed
    session.commit()
    sign_in(client, users["unit"])
    opened = client.post("/dasbor/unit/unit-sby/kertas", data={
        "csrf_token": csrf(client, "/dasbor/unit/unit-sby/kertas"), "channel": "paper",
        "sheet_numbers": "001-010", "sheets_declared": "10", "first_day": "2025-11-01",
        "last_day": "2025-11-30", "note": ""})
    assert opened.status_code == 303
    return opened.headers["Location"]


def test_a_typed_in_sheet_is_stored_once_as_paper(client, session, batch_address):
    data = sheet(client)
    response = client.post(batch_address, data=data)
    assert response.status_code == 303
    assert "Kuesioner tersimpan (03-11-2025)" in client.get(response.headers["Location"]).text
    data["csrf_token"] = csrf(client, batch_address)
    client.post(batch_address, data=data)  # pressed twice
    rows = paper_rows(session)
    assert len(rows) == 1
    row = rows[0]
    assert [getattr(row, f"u{i}") for i in range(1, 10)] == [i % 4 + 1 for i in range(1, 10)]
    assert (row.submitted_on, row.gender, row.age, row.point_id) == (date(2025, 11, 3), "L", 45, None)


def test_a_blank_choice_with_spaces_is_stored_as_blank(client, session, batch_address):
    data = sheet(client, gender=" ", education=" SMP ", occupation="\t")
    assert client.post(batch_address, data=data).status_code == 303
    [row] = paper_rows(session)
    assert (row.gender, row.education, row.occupation) == (None, "SMP", None)


def test_a_tampered_choice_is_named_in_indonesian_and_nothing_is_stored(client, session, batch_address):
    response = client.post(batch_address,
                           data=sheet(client, gender="X", occupation="PRESIDEN"))
    assert response.status_code == 200
    assert response.text.count("Pilih salah satu pilihan yang tersedia.") == 2
    assert "Not a valid choice" not in response.text
    assert paper_rows(session) == []


def test_typed_texts_are_stored_without_nul_characters(client, session, batch_address):
    # PostgreSQL refuses a NUL in a text column: a pasted one must not cost the sheet.
    data = sheet(client, service_type="KTP\x00-el ", suggestion=" Antre\x00 lama\r\nsekali ")
    assert client.post(batch_address, data=data).status_code == 303
    [row] = paper_rows(session)
    assert (row.service_type, row.suggestion) == ("KTP-el", "Antre lama\nsekali")


def test_a_bad_answer_is_named_and_nothing_is_stored(client, session, batch_address):
    response = client.post(batch_address, data=sheet(client, U4="5", U7=""))
    assert response.status_code == 200
    assert response.text.count("Isi angka 1 sampai 4.") == 2
    assert 'id="U4" inputmode="numeric"' in response.text and 'value="5"' in response.text
    assert paper_rows(session) == []
