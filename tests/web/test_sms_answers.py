"""Answers by SMS from a basic phone: the reply's grammar, the webhook's secret, one answer per
code however often it is sent, and the keyword BERHENTI."""

import base64
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from survey import rollups

from survey.invitations import codes, messages, optouts, sms_answers, transactions
from survey.invitations.sms_answers import Reply, parse
from survey.models import (Invitation, InvitationMessage, MessageOptOut, Response, RollupInvited,
                           ServicePoint, ServiceUnit, utcnow)
from survey.scopes import Scope
from tests.web.conftest import shared_point_app

WEBHOOK = "/api/v1/sms/masuk"
SECRET = "rahasia-sms-uji"
ANSWERS = (4, 3, 4, 4, 3, 4, 4, 3, 4)


@pytest.mark.parametrize(("text", "expected"), [
    ("SKM AB3DEF7H 4 3 4 4 3 4 4 3 4", Reply("AB3DEF7H", ANSWERS)),
    ("skm ab3d-ef7h 4 3 4 4 3 4 4 3 4", Reply("AB3DEF7H", ANSWERS)),
    ("  Skm AB3D EF7H 4,3,4,4,3,4,4,3,4 \n", Reply("AB3DEF7H", ANSWERS)),
    ("SKM AB3D-EF7H 434434434", Reply("AB3DEF7H", ANSWERS)),
])
def test_well_formed_replies_are_read(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("SKM AB3DEF7H 4 3 4 4 3 4 4 3", "Jumlah nilai harus 9, pesan Anda berisi 8."),
    ("SKM AB3DEF7H 4 3 4 4 3 4 4 3 4 4", "Jumlah nilai harus 9, pesan Anda berisi 10."),
    ("SKM AB3DEF7H 4 3 0 4 3 4 4 3 4", "Nilai ke-3 ('0') harus 1, 2, 3 atau 4."),
    ("SKM AB3DEF7H 4 3 4 4 3 4 4 3 5", "Nilai ke-9 ('5') harus 1, 2, 3 atau 4."),
    ("SKM AB3DEF7H 4 3 4 4 baik 4 4 3 4", "Nilai ke-5 ('baik') harus 1, 2, 3 atau 4."),
    ("SKM A0B1 4 3 4 4 3 4 4 3 4", "Kode 'A0B1' tidak sesuai"),  # 0 and 1 are in no code
    ("Halo, terima kasih", "Format: SKM, kode undangan"),
    ("", "Format: SKM, kode undangan"),
])
def test_malformed_replies_say_what_to_correct(text, expected):
    reply = parse(text)
    assert isinstance(reply, str) and reply.startswith(expected)
    assert sms_answers.EXAMPLE in reply


@pytest.fixture
def invitation(session, dataset):
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    point = ServicePoint(unit_id=unit.id, name="Loket SMS", token="tok-sms-1")
    session.add(point)
    session.flush()
    served = transactions.Transaction(utcnow(), point, "Kartu keluarga", "+6281234567890", "sms")
    transactions.invite(session, [served], "test-secret", utcnow(), None)
    session.commit()
    return session.scalars(select(Invitation)).one()


