"""The invitation API of queue machines and counter applications: a point's staff make a key
(shown once, kept as a keyed hash, audited); POST /api/v1/invitations with it issues one code
of that point; no key, a wrong key or a revoked one answers 401; the rate is bounded. POST
/api/v1/invitations/transactions with it invites a served transaction's citizen by message."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from survey.cli import cli
from survey.invitations import api_keys, codes, optouts, transactions
from survey.kiosks.devices import keyed
from survey.models import (Invitation, InvitationApiKey, InvitationMessage, MessageLog, Response,
                           utcnow)
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, points, post  # noqa: F401  (points: a fixture)
from tests.web.test_form import form_data

BASE = "http://suara.test"  # SUARA_BASE_URL of the test app (tests/conftest.py)
KEY = re.compile(r'aria-label="Kunci API"><code>(suara_[A-Za-z0-9_-]+)</code>')


def keys_page(point) -> str:
    return f"/admin/units/unit-sby/points/{point.id}/invitations"


def make_key(client, users, point, name="Mesin antrean lantai 1") -> str:
    """Have the unit's staff make a key for a point; return the key as shown once."""
    sign_in(client, users["unit"])
    page = post(client, f"{keys_page(point)}/keys", {"name": name})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    return KEY.search(page.text).group(1)


def ask(client, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return client.post("/api/v1/invitations", headers=headers)


def test_a_key_issues_one_code_of_its_point(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    # Only the keyed hash is stored, never the key.
    [row] = session.scalars(select(InvitationApiKey)).all()
    assert row.key_hash == keyed(app.config["SECRET_KEY"], key) and key not in row.key_hash
    before = utcnow()
    machine = app.test_client()  # the queue machine: no session, no CSRF token
    answer = ask(machine, key)
    assert answer.status_code == 201
    body = answer.get_json()
    assert set(body) == {"code", "shown", "url", "expires_at"}
    assert codes.normalised(body["code"]) == body["code"] and body["shown"] == codes.shown(
        body["code"])
    assert body["url"] == f"{BASE}/u/{body['code']}"
    [invitation] = session.scalars(select(Invitation)).all()
    assert (invitation.code, invitation.point_id, invitation.source) == (body["code"], point.id,
                                                                         "api")
    # Valid codes.VALID_FOR (14 days) from its issue.
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + codes.VALID_FOR <= expires <= utcnow() + codes.VALID_FOR
    session.refresh(row)
    assert row.last_used_at is not None
    [event] = events(session, "invitation_key_created")
    assert event.detail == {"point_id": point.id, "name": "Mesin antrean lantai 1"}
    # The citizen answers with it: one invited answer.
    assert machine.post(f"/u/{body['code']}/kirim",
                        data=form_data(app, point)).status_code == 303
    assert session.scalar(select(Response.invitation_id).where(
        Response.invitation_id.is_not(None))) == invitation.id


def test_no_key_a_wrong_key_or_a_revoked_key_is_refused(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    machine = app.test_client()
    for wrong in (None, "", "suara_" + "x" * 43, key + "x", "y" * 500):
        answer = ask(machine, wrong)
        assert answer.status_code == 401, wrong
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert machine.post("/api/v1/invitations",
                        headers={"Authorization": f"Basic {key}"}).status_code == 401
    [row] = session.scalars(select(InvitationApiKey)).all()
    assert post(client, f"{keys_page(point)}/keys/{row.id}/revoke").status_code == 303
    assert ask(machine, key).status_code == 401
    [event] = events(session, "invitation_key_revoked")
    assert event.target == f"invitation_key:{row.id}"
    assert session.scalars(select(Invitation)).all() == []


def test_only_staff_whose_scope_holds_the_unit_make_or_revoke_keys(client, session, users,
                                                                   points):
    other = points["unit-mks"]
    key = make_key(client, users, points["unit-sby"])
    [row] = session.scalars(select(InvitationApiKey)).all()
    sign_in(client, users["unit"])
    assert post(client, f"/admin/units/unit-mks/points/{other.id}/invitations/keys").status_code \
        == 403
    # A key of unit-sby's point revoked through unit-mks's address: 403 before any lookup.
    assert post(client, f"/admin/units/unit-mks/points/{other.id}/invitations/keys/{row.id}"
                        "/revoke").status_code == 403
    assert ask(client, key).status_code == 201


def test_the_rate_of_a_point_is_bounded(app, client, session, users, points, monkeypatch):
    key = make_key(client, users, points["unit-sby"])
    monkeypatch.setattr(api_keys, "RATE_LIMIT", 2)
    machine = app.test_client()
    assert [ask(machine, key).status_code for _ in range(3)] == [201, 201, 429]
    refused = ask(machine, key)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Codes issued more than an hour ago (api_keys.RATE_WINDOW) no longer count.
    for invitation in session.scalars(select(Invitation)):
        invitation.issued_at -= api_keys.RATE_WINDOW + timedelta(seconds=1)
    session.commit()
    assert ask(machine, key).status_code == 201


def test_a_key_of_a_closed_point_issues_nothing(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    point.active = False
    session.commit()
    assert ask(app.test_client(), key).status_code == 410
    assert session.scalars(select(Invitation)).all() == []


# POST /api/v1/invitations/transactions: a served transaction, whose citizen is invited by message.
TRANSACTIONS = "/api/v1/invitations/transactions"
WIB = timezone(timedelta(hours=7))  # Surabaya's (region 35.78) time zone


def post_transaction(client, key: str | None, body=None, **kwargs):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return client.post(TRANSACTIONS, headers=headers, json=body, **kwargs)


@pytest.fixture
def sby(session, points):
    """unit-sby's point, its unit dated back to 2025 (the dataset makes it "now") so that the
    bounds of survey/entry_dates.py start on 01-01-2025."""
    points["unit-sby"].unit.created_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    session.commit()
    return points["unit-sby"]


def stored(session):
    """Return every (invitation, message) pair, oldest first."""
    return session.execute(select(Invitation, InvitationMessage)
                           .outerjoin(InvitationMessage,
                                      InvitationMessage.invitation_id == Invitation.id)
                           .order_by(Invitation.id)).all()


def test_a_posted_transaction_is_invited_by_message_with_its_personal_link(
        app, client, session, users, sby, runner, monkeypatch):
    key = make_key(client, users, sby)
    served = (utcnow() - timedelta(minutes=5)).astimezone(WIB).replace(microsecond=0)
    answer = post_transaction(app.test_client(), key, {
        "served_at": served.isoformat(), "service_type": " KTP elektronik ",
        "contact": " Warga@Contoh.id"})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body == {"code": body["code"], "shown": codes.shown(body["code"]),
                    "channel": "email", "status": "queued"}
    [(invitation, message)] = stored(session)
    # As an uploaded file's rows: source "message", the e-mail lower-cased, no issuing user.
    assert (invitation.code, invitation.point_id, invitation.source, invitation.issued_by) == (
        body["code"], sby.id, "message", None)
    assert (message.channel, message.contact, message.status, message.service_type) == (
        "email", "warga@contoh.id", "pending", "KTP elektronik")
    assert message.served_at == served
    # `suara invitations send` through the development gateway (the message log).
    monkeypatch.setitem(app.config, "SUARA_MESSAGE_GATEWAY", "log")
    with app.app_context():
        result = runner.invoke(cli, ["invitations", "send"])
    assert "Undangan terkirim: 1, pengingat: 0" in result.output, result.output
    [logged] = session.scalars(select(MessageLog)).all()
    assert logged.recipient == "warga@contoh.id"
    assert f"Mohon nilai layanan kami (1 menit): {BASE}/u/{body['code']}\n" in logged.body
    session.refresh(message)
    assert message.status == "sent"


def test_a_phone_number_is_sent_by_sms_unless_whatsapp_is_asked(app, client, session, users,
                                                                 sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    before = utcnow()
    sms = post_transaction(machine, key, {"contact": "0812-3456-7890"})
    whatsapp = post_transaction(machine, key, {"contact": "+62 813 1111 2222",
                                               "channel": "whatsapp", "service_type": ""})
    assert (sms.status_code, whatsapp.status_code) == (201, 201)
    assert [sms.get_json()["channel"], whatsapp.get_json()["channel"]] == ["sms", "whatsapp"]
    messages = [message for _, message in stored(session)]
    assert [(m.channel, m.contact, m.service_type) for m in messages] == [
        ("sms", "+6281234567890", None), ("whatsapp", "+6281311112222", None)]
    # Without served_at: served at the time of the request.
    assert before <= messages[0].served_at <= utcnow()


def test_an_opted_out_contact_is_skipped_and_nothing_is_made(app, client, session, users, sby):
    key = make_key(client, users, sby)
    optouts.opt_out(session, optouts.contact_hash(app.config["SECRET_KEY"], "warga@contoh.id"))
    session.commit()
    answer = post_transaction(app.test_client(), key, {"contact": "WARGA@contoh.id",
                                                       "service_type": "KTP"})
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "skipped"}  # no code, no reason, no contact
    assert stored(session) == []


BAD_BODIES = [  # (body, a part of the 400's message)
    ([], "isi permintaan harus berupa objek JSON"),
    ({}, "contact wajib diisi"),
    ({"contact": "  "}, "contact wajib diisi"),
    ({"kontak": "warga@contoh.id"}, "kolom tidak dikenal: kontak"),
    ({"contact": 81234567890}, "contact harus berupa teks"),
    ({"contact": "12"}, "kontak '12' bukan alamat e-mail atau nomor ponsel"),
    ({"contact": "warga@contoh.id", "channel": "merpati"}, "channel 'merpati' tidak dikenal"),
    ({"contact": "warga@contoh.id", "channel": "sms"},
     "alamat e-mail hanya dapat dikirimi lewat kanal email"),
    ({"contact": "081234567890", "channel": "email"},
     "nomor ponsel tidak dapat dikirimi lewat kanal email"),
    ({"contact": "warga@contoh.id", "served_at": "kemarin"}, "served_at 'kemarin' tidak terbaca"),
    ({"contact": "warga@contoh.id", "served_at": "2026-12-07T09:30:00"},  # no offset
     "served_at '2026-12-07T09:30:00' tidak terbaca"),
    # The bounds of survey/entry_dates.py: not after the unit's today, not before 01-01-2025
    # (the unit's creation, set by the sby fixture); years 1 and 9999 too.
    ({"contact": "warga@contoh.id", "served_at": "2099-12-31T08:00:00+07:00"},
     "Tanggal 31-12-2099 belum terjadi"),
    ({"contact": "warga@contoh.id", "served_at": "9999-12-31T23:59:00-05:00"},
     "Tanggal 31-12-9999 belum terjadi"),
    ({"contact": "warga@contoh.id", "served_at": "2024-12-31T23:00:00+07:00"},
     "Tanggal 31-12-2024 terlalu awal: paling awal 01-01-2025"),
    ({"contact": "warga@contoh.id", "served_at": "0001-01-01T00:00:00+07:00"},
     "Tanggal 01-01-0001 terlalu awal"),
    ({"contact": "warga@contoh.id", "service_type": "x" * 201},
     "service_type paling panjang 200 karakter"),
]


def test_a_bad_body_is_refused_with_its_reasons(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    for body, reason in BAD_BODIES:
        answer = post_transaction(machine, key, body)
        assert answer.status_code == 400, body
        assert reason in answer.get_json()["error"]["message"], (body, answer.get_json())
    not_json = machine.post(TRANSACTIONS, headers={"Authorization": f"Bearer {key}"},
                            data="contact=warga@contoh.id", content_type="application/json")
    assert not_json.status_code == 400
    assert "objek JSON" in not_json.get_json()["error"]["message"]
    # 17 UTC on 31 December 2024 is 00:00 WIB on 1 January 2025, the unit's first day.
    assert post_transaction(machine, key, {"contact": "warga@contoh.id",
                                           "served_at": "2024-12-31T17:00:00Z"}).status_code \
        == 201
    assert len(stored(session)) == 1


def test_a_transaction_needs_a_valid_key_of_an_open_point(app, client, session, users, sby):
    key = make_key(client, users, sby)
    machine = app.test_client()
    body = {"contact": "warga@contoh.id"}
    for wrong in (None, "", key + "x"):
        answer = post_transaction(machine, wrong, body)
        assert answer.status_code == 401, wrong
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    [row] = session.scalars(select(InvitationApiKey)).all()
    assert post(client, f"{keys_page(sby)}/keys/{row.id}/revoke").status_code == 303
    assert post_transaction(machine, key, body).status_code == 401
    other = make_key(client, users, sby, name="Aplikasi loket")
    sby.active = False
    session.commit()
    closed = post_transaction(machine, other, body)
    assert closed.status_code == 410
    assert closed.get_json()["error"]["message"] == "titik layanan ini sudah ditutup"
    assert stored(session) == []


def test_codes_and_transactions_share_the_hourly_limit(app, client, session, users, sby,
                                                      monkeypatch):
    key = make_key(client, users, sby)
    monkeypatch.setattr(api_keys, "RATE_LIMIT", 2)
    # A file staff uploaded (issued by them) counts not against the machines' limit.
    uploaded = [transactions.Transaction(utcnow(), sby, None, f"warga{i}@contoh.id", "email")
                for i in range(3)]
    assert transactions.invite(session, uploaded, app.config["SECRET_KEY"], utcnow(),
                               users["unit"].id) == (3, 0)
    session.commit()
    machine = app.test_client()
    body = {"contact": "warga@contoh.id"}
    assert ask(machine, key).status_code == 201
    assert post_transaction(machine, key, body).status_code == 201
    refused = post_transaction(machine, key, body)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert ask(machine, key).status_code == 429
    assert len(stored(session)) == 3 + 2
