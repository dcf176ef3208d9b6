"""Sign-in throttling: a growing delay by address and by account, one answer, no lock-out."""

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from survey import create_app
from survey.auth import accounts, throttle
from survey.models import AuditEvent, utcnow
from tests.web.test_auth import PASSWORD, csrf_token

STRANGER, OWNER = "203.0.113.7", "198.51.100.20"  # documentation addresses (RFC 5737)


def attempt(client, email, password, address=STRANGER, headers=None):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token(client)
    return client.post("/masuk", data={"email": email, "password": password, "csrf_token": token},
                       environ_base=environ, headers=headers or {})


def failures(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == throttle.FAILED))


def test_the_delay_doubles_after_the_free_failures_up_to_its_cap():
    now = utcnow()
    waits = [throttle.Failures(count, now).wait(5, now) for count in (4, 5, 6, 7, 40)]
    # 4 < 5 free: none; then FIRST_DELAY (2 s) doubling per failure; 2^36 s capped at 15 min.
    assert waits == [timedelta(0), timedelta(seconds=2), timedelta(seconds=4),
                     timedelta(seconds=8), timedelta(minutes=15)]
    assert throttle.Failures(6, now - timedelta(seconds=1.5)).wait(5, now) \
        == timedelta(seconds=2.5)


def test_a_stranger_guessing_is_slowed_with_one_answer_and_the_owner_still_gets_in(
        client, users, session):
    for _ in range(throttle.FREE_PER_ACCOUNT):
        assert attempt(client, "admin@uji.go.id", "tebakan-salah-1").status_code == 401
    counted = failures(session)
    for password in ("tebakan-salah-2", PASSWORD):  # even the right one waits, from there
        refused = attempt(client, "admin@uji.go.id", password)
        assert refused.status_code == 429 and accounts.REFUSED in refused.text
        assert refused.headers["Retry-After"] == "2"  # FIRST_DELAY after the 5 free failures
    assert failures(session) == counted  # a throttled try writes nothing
    owner = attempt(client, "admin@uji.go.id", PASSWORD, address=OWNER)
    assert owner.status_code == 303 and owner.headers["Location"] == "/dasbor/?scope=national"


def test_an_unknown_account_is_throttled_exactly_like_a_known_one(client, users):
    answers = {}
    for email in ("admin@uji.go.id", "tidak-ada@uji.go.id"):
        answers[email] = [attempt(client, email, "tebakan-salah-1").status_code
                          for _ in range(throttle.FREE_PER_ACCOUNT + 1)]
    assert answers["admin@uji.go.id"] == answers["tidak-ada@uji.go.id"] == [401] * 5 + [429]


def test_an_address_that_fails_on_many_accounts_is_slowed(client, users):
    for n in range(throttle.FREE_PER_ADDRESS):
        assert attempt(client, f"orang{n}@uji.go.id", "tebakan-salah-1").status_code == 401
    assert attempt(client, "unit@uji.go.id", PASSWORD).status_code == 429
    assert attempt(client, "unit@uji.go.id", PASSWORD, address=OWNER).status_code == 303


def test_a_try_after_the_delay_runs_again(users, session, app):
    later = utcnow()
    for _ in range(throttle.FREE_PER_ACCOUNT):
        session.add(AuditEvent(action=throttle.FAILED, email="unit@uji.go.id", ip=STRANGER,
                               at=later - timedelta(seconds=3)))
    session.flush()
    with app.test_request_context():
        # The 5 free failures 3 s ago need FIRST_DELAY (2 s): over. At their moment: 2 s.
        assert accounts.check(session, "unit@uji.go.id", PASSWORD, STRANGER, later).user \
            is not None
        waiting = accounts.check(session, "unit@uji.go.id", PASSWORD, STRANGER,
                                 later - timedelta(seconds=3))
        assert waiting.user is None and waiting.wait == timedelta(seconds=2)


def test_checking_a_password_leaves_no_transaction_open(users, session, app):
    with app.test_request_context():
        assert accounts.check(session, "unit@uji.go.id", PASSWORD, OWNER).user is not None
        assert not session.in_transaction()


def test_a_forwarded_address_is_ignored_without_a_configured_proxy(client, users, session):
    attempt(client, "unit@uji.go.id", "salah-sandi-123", headers={"X-Forwarded-For": "192.0.2.1"})
    assert session.scalars(select(AuditEvent.ip)).one() == STRANGER


