"""Staff pages: typing in paper questionnaires, and a person's review of flagged answers."""

import re
import uuid
from datetime import date

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


def test_a_typed_in_sheet_is_stored_once_as_paper(client, users, session):
    sign_in(client, users["unit"])
    data = sheet(client)
    response = client.post("/dasbor/unit/unit-sby/kertas", data=data)
    assert response.status_code == 303
    assert "Kuesioner tersimpan (03-11-2025)" in client.get(response.headers["Location"]).text
    data["csrf_token"] = csrf(client, "/dasbor/unit/unit-sby/kertas")
    client.post("/dasbor/unit/unit-sby/kertas", data=data)  # pressed twice
    rows = paper_rows(session)
    assert len(rows) == 1
    row = rows[0]
    assert [getattr(row, f"u{i}") for i in range(1, 10)] == [i % 4 + 1 for i in range(1, 10)]
    assert (row.submitted_on, row.gender, row.age, row.point_id) == (date(2025, 11, 3), "L", 45, None)


def test_a_blank_choice_with_spaces_is_stored_as_blank(client, users, session):
    sign_in(client, users["unit"])
    data = sheet(client, gender=" ", education=" SMP ", occupation="\t")
    assert client.post("/dasbor/unit/unit-sby/kertas", data=data).status_code == 303
    [row] = paper_rows(session)
    assert (row.gender, row.education, row.occupation) == (None, "SMP", None)


def test_a_tampered_choice_is_named_in_indonesian_and_nothing_is_stored(client, users, session):
    sign_in(client, users["unit"])
    response = client.post("/dasbor/unit/unit-sby/kertas",
                           data=sheet(client, gender="X", occupation="PRESIDEN"))
    assert response.status_code == 200
    assert response.text.count("Pilih salah satu pilihan yang tersedia.") == 2
    assert "Not a valid choice" not in response.text
    assert paper_rows(session) == []


def test_typed_texts_are_stored_without_nul_characters(client, users, session):
    # PostgreSQL refuses a NUL in a text column: a pasted one must not cost the sheet.
    sign_in(client, users["unit"])
    data = sheet(client, service_type="KTP\x00-el ", suggestion=" Antre\x00 lama\r\nsekali ")
    assert client.post("/dasbor/unit/unit-sby/kertas", data=data).status_code == 303
    [row] = paper_rows(session)
    assert (row.service_type, row.suggestion) == ("KTP-el", "Antre lama\nsekali")


def test_a_bad_answer_is_named_and_nothing_is_stored(client, users, session):
    sign_in(client, users["unit"])
    response = client.post("/dasbor/unit/unit-sby/kertas", data=sheet(client, U4="5", U7=""))
    assert response.status_code == 200
    assert response.text.count("Isi angka 1 sampai 4.") == 2
    assert 'id="U4" inputmode="numeric"' in response.text and 'value="5"' in response.text
    assert paper_rows(session) == []


def flag_one(session, slug="unit-sby") -> Response:
    response = session.scalars(select(Response).join(ServiceUnit).where(
        ServiceUnit.slug == slug, Response.excluded.is_(False)).limit(1)).one()
    response.flagged, response.flag_reason = True, "identical: 3 identical answers within 30 min"
    session.commit()
    return response


def test_a_person_excludes_then_restores_a_flagged_answer(client, users, session):
    flagged = flag_one(session)
    sign_in(client, users["unit"])
    before = client.get("/api/v1/units/unit-sby/ikm?period=2025").get_json()["respondents"]
    page = client.get("/dasbor/unit/unit-sby/tinjauan")
    assert "identical: 3 identical answers" in page.text and "menunggu" in page.text
    token = csrf(client, "/dasbor/unit/unit-sby/tinjauan")
    address = f"/dasbor/unit/unit-sby/tinjauan/{flagged.id}"
    assert client.post(address, data={"csrf_token": token, "decision": "exclude"}).status_code == 303
    assert client.get("/api/v1/units/unit-sby/ikm?period=2025").get_json()["respondents"] \
        == before - 1
    client.post(address, data={"csrf_token": token, "decision": "restore"})
    assert client.get("/api/v1/units/unit-sby/ikm?period=2025").get_json()["respondents"] == before
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.target == f"response:{flagged.id}").order_by(AuditEvent.id)).all()
    assert [(e.action, e.user_id, e.detail["excluded"]) for e in events] == [
        ("response_exclude", users["unit"].id, [False, True]),
        ("response_restore", users["unit"].id, [True, False])]


def test_another_units_answer_cannot_be_decided_by_changing_the_address(client, users, session):
    other = flag_one(session, "unit-mks")
    sign_in(client, users["unit"])
    token = csrf(client, "/dasbor/unit/unit-sby/tinjauan")
    # Through the unit head's own unit: the answer is not theirs.
    own = client.post(f"/dasbor/unit/unit-sby/tinjauan/{other.id}",
                      data={"csrf_token": token, "decision": "exclude"})
    # Through the other unit's address: not their scope.
    theirs = client.post(f"/dasbor/unit/unit-mks/tinjauan/{other.id}",
                         data={"csrf_token": token, "decision": "exclude"})
    assert (own.status_code, theirs.status_code) == (404, 403)
    session.expire_all()
    assert session.get(Response, other.id).excluded is False
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.target == f"response:{other.id}")) == 0
