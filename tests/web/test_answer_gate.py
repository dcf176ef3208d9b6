"""The answer gate: a complete, valid answer is stored in front of Flask with the view's very
redirect and headers; every other POST reaches the view untouched, its body readable."""

import uuid

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.test import Client

from survey.models import Response
from survey.public.answer_gate import AnswerGate
from tests.web.test_form import ANSWERS, checked_values, form_data, point  # noqa: F401
from tests.web.test_invitation_codes import issue

# Columns that differ between two answers sent a moment apart.
OWN = {"id", "client_uuid", "submitted_at", "created_at"}


@pytest.fixture
def views(app, monkeypatch):
    """Count the requests the gate hands to Flask."""
    gate = app.wsgi_app
    while not isinstance(gate, AnswerGate):
        gate = gate.wsgi_app
    handed = []

    def flask_app(environ, start_response):
        handed.append(environ["PATH_INFO"])
        return Flask.wsgi_app(app, environ, start_response)

    monkeypatch.setattr(gate, "wsgi_app", flask_app)
    return handed


def without_gate(app) -> Client:
    """Return a client of the Flask app alone, as it answered before the gate."""
    return Client(lambda environ, start_response: Flask.wsgi_app(app, environ, start_response))


def stored(session, client_uuid: str) -> dict:
    row = session.scalars(select(Response).where(
        Response.client_uuid == uuid.UUID(client_uuid))).one()
    return {column.key: getattr(row, column.key) for column in Response.__table__.columns
            if column.key not in OWN}


@pytest.mark.parametrize("path, headers, cookies, base_url", [
    ("/s/tok-uji-1/kirim", {}, {}, "http://suara.test"),
    ("/q/tok-uji-1", {"Accept-Language": "en-GB,en;q=0.9"}, {}, "http://suara.test"),
    ("/s/tok-uji-1/kirim?lang=en", {}, {"lang": "en"}, "http://suara.test"),
    ("/s/tok-uji-1/kirim", {"Origin": "http://suara.test"}, {"suara_device": "perangkat-1"},
     "https://suara.test"),
])
def test_a_valid_answer_is_stored_before_flask_as_the_view_would(
        app, client, session, point, views, path, headers, cookies, base_url):
    answers = {}
    for name, sender in (("gate", client), ("view", without_gate(app))):
        for key, value in cookies.items():
            sender.set_cookie(key, value, domain="suara.test")
        data = form_data(app, point)
        response = sender.post(path, data=data, headers=headers, base_url=base_url)
        answers[name] = (response.status_code, sorted(response.headers.items()),
                         response.get_data(), stored(session, data["client_uuid"]))
    assert views == []  # the gate answered
    assert answers["gate"] == answers["view"]
    status, headers_sent, _, row = answers["gate"]
    assert status == 303 and row["channel"] == ("qr" if "/q/" in path else "link")
    assert ("Strict-Transport-Security" in dict(headers_sent)) == base_url.startswith("https")
    assert (row["client_key"] is not None) == ("suara_device" in cookies)


def test_an_invitations_answer_is_stored_before_flask_and_claims_it(
        app, client, session, point, views):
    [invitation] = issue(session, point)
    data = form_data(app, point)
    sent = client.post(f"/u/{invitation.code.lower()}/kirim", data=data)
    assert (sent.status_code, sent.headers["Location"]) == (303, "/s/tok-uji-1/terima-kasih")
    assert views == []
    row = stored(session, data["client_uuid"])
    assert row["invitation_id"] == invitation.id and row["channel"] == "qr"
    again = client.post(f"/u/{invitation.code}/kirim", data=form_data(app, point))
    assert again.status_code == 410 and "sudah" in again.text  # the view explains
    assert views == [f"/u/{invitation.code}/kirim"]


def test_an_incomplete_answer_reaches_the_view_with_its_body_intact(
        app, client, session, point, views):
    data = form_data(app, point, U9=None, suggestion="Loket lambat")
    page = client.post("/s/tok-uji-1/kirim", data=data)
    assert page.status_code == 422 and views == ["/s/tok-uji-1/kirim"]
    assert checked_values(page.text) == {code: value for code, value in ANSWERS.items()
                                         if code != "U9"} | {"gender": "P"}
    assert "Loket lambat" in page.text and session.scalars(select(Response)).all() == []


@pytest.mark.parametrize("case, status", [
    ("language link without its cookie", 303),  # the view sets the cookie
    ("signed-in browser", 303),
    ("another site", 403),
    ("multipart form", 303),
    ("JSON body", 415),
    ("unknown point", 404),
    ("closed point", 410),
    ("larger than any form", 422),
])
def test_every_other_post_reaches_the_view(app, client, session, point, views, case, status):
    data, path, options = form_data(app, point), "/s/tok-uji-1/kirim", {}
    if case == "language link without its cookie":
        path += "?lang=en"
    elif case == "signed-in browser":
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], "not-a-session")
    elif case == "another site":
        options["headers"] = {"Origin": "https://elsewhere.example"}
    elif case == "multipart form":
        options["content_type"] = "multipart/form-data"
    elif case == "JSON body":
        options = {"json": data}
    elif case == "unknown point":
        path = "/s/tok-tidak-ada/kirim"
    elif case == "closed point":
        point.active = False
        session.commit()
    elif case == "larger than any form":
        data["suggestion"] = "Antrean panjang. " * 5000  # the form says it is too long
    response = client.post(path, **({"data": data} | options if "json" not in options
                                    else options))
    assert response.status_code == status
    assert views == [path.split("?")[0]]
    if case == "language link without its cookie":
        assert "lang=en" in response.headers["Set-Cookie"]
    if status == 303:
        assert stored(session, data["client_uuid"])["u1"] == int(ANSWERS["U1"])