@pytest.fixture
def proxied(database_url, connection, tmp_path):
    """An app behind one proxy (SUARA_PROXIES=1), its sessions on the test's connection."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "SUARA_PROXIES": 1, "CACHE_DIR": str(tmp_path)})
    app.extensions["suara.db"].sessionmaker.configure(bind=connection,
                                                      join_transaction_mode="create_savepoint")
    yield app.test_client()
    app.extensions["suara.db"].engine.dispose()


def test_behind_one_proxy_only_the_address_it_adds_counts(proxied, users, session):
    # A client's own X-Forwarded-For comes first; the one proxy appends the address it saw.
    forged = {"X-Forwarded-For": "192.0.2.1, 192.0.2.99"}
    attempt(proxied, "unit@uji.go.id", "salah-sandi-123", headers=forged)
    assert session.scalars(select(AuditEvent.ip)).one() == "192.0.2.99"


def test_tries_within_a_wait_are_refused_before_any_database_statement(client, users, app):
    for _ in range(throttle.FREE_PER_ACCOUNT):
        attempt(client, "admin@uji.go.id", "tebakan-salah-1")
    assert attempt(client, "admin@uji.go.id", "tebakan-salah-2").status_code == 429
    statements = []
    engine = app.extensions["suara.db"].engine
    count = lambda *args: statements.append(args[2])  # noqa: E731 (the statement's text)
    token = csrf_token(client)
    event.listen(engine, "before_cursor_execute", count)
    try:
        flood = [client.post("/masuk", environ_base={"REMOTE_ADDR": STRANGER}, data={
            "email": "Admin@Uji.go.id ", "password": f"tebakan-{n}", "csrf_token": token})
            for n in range(20)]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert {answer.status_code for answer in flood} == {429}
    assert all(accounts.REFUSED in answer.text and answer.headers["Retry-After"]
               for answer in flood)
    assert statements == []
    # The wait was the account's, from this address: another account from it is still tried.
    assert attempt(client, "unit@uji.go.id", "tebakan-salah-1").status_code == 401


def test_a_refused_try_is_answered_before_flask_with_the_usual_headers(client, users):
    for _ in range(throttle.FREE_PER_ACCOUNT):
        attempt(client, "admin@uji.go.id", "tebakan-salah-1")
    assert attempt(client, "admin@uji.go.id", "tebakan-salah-2").status_code == 429  # kept
    # No session cookie, no form token: Flask would answer 400; the gate answers first.
    refused = client.post("/masuk", environ_base={"REMOTE_ADDR": STRANGER},
                          data={"email": "admin@uji.go.id", "password": "tebakan-salah-2"})
    assert refused.status_code == 429 and accounts.REFUSED in refused.text
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert refused.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert refused.headers["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in refused.headers


def test_a_second_try_while_one_is_under_way_from_its_address_waits_a_second(
        client, users, session):
    token = csrf_token(client)
    with throttle.one_try_at_a_time(STRANGER) as free:
        assert free  # the first try of the address holds its turn
        with throttle.one_try_at_a_time(STRANGER) as second:
            assert not second
        beside = client.post("/masuk", environ_base={"REMOTE_ADDR": STRANGER}, data={
            "email": "unit@uji.go.id", "password": PASSWORD, "csrf_token": token})
        elsewhere = attempt(client, "unit@uji.go.id", PASSWORD, address=OWNER)
    assert beside.status_code == 429 and beside.headers["Retry-After"] == "1"
    assert elsewhere.status_code == 303  # another address is not held up
    assert failures(session) == 0  # the refused try ran no hash and wrote nothing
    # The turn is given back: the address's next try goes through.
    assert attempt(client, "unit@uji.go.id", PASSWORD).status_code == 303


@pytest.mark.parametrize("body, content_type", [
    ("email=" + "a" * 5000, "application/x-www-form-urlencoded"),  # too long to peek at
    ("--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nunit@uji.go.id\r\n--x--\r\n",
     "multipart/form-data; boundary=x"),
])
def test_a_body_the_gate_does_not_read_reaches_flask_whole(client, users, body, content_type):
    answer = client.post("/masuk", data=body.encode(), content_type=content_type,
                         environ_base={"REMOTE_ADDR": STRANGER})
    assert answer.status_code == 400  # Flask's CSRF check saw the form: no token in it
