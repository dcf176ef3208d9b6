"""An Idempotency-Key on the invitation API: a repeat with the same key and body answers the
stored answer and makes nothing; another body 422; a malformed key 400; a key older than 24 hours
is forgotten; two calls at once with one key make one invitation; keys of two API keys are
apart."""

import hashlib
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.invitations import api_keys, idempotency, optouts
from survey.kiosks.devices import keyed
from survey.models import ApiIdempotency, Invitation, InvitationApiKey, InvitationMessage, utcnow
from tests.web.conftest import shared_point_app
from tests.web.test_admin_units import points  # noqa: F401  (a fixture)
from tests.web.test_invitation_api import (TRANSACTIONS, make_key, post_transaction,  # noqa: F401
                                           sby)

CODES = "/api/v1/invitations"
BASE = "http://suara.test"  # SUARA_BASE_URL of the test app (tests/conftest.py)
SECRET = "test-secret"


def call(client, key: str, idem: str | None, path: str = CODES, body=None):
    headers = {"Authorization": f"Bearer {key}"}
    if idem is not None:
        headers["Idempotency-Key"] = idem
    return client.post(path, headers=headers, json=body)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_repeated_code_call_answers_the_same_code_and_issues_nothing(
        app, client, session, users, sby, monkeypatch):
    key = make_key(client, users, sby)
    machine = app.test_client()
    first = call(machine, key, "tiket-0001")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    # Over the hourly limit now (1 code issued, limit 1): a repeat still answers, a new key not.
    monkeypatch.setattr(api_keys, "RATE_LIMIT", 1)
    again = call(machine, key, "tiket-0001")
    assert (again.status_code, again.data) == (201, first.data)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Content-Type"] == "application/json"
    assert count(session, Invitation) == 1
    assert call(machine, key, "tiket-0002").status_code == 429
    # One stored answer: the hash is of the path, a newline and the (empty) body.
    [row] = session.scalars(select(ApiIdempotency)).all()
    assert (row.idempotency_key, row.status, row.body) == ("tiket-0001", 201,
                                                           first.get_data(as_text=True))
    assert row.request_hash == hashlib.sha256(b"/api/v1/invitations\n").hexdigest()