@pytest.fixture
def webhook(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_SMS_SECRET", SECRET)

    def post(text, sender="+6281234567890", **headers):
        headers.setdefault("X-Suara-Secret", SECRET)
        return client.post(WEBHOOK, data={"Body": text, "From": sender}, headers=headers)
    return post


def stored(session, invitation_id):
    return session.scalars(select(Response).where(Response.invitation_id == invitation_id)).all()


def test_the_webhook_needs_its_secret(webhook, app, monkeypatch):
    assert webhook("SKM", **{"X-Suara-Secret": "salah"}).status_code == 401
    # Twilio sends it as the password in the webhook's address (HTTP basic authentication).
    login = "Basic " + base64.b64encode(f"sms:{SECRET}".encode()).decode()
    assert webhook("SKM", **{"X-Suara-Secret": "", "Authorization": login}).status_code == 200
    monkeypatch.setitem(app.config, "SUARA_SMS_SECRET", "")  # unset: every call refused
    assert webhook("SKM", **{"X-Suara-Secret": ""}).status_code == 401


def test_an_sms_answer_is_stored_once_with_its_invitation(webhook, session, invitation):
    text = f"skm {codes.shown(invitation.code).lower()} 4 3 4 4 3 4 4 3 4"
    answer = webhook(text)
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    assert answer.text == "Terima kasih, penilaian Anda untuk Unit unit-sby sudah kami terima."
    [row] = stored(session, invitation.id)
    assert (row.channel, row.service_type, row.point_id) == ("sms", "Kartu keluarga",
                                                              invitation.point_id)
    assert tuple(getattr(row, f"u{e}") for e in range(1, 10)) == ANSWERS
    # The same message again (a gateway's retry): thanked, not stored twice.
    assert webhook(text).text.startswith("Terima kasih")
    # Other answers with the used code: refused.
    again = webhook(f"SKM {invitation.code} 1 1 1 1 1 1 1 1 1")
    assert again.text == (f"Kode {codes.shown(invitation.code)} sudah dipakai untuk menjawab. "
                          "Setiap kode hanya dapat dipakai sekali.")
    assert len(stored(session, invitation.id)) == 1
    # The rollup of invited answers counts it once: n = 1, s1 = its first answer 4.
    invited = session.execute(select(RollupInvited.n, RollupInvited.s1)
                              .where(RollupInvited.months == 1)).one()
    assert tuple(invited) == (1, 4)
    # A later run of the sender closes the message and deletes its contact.
    message = session.scalars(select(InvitationMessage)).one()
    messages.close_finished(session, utcnow())
    session.commit()
    session.refresh(message)
    assert (message.status, message.contact) == ("answered", None)


def test_unknown_and_expired_codes_are_named(webhook, session, invitation):
    assert webhook("SKM ZZZZ-ZZZZ 4 4 4 4 4 4 4 4 4").text == (
        "Kode ZZZZ-ZZZZ tidak dikenal. Periksa kembali kode pada pesan undangan Anda.")
    session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    assert webhook(f"SKM {invitation.code} 4 4 4 4 4 4 4 4 4").text == (
        f"Kode {codes.shown(invitation.code)} sudah kedaluwarsa. Terima kasih atas kesediaan Anda.")
    assert session.scalar(select(func.count()).select_from(Response)
                          .where(Response.channel == "sms")) == 0


def test_twilio_gets_its_reply_as_twiml(webhook, client):
    answer = client.post(WEBHOOK, headers={"X-Suara-Secret": SECRET},
                         data={"Body": "SKM & 1", "From": "+6281234567890", "MessageSid": "SM1"})
    assert answer.mimetype == "text/xml"
    assert answer.text == ('<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
                           f"{parse('SKM & 1').replace('&', '&amp;')}</Message></Response>")


def test_a_malformed_reply_gets_its_correction(webhook, invitation):
    answer = webhook(f"SKM {invitation.code} 4 4 4 4 4 4 4 4")
    assert answer.status_code == 200
    assert answer.text.startswith("Jumlah nilai harus 9, pesan Anda berisi 8.")


def test_berhenti_keeps_the_senders_number_hashed(webhook, session):
    answer = webhook("berhenti", sender="whatsapp:+62 812-3456-7890")
    assert answer.text == "Nomor Anda tidak akan dikirimi pesan survei lagi. Terima kasih."
    assert session.scalars(select(MessageOptOut.contact_hash)).all() == [
        optouts.contact_hash("test-secret", "+6281234567890")]
    assert webhook("BERHENTI").text.startswith("Nomor Anda")  # twice: still one row
    assert session.scalar(select(func.count()).select_from(MessageOptOut)) == 1


# --- One code, two messages at the same moment -------------------------------------------------

@pytest.fixture(scope="module")
def shared_sms_app(tmp_path_factory):
    """An app on a database that threads write to for real, with the webhook's secret set."""
    with shared_point_app(tmp_path_factory, "tok-sms-paralel", SUARA_SMS_SECRET=SECRET) as (
            app, engine, _point):
        yield app, engine


def send_together(app, texts: list[str]) -> list[str]:
    """Post the replies to the webhook from one thread each, all at once; return its answers."""
    start, answers = threading.Barrier(len(texts)), []

    def gateway(text):
        client = app.test_client()
        start.wait()
        answers.append(client.post(WEBHOOK, data={"Body": text, "From": "+6281234567890"},
                                   headers={"X-Suara-Secret": SECRET}).text)

    threads = [threading.Thread(target=gateway, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(answers)


@pytest.mark.parametrize("second", ["4 3 4 4 3 4 4 3 4", "1 1 1 1 1 1 1 1 1"])
def test_one_code_texted_twice_at_the_same_moment_stores_one_answer(shared_sms_app, second):
    # The same reply twice (a gateway's retry racing the first): both thanked. Another reply
    # with the same code: one of the two stored, the other told the code is used.
    app, engine = shared_sms_app
    with Session(engine) as session:
        point = session.scalars(select(ServicePoint)).one()
        served = transactions.Transaction(utcnow(), point, "Akta lahir", "+6281234567890", "sms")
        transactions.invite(session, [served], "test-secret", utcnow(), None)
        session.commit()
        invitation = session.scalars(select(Invitation).order_by(Invitation.id.desc())).first()
        code, invitation_id = invitation.code, invitation.id
    answers = send_together(app, [f"SKM {code} 4 3 4 4 3 4 4 3 4", f"SKM {code} {second}"])
    thanks = "Terima kasih, penilaian Anda untuk Unit Paralel sudah kami terima."
    if second.startswith("4"):
        assert answers == [thanks, thanks]
    else:
        assert answers == sorted([thanks, f"Kode {codes.shown(code)} sudah dipakai untuk "
                                          "menjawab. Setiap kode hanya dapat dipakai sekali."])
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Response).where(
            Response.invitation_id == invitation_id)) == 1
        assert rollups.differences(session, Scope("unit", "unit-paralel"),
                                   rollups.INVITED_TABLE) == []
