"""Signing in and out, where a sign-in leads, passwords, API tokens, the audit log, headers."""

import re

import pytest
from sqlalchemy import select

from survey.auth import accounts
from survey.models import AuditEvent
from tests.web.conftest import sign_in

PASSWORD = "kata-sandi-uji-123"  # the users fixture's password


def csrf_token(client, address="/masuk") -> str:
    """Return the CSRF token of the form on a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def log_in(client, email, password):
    token = csrf_token(client)
    return client.post("/masuk", data={"email": email, "password": password, "csrf_token": token})


def actions(session):
    return [event.action for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_unit_head_signs_in_and_lands_on_the_unit_dashboard(client, users, session):
    response = log_in(client, "unit@uji.go.id", PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dasbor/unit/unit-sby"
    assert client.get("/dasbor/unit/unit-sby?period=2025").status_code == 200
    assert actions(session)[-1] == "login"


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, users):
    form = {"email": "admin@uji.go.id", "password": PASSWORD, "csrf_token": csrf_token(client)}
    assert client.post("/masuk?next=/dasbor/unit/unit-mks", data=form).headers["Location"] \
        == "/dasbor/unit/unit-mks"
    form["csrf_token"] = csrf_token(client)  # signing in starts a fresh session
    assert client.post("/masuk?next=https://evil.example/", data=form).headers["Location"] \
        == "/dasbor/?scope=national"


def test_a_wrong_password_is_refused_politely_and_audited(client, users, session):
    response = log_in(client, "unit@uji.go.id", "salah-sandi-123")
    assert response.status_code == 401
    assert accounts.REFUSED in response.text
    assert client.get("/dasbor/unit/unit-sby").status_code == 302
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    assert event.email == "unit@uji.go.id" and event.ip == "127.0.0.1"


def test_an_unknown_email_gets_the_same_answer(client, users):
    known = log_in(client, "unit@uji.go.id", "salah-sandi-123")
    unknown = log_in(client, "siapa@uji.go.id", PASSWORD)
    assert known.status_code == unknown.status_code == 401
    assert accounts.REFUSED in unknown.text
    # The same page but for the fields' values (the CSRF token and the e-mail typed).
    def blank(text):
        return re.sub(r'value="[^"]*"', "", text)
    assert blank(known.text) == blank(unknown.text)


def test_the_unknown_emails_hash_costs_what_an_accounts_hash_costs():
    # The same method and work factors (scrypt:N:r:p) as a password hashed today, and a real
    # hash: checking it runs the whole key derivation.
    from werkzeug.security import check_password_hash

    made = accounts.hash_password("kata-sandi-uji-123")
    assert accounts._DUMMY_HASH.split("$")[0] == made.split("$")[0]
    assert check_password_hash(accounts._DUMMY_HASH, "not a password of anyone")


@pytest.mark.parametrize("target", [
    "/dasbor/unit/unit-mks\r\nSet-Cookie: x=1", "/\r\n", "/dasbor\x00", "/dasbor\t",
    "//evil.example/", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
    "javascript:alert(1)", "/" + "a" * 600, "/dasbor/unit/unit-mks#x", "dasbor", "/dasbor/ünit",
])
def test_a_next_that_is_not_a_plain_local_path_leads_to_the_landing_page(client, users, session,
                                                                       target):
    form = {"email": "admin@uji.go.id", "password": PASSWORD, "csrf_token": csrf_token(client)}
    response = client.post("/masuk", query_string={"next": target}, data=form)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dasbor/?scope=national"  # the admin's landing
    assert actions(session) == ["login"]


def test_a_local_path_with_a_query_is_kept(client, users):
    form = {"email": "admin@uji.go.id", "password": PASSWORD, "csrf_token": csrf_token(client)}
    target = "/dasbor/unit/unit-mks?period=2025&method=pooled"
    response = client.post("/masuk", query_string={"next": target}, data=form)
    assert response.headers["Location"] == target


def test_the_sign_in_form_needs_its_csrf_token(client, users):
    response = client.post("/masuk", data={"email": "unit@uji.go.id", "password": PASSWORD})
    assert response.status_code == 400


def test_signing_out_ends_the_session_its_copies_and_the_api_token(app, client, users, session):
    log_in(client, "unit@uji.go.id", PASSWORD)
    api_token = accounts.new_api_token(users["unit"])
    session.commit()
    bearer = {"Authorization": f"Bearer {api_token}"}
    copy = app.test_client()  # a cookie copied before signing out, as a thief would keep it
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/akun").status_code == 200
    assert app.test_client().get("/akun", headers=bearer).status_code == 200
    token = csrf_token(client, "/akun")
    assert client.post("/keluar", data={"csrf_token": token}).status_code == 303
    assert client.get("/akun").status_code == 302
    assert copy.get("/akun").status_code == 302
    assert app.test_client().get("/akun", headers=bearer).status_code == 302
    assert actions(session)[-1] == "logout"


def test_changing_the_password_ends_other_sessions(app, client, users, session):
    other = app.test_client()
    sign_in(other, users["unit"])
    log_in(client, "unit@uji.go.id", PASSWORD)
    token = csrf_token(client, "/akun")
    response = client.post("/akun", data={"csrf_token": token, "current": PASSWORD,
                                          "new": "sandi-baru-yang-panjang",
                                          "confirm": "sandi-baru-yang-panjang"})
    assert response.status_code == 303
    assert client.get("/akun").status_code == 200  # this session carries on
    assert other.get("/akun").status_code == 302  # the other one ended
    assert "password_changed" in actions(session)


def test_changing_the_password_ends_the_api_token(app, client, users, session):
    api_token = accounts.new_api_token(users["unit"])
    session.commit()
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert app.test_client().get("/dasbor/unit/unit-sby?period=2025", headers=bearer) \
        .status_code == 200
    log_in(client, "unit@uji.go.id", PASSWORD)
    client.post("/akun", data={"csrf_token": csrf_token(client, "/akun"), "current": PASSWORD,
                               "new": "sandi-baru-yang-panjang",
                               "confirm": "sandi-baru-yang-panjang"})
    assert app.test_client().get("/dasbor/unit/unit-sby?period=2025", headers=bearer) \
        .status_code == 302


def test_a_short_new_password_is_refused(client, users):
    log_in(client, "unit@uji.go.id", PASSWORD)
    token = csrf_token(client, "/akun")
    response = client.post("/akun", data={"csrf_token": token, "current": PASSWORD,
                                          "new": "pendek", "confirm": "pendek"})
    assert "minimal 10 karakter" in response.text


def test_a_personal_api_token_opens_the_users_scope_only(client, users, session):
    token = accounts.new_api_token(users["unit"])
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/dasbor/unit/unit-sby?period=2025", headers=headers).status_code == 200
    assert client.get("/dasbor/unit/unit-mks?period=2025", headers=headers).status_code == 403
    wrong = {"Authorization": "Bearer suara_bukan-token"}
    assert client.get("/dasbor/unit/unit-sby", headers=wrong).status_code == 302


@pytest.mark.parametrize("address", ["/", "/masuk", "/api/v1/openapi.json", "/tidak-ada"])
def test_every_response_carries_the_security_headers(client, address):
    headers = client.get(address).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_is_sent_behind_tls(client):
    headers = client.get("/", base_url="https://suara.test").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_carries_inline_script_or_style(app):
    from pathlib import Path

    for template in Path(app.template_folder).rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " onclick=" not in text, template
        assert "<style" not in text and ' style="' not in text, template


def test_the_session_cookie_expires_after_eight_hours_and_is_http_only(client, users):
    response = log_in(client, "unit@uji.go.id", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from email.utils import parsedate_to_datetime
    from datetime import datetime, timezone
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", cookie).group(1))
    hours = (expires - datetime.now(timezone.utc)).total_seconds() / 3600
    assert 7.9 < hours <= 8.0