def test_a_repeated_transaction_invites_once(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    body = {"contact": "warga@contoh.id", "service_type": "KTP elektronik"}
    answers = [call(machine, key, "antrean-7:A-015", TRANSACTIONS, body) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert [answer.headers.get("Idempotent-Replayed") for answer in answers] == [
        None, "true", "true"]
    assert answers[1].get_json() == answers[2].get_json() == answers[0].get_json()
    assert (count(session, Invitation), count(session, InvitationMessage)) == (1, 1)
    # Without a key each call is a new one, as before: a second invitation.
    assert post_transaction(machine, key, body).status_code == 201
    assert count(session, InvitationMessage) == 2


def test_a_skipped_transaction_is_replayed_as_skipped(app, client, session, users, sby):
    key = make_key(client, users, sby)
    optouts.opt_out(session, optouts.contact_hash(app.config["SECRET_KEY"], "warga@contoh.id"))
    session.commit()
    machine = app.test_client()
    body = {"contact": "warga@contoh.id"}
    answers = [call(machine, key, "lewati-1", TRANSACTIONS, body) for _ in range(2)]
    assert [(a.status_code, a.get_json()) for a in answers] == [(200, {"status": "skipped"})] * 2
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert count(session, Invitation) == 0


def test_the_same_key_with_another_body_or_route_is_refused(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    assert call(machine, key, "k-1", TRANSACTIONS, {"contact": "warga@contoh.id"}
                ).status_code == 201
    for path, body in ((TRANSACTIONS, {"contact": "warga.lain@contoh.id"}), (CODES, None)):
        refused = call(machine, key, "k-1", path, body)
        assert refused.status_code == 422, path
        message = refused.get_json()["error"]["message"]
        assert "Idempotency-Key ini sudah dipakai" in message and "isi atau alamat lain" in message
        assert "Idempotent-Replayed" not in refused.headers
    assert (count(session, Invitation), count(session, ApiIdempotency)) == (1, 1)


@pytest.mark.parametrize("idem", ["", " ", "x" * 201, "kunci\u00e9", "kunci\tsatu", " awal"])
def test_a_malformed_key_is_refused_and_nothing_is_made(app, client, session, users, sby, idem):
    key = make_key(client, users, sby)
    for path, body in ((CODES, None), (TRANSACTIONS, {"contact": "warga@contoh.id"})):
        refused = call(app.test_client(), key, idem, path, body)
        assert refused.status_code == 400, (idem, path)
        assert refused.get_json()["error"]["message"] == idempotency.BAD_KEY + "."
    assert (count(session, Invitation), count(session, ApiIdempotency)) == (0, 0)


def test_the_longest_key_and_inner_spaces_are_accepted(app, client, session, users, sby):
    key = make_key(client, users, sby)
    for idem in ("x" * idempotency.KEY_MAX, "loket 3 / tiket 15", "~!"):
        assert call(app.test_client(), key, idem).status_code == 201, idem
    assert count(session, ApiIdempotency) == 3


def test_a_refused_call_stores_no_key(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    assert call(machine, key, "k-2", TRANSACTIONS, {"contact": "12"}).status_code == 400
    # The machine fixes the body and sends it again with the same key: it is made.
    fixed = call(machine, key, "k-2", TRANSACTIONS, {"contact": "warga@contoh.id"})
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers


def _age(session, idem: str, by: timedelta) -> None:
    row = session.scalars(select(ApiIdempotency)
                          .where(ApiIdempotency.idempotency_key == idem)).one()
    row.created_at -= by
    session.commit()


def test_a_key_is_kept_24_hours(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    first = call(machine, key, "k-3")
    # 23 h 59 min later (idempotency.KEPT_FOR is 24 h): still the same answer.
    _age(session, "k-3", idempotency.KEPT_FOR - timedelta(minutes=1))
    assert call(machine, key, "k-3").data == first.data
    # One more minute and a second: forgotten, so the same key issues a new code.
    _age(session, "k-3", timedelta(minutes=1, seconds=1))
    later = call(machine, key, "k-3")
    assert later.status_code == 201 and "Idempotent-Replayed" not in later.headers
    assert later.get_json()["code"] != first.get_json()["code"]
    assert count(session, Invitation) == 2
    [row] = session.scalars(select(ApiIdempotency)).all()
    assert row.body == later.get_data(as_text=True)


def test_expired_keys_are_deleted_by_the_first_call_of_an_hour(app, client, session, users,
                                                               sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    for idem in ("lama", "kemarin", "baru"):
        assert call(machine, key, idem).status_code == 201
    old = idempotency.KEPT_FOR + timedelta(seconds=1)
    _age(session, "lama", old)
    # Within the hour that already deleted the expired keys, another call deletes nothing.
    assert call(machine, key, "k-4").status_code == 201
    assert count(session, ApiIdempotency) == 4
    # The first call of a new hour (the hour this process cleaned, forgotten) deletes them.
    app.extensions["suara.memo"]["idempotency_hours"].clear()
    _age(session, "kemarin", old)
    assert call(machine, key, "k-5").status_code == 201
    assert sorted(session.scalars(select(ApiIdempotency.idempotency_key))) == [
        "baru", "k-4", "k-5"]


def test_keys_of_two_api_keys_are_apart(app, client, session, users, points, sby):
    first = make_key(client, users, sby)
    second = make_key(client, users, sby, name="Aplikasi loket")
    # A key of another unit's point (unit-mks), made as its staff would.
    _, other = api_keys.create(session, points["unit-mks"], "Mesin antrean", users["admin"],
                               app.config["SECRET_KEY"], utcnow())
    session.commit()
    machine = app.test_client()
    answers = [call(machine, key, "tiket-1") for key in (first, second, other)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert all("Idempotent-Replayed" not in a.headers for a in answers)
    assert len({a.get_json()["code"] for a in answers}) == 3
    assert (count(session, Invitation), count(session, ApiIdempotency)) == (3, 3)


# --- Two calls at once with one key, on a database two threads write to for real -------------

MACHINE_KEY = api_keys.PREFIX + "mesin-antrean-paralel"


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    """An app on a migrated database with one open point and one API key of it."""
    with shared_point_app(tmp_path_factory, "tokidempoten1") as (app, engine, point):
        with Session(engine) as session:
            session.add(InvitationApiKey(point_id=point.id, name="Mesin antrean",
                                         key_hash=keyed(SECRET, MACHINE_KEY), created_at=utcnow()))
            session.commit()
        yield app, engine


def _at_once(app, requests: list[tuple[str, str, dict | None]]) -> list:
    start, answers = threading.Barrier(len(requests)), []

    def machine(path, idem, body):
        client = app.test_client()
        start.wait()
        answers.append(call(client, MACHINE_KEY, idem, path, body))

    threads = [threading.Thread(target=machine, args=args) for args in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


@pytest.mark.parametrize(("path", "body"), [(CODES, None),
                                            (TRANSACTIONS, {"contact": "warga@contoh.id"})])
def test_two_calls_at_once_with_one_key_make_one_invitation(shared_app, path, body):
    app, engine = shared_app
    for round_ in range(3):
        idem = f"{path}-{round_}"
        answers = _at_once(app, [(path, idem, body)] * 2)
        assert [a.status_code for a in answers] == [201, 201], [a.get_json() for a in answers]
        assert answers[0].data == answers[1].data
        assert sorted(str(a.headers.get("Idempotent-Replayed")) for a in answers) == [
            "None", "true"]
        with Session(engine) as session:
            code = answers[0].get_json()["code"]
            assert session.scalars(select(Invitation.code).where(
                Invitation.issued_at >= utcnow() - timedelta(minutes=5),
                Invitation.code == code)).all() == [code]
            assert session.scalar(select(func.count()).select_from(ApiIdempotency).where(
                ApiIdempotency.idempotency_key == idem)) == 1
    with Session(engine) as session:  # 3 rounds, one invitation each, nothing more
        assert session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.source == ("api" if path == CODES else "message"))) == 3


def test_a_call_racing_a_commit_of_its_key_answers_the_committed_answer(shared_app):
    """The call reads no stored key, makes its invitation, and meets the key another
    transaction holds uncommitted: once that commits, it undoes its own and answers the
    stored one."""
    app, engine = shared_app
    with Session(engine) as session:
        api_key_id = session.scalar(select(InvitationApiKey.id))
        before = session.scalar(select(func.count()).select_from(Invitation))
    stored = '{"code":"ZZZZZZZZ","shown":"ZZZZ-ZZZZ"}\n'
    digest = hashlib.sha256(CODES.encode() + b"\n").hexdigest()
    with Session(engine) as winner:
        winner.add(ApiIdempotency(api_key_id=api_key_id, idempotency_key="balapan",
                                  request_hash=digest, status=201, body=stored,
                                  created_at=utcnow()))
        winner.flush()  # holds the key (PostgreSQL) or the write lock (SQLite)
        answers: list = []
        thread = threading.Thread(target=lambda: answers.append(
            call(app.test_client(), MACHINE_KEY, "balapan")))
        thread.start()
        time.sleep(0.5)  # time for the call to reach the key or the lock
        winner.commit()
    thread.join(60)
    [answer] = answers
    assert (answer.status_code, answer.get_data(as_text=True)) == (201, stored)
    assert answer.headers["Idempotent-Replayed"] == "true"
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Invitation)) == before
