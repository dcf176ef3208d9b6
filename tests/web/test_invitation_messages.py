"""Invitations by message: served transactions uploaded by a unit, one invitation and at most one
reminder each, contacts deleted when done, opt-outs kept only hashed; e-mail through a real local
SMTP server, SMS and WhatsApp through Twilio's API served by a real local HTTP server."""

import base64
import hashlib
import hmac
import json
import re
import socket
import threading
import urllib.parse
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.cli import cli
from survey.inbox import mail
from survey.invitations import claims, gateways, messages, optouts, transactions
from survey.models import (AuditEvent, Invitation, InvitationMessage, MessageLog, MessageOptOut,
                           ServicePoint, ServiceUnit)
from tests.web.conftest import shared_point_app, sign_in
from tests.web.smtp_sink import smtp_sink

SECRET = "test-secret"  # the app fixture's SECRET_KEY (tests/conftest.py)
BASE = "http://suara.test"  # its SUARA_BASE_URL
PAGE = "/dasbor/unit/unit-sby/undangan/pesan"
# 7 December 2026 02:00 UTC is 09:00 WIB in Surabaya (35.78), a day the unit exists.
NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
HEADER = "waktu,titik_layanan,jenis_layanan,kontak,kanal\n"
GOOD = (HEADER
        + "2026-12-07 08:15,Loket 1,KTP elektronik,Warga@Contoh.id,\n"
        + "07-12-2026 08:20,loket 1,Kartu keluarga,0812-3456-7890,sms\n"
        + "2026-12-07 08:25,Loket 1,Akta kelahiran,+62 813 1111 2222,whatsapp\n")


def answer_link(code: str) -> str:
    """The personal link the messages must carry (the answering page /u/<code>)."""
    return f"{BASE}/u/{code}"


@pytest.fixture
def point(session, dataset):
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    # The dataset's units are made "now": date them back so that 2026 days are in bounds.
    unit.created_at = datetime(2025, 1, 1, tzinfo=timezone.utc)
    made = ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-pesan-1")
    session.add(made)
    session.commit()
    return made


@pytest.fixture
def staff(web, users, point):
    sign_in(web, users["unit"])
    return web


def csrf(client, address):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def upload(client, text: str):
    return client.post(PAGE, data={"csrf_token": csrf(client, PAGE),
                                   "transactions": (BytesIO(text.encode()), "transaksi.csv")})


def invite(session, point, contacts: list[tuple[str, str]], now=NOW) -> list[InvitationMessage]:
    """Make one invitation by message per (channel, contact), served an hour before `now`."""
    found = [transactions.Transaction(now - timedelta(hours=1), point, "KTP", contact, channel)
             for channel, contact in contacts]
    transactions.invite(session, found, SECRET, now, None)
    session.commit()
    return list(session.scalars(select(InvitationMessage).order_by(InvitationMessage.id)))


def send(app, session, now, **config):
    with app.app_context():
        settings = {**app.config, "SUARA_MESSAGE_GATEWAY": "log", "SUARA_REMINDER_HOURS": 48,
                    **config}
        return messages.send_due(session, settings, now, session.commit)


def test_an_upload_makes_one_invitation_per_transaction(staff, session):
    answer = upload(staff, GOOD)
    assert answer.status_code == 303
    rows = session.execute(select(InvitationMessage, Invitation)
                           .join(Invitation, Invitation.id == InvitationMessage.invitation_id)
                           .order_by(InvitationMessage.id)).all()
    # Three rows in GOOD; the e-mail lower-cased, the numbers as +62...
    assert [(m.channel, m.contact, m.status, m.service_type) for m, _ in rows] == [
        ("email", "warga@contoh.id", "pending", "KTP elektronik"),
        ("sms", "+6281234567890", "pending", "Kartu keluarga"),
        ("whatsapp", "+6281311112222", "pending", "Akta kelahiran")]
    assert {i.source for _, i in rows} == {"message"}
    # 08:15 WIB is 01:15 UTC.
    assert rows[0][0].served_at == datetime(2026, 12, 7, 1, 15, tzinfo=timezone.utc)
    assert session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "invitations_uploaded")) == {"invited": 3, "skipped": 0}
    page = staff.get(PAGE).text
    assert "Menunggu dikirim: 3" in page
    code = rows[2][1].code
    [link] = re.findall(r'href="(https://wa\.me/[^"]+)"', page)  # the WhatsApp row only
    address = urllib.parse.urlsplit(link.replace("&amp;", "&"))
    assert address.path == "/6281311112222"
    digest = optouts.contact_hash(SECRET, "+6281311112222")
    assert urllib.parse.parse_qs(address.query)["text"] == [
        f"Unit unit-sby: terima kasih telah dilayani. Mohon nilai layanan kami (1 menit): "
        f"{answer_link(code)}\nTidak ingin menerima pesan lagi? {BASE}/berhenti/{digest}"]


def test_a_message_sent_by_hand_loses_its_contact(staff, session, point):
    upload(staff, GOOD)
    whatsapp = session.scalars(select(InvitationMessage)
                               .where(InvitationMessage.channel == "whatsapp")).one()
    address = f"{PAGE}/{whatsapp.id}/terkirim"
    assert staff.post(address, data={"csrf_token": csrf(staff, PAGE)}).status_code == 303
    session.refresh(whatsapp)
    assert (whatsapp.status, whatsapp.contact) == ("sent", None)
    assert "wa.me" not in staff.get(PAGE).text  # nothing left to send by hand


def test_a_file_with_bad_rows_is_refused_whole_with_row_numbers(staff, session):
    text = (HEADER
            + "2026-12-07 08:15,Loket 1,KTP,warga@contoh.id,\n"
            + "kemarin,Loket 9,KTP,12,\n"
            + "2099-12-31 08:00,Loket 1,KTP,warga2@contoh.id,sms\n"
            + "2026-12-07 08:00,Loket 1,KTP,081234567890,merpati\n")
    answer = upload(staff, text)
    assert answer.status_code == 422
    page = answer.text
    assert "Baris 3: waktu &#39;kemarin&#39; tidak terbaca" in page
    assert "Baris 3: titik layanan &#39;Loket 9&#39; tidak dikenal di unit ini." in page
    assert "Baris 3: kontak &#39;12&#39; bukan alamat e-mail atau nomor ponsel." in page
    assert "Baris 4: Tanggal 31-12-2099 belum terjadi" in page
    assert "Baris 4: alamat e-mail hanya dapat dikirimi lewat kanal email." in page
    assert "Baris 5: kanal &#39;merpati&#39; tidak dikenal" in page
    assert "Baris 2" not in page
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_a_file_without_the_columns_or_too_long_is_refused(staff, session):
    assert "Kolom tidak ada: kontak" in upload(staff, "waktu,titik_layanan,jenis_layanan\n").text
    many = HEADER + "2026-12-07 08:15,Loket 1,KTP,warga@contoh.id,\n" * (transactions.MAX_ROWS + 1)
    assert "Terlalu banyak baris: paling banyak 1000" in upload(staff, many).text
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_only_the_units_own_staff_upload(web, users, point):
    sign_in(web, users["region"])  # sees the unit's figures, not its citizens' contacts
    assert web.get(PAGE).status_code == 403


def test_one_invitation_then_at_most_one_reminder_then_the_contact_is_gone(app, session, point):
    invite(session, point, [("email", "warga@contoh.id")])
    assert send(app, session, NOW)["sent"] == 1
    assert send(app, session, NOW + timedelta(hours=47))["reminded"] == 0  # 48 h not yet
    message = session.scalars(select(InvitationMessage)).one()
    assert (message.status, message.contact) == ("sent", "warga@contoh.id")
    assert send(app, session, NOW + timedelta(hours=48))["reminded"] == 1
    assert send(app, session, NOW + timedelta(hours=96)) == {}
    session.refresh(message)
    assert (message.status, message.contact) == ("reminded", None)
    assert message.reminded_at == NOW + timedelta(hours=48)
    logged = list(session.scalars(select(MessageLog).order_by(MessageLog.id)))
    assert len(logged) == 2
    code = session.scalar(select(Invitation.code))
    digest = hmac.new(SECRET.encode(), b"opt-out|warga@contoh.id", hashlib.sha256).hexdigest()
    assert logged[0].body == (f"Unit unit-sby: terima kasih telah dilayani. Mohon nilai layanan "
                              f"kami (1 menit): {answer_link(code)}\nTidak ingin menerima pesan "
                              f"lagi? {BASE}/berhenti/{digest}")
    assert logged[1].body.startswith("Pengingat dari Unit unit-sby")


def test_an_answered_invitation_gets_no_reminder(app, session, point):
    invite(session, point, [("sms", "+6281234567890")])
    send(app, session, NOW)
    claims.claim(session, session.scalar(select(Invitation.id)), NOW + timedelta(hours=1))
    session.commit()
    assert send(app, session, NOW + timedelta(hours=48)) == {}
    message = session.scalars(select(InvitationMessage)).one()
    assert (message.status, message.contact) == ("answered", None)
    sms = session.scalar(select(MessageLog.body))
    assert sms.endswith("Balas BERHENTI agar tidak dikirimi pesan lagi.")


def test_an_expired_invitation_loses_its_contact_unsent(app, session, point):
    invite(session, point, [("email", "warga@contoh.id")])
    # codes.VALID_FOR: 14 days
    assert send(app, session, NOW + timedelta(days=14)) == {}
    message = session.scalars(select(InvitationMessage)).one()
    assert (message.status, message.contact) == ("expired", None)
    assert session.scalar(select(func.count()).select_from(MessageLog)) == 0


def test_without_a_reminder_the_contact_goes_with_the_invitation(app, session, point):
    invite(session, point, [("email", "warga@contoh.id")])
    send(app, session, NOW, SUARA_REMINDER_HOURS=0)
    message = session.scalars(select(InvitationMessage)).one()
    assert (message.status, message.contact) == ("sent", None)


def test_an_opt_out_is_kept_hashed_and_respected(app, web, session, point):
    digest = optouts.contact_hash(SECRET, "warga@contoh.id")
    invite(session, point, [("email", "warga@contoh.id"), ("email", "lain@contoh.id")])
    address = f"/berhenti/{digest}"
    assert "Jangan kirimi saya pesan lagi" in web.get(address).text
    assert session.scalar(select(func.count()).select_from(MessageOptOut)) == 0  # GET: nothing
    answer = web.post(address, data={"csrf_token": csrf(web, address)})
    assert "tidak akan dikirimi pesan survei lagi" in answer.text
    stored = session.scalars(select(MessageOptOut.contact_hash)).all()
    assert stored == [hmac.new(SECRET.encode(), b"opt-out|warga@contoh.id",
                               hashlib.sha256).hexdigest()]
    assert send(app, session, NOW) == {"opted_out": 1, "sent": 1}
    assert session.scalars(select(MessageLog.recipient)).all() == ["lain@contoh.id"]
    # Given again later, the contact gets no invitation at all.
    found = [transactions.Transaction(NOW, point, None, "warga@contoh.id", "email")]
    assert transactions.invite(session, found, SECRET, NOW, None) == (0, 1)
    assert web.get("/berhenti/bukan-hash").status_code == 404


def test_email_goes_through_the_smtp_server(app, session, point):
    invite(session, point, [("email", "warga@contoh.id")])
    with smtp_sink() as sink:
        done = send(app, session, NOW, SUARA_MESSAGE_GATEWAY="", SUARA_SMTP_HOST="127.0.0.1",
                    SUARA_SMTP_PORT=sink.port, SUARA_SMTP_TLS=False,
                    SUARA_SMTP_FROM="skm@unit.go.id")
    assert done == {"sent": 1}
    [mail] = sink.messages
    assert mail["To"] == "warga@contoh.id"
    assert mail["Subject"] == "Survei Kepuasan Masyarakat"
    code = session.scalar(select(Invitation.code))
    assert answer_link(code) in mail.get_payload(decode=True).decode()


def test_without_a_gateway_a_message_waits_for_staff(app, session, point):
    invite(session, point, [("whatsapp", "+6281234567890")])
    assert send(app, session, NOW, SUARA_MESSAGE_GATEWAY="") == {"manual": 1}
    assert session.scalars(select(InvitationMessage.status)).one() == "pending"


class _Twilio(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.calls.append((self.path, self.headers["Authorization"],
                                  urllib.parse.parse_qs(body.decode())))
        refused = self.server.refuse
        self.send_response(refused if refused else 201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps({"message": "The 'To' number is not valid."} if refused
                                    else {"sid": "SM0123456789abcdef"}).encode())

    def log_message(self, *args):
        pass


@contextmanager
def twilio_server(refuse: int | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Twilio)
    server.calls, server.refuse = [], refuse
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_twilio_adapter_posts_what_twilios_api_expects():
    with twilio_server() as server:
        api = f"http://127.0.0.1:{server.server_address[1]}/2010-04-01"
        sms = gateways.TwilioGateway("AC123", "token", "+15005550006", api_url=api)
        whatsapp = gateways.TwilioGateway("AC123", "token", "+14155238886", whatsapp=True,
                                          api_url=api)
        assert sms.send("+6281234567890", "Halo") == "SM0123456789abcdef"
        whatsapp.send("+6281234567890", "Halo")
    login = "Basic " + base64.b64encode(b"AC123:token").decode()
    assert server.calls == [
        ("/2010-04-01/Accounts/AC123/Messages.json", login,
         {"To": ["+6281234567890"], "From": ["+15005550006"], "Body": ["Halo"]}),
        ("/2010-04-01/Accounts/AC123/Messages.json", login,
         {"To": ["whatsapp:+6281234567890"], "From": ["whatsapp:+14155238886"],
          "Body": ["Halo"]})]


def test_whatsapp_goes_as_the_approved_template_where_one_is_configured(app, session, point):
    # WhatsApp delivers a business's free text only within 24 hours of the person's last
    # message: the invitation and its reminder go as Meta-approved templates (Content SIDs),
    # filled with the unit's name, the survey's address and the opt-out page. SMS keeps its text.
    [whatsapp, sms] = invite(session, point, [("whatsapp", "+6281234567890"),
                                              ("sms", "+6281298765432")])
    code = session.get(Invitation, whatsapp.invitation_id).code
    with twilio_server() as server:
        twilio = {"SUARA_MESSAGE_GATEWAY": "", "SUARA_TWILIO_ACCOUNT_SID": "AC1",
                  "SUARA_TWILIO_AUTH_TOKEN": "t", "SUARA_TWILIO_SMS_FROM": "+15005550006",
                  "SUARA_TWILIO_WHATSAPP_FROM": "+14155238886",
                  "SUARA_TWILIO_WHATSAPP_TEMPLATE": "HXinvite",
                  "SUARA_TWILIO_API_URL": f"http://127.0.0.1:{server.server_address[1]}"}
        assert send(app, session, NOW, **twilio) == {"sent": 2}
        # The reminder, 48 hours later, takes the invitation's template (no reminder's own).
        assert send(app, session, NOW + timedelta(hours=49), **twilio) == {"reminded": 2}
    forms = {(form["To"][0], form.get("ContentSid", ["text"])[0]): form
             for _, _, form in server.calls}
    assert sorted(forms) == [("+6281298765432", "text"), ("whatsapp:+6281234567890", "HXinvite")]
    sent = [form for _, _, form in server.calls if form["To"][0].startswith("whatsapp:")]
    assert len(sent) == 2 and all("Body" not in form for form in sent)
    unit_name, answer, opt_out = json.loads(sent[0]["ContentVariables"][0]).values()
    assert (unit_name, answer) == ("Unit unit-sby", f"http://suara.test/u/{code}")
    assert opt_out.startswith("http://suara.test/berhenti/")
    session.expire_all()
    assert (whatsapp.status, sms.status) == ("reminded", "reminded")
    texted = [form for _, _, form in server.calls if not form["To"][0].startswith("whatsapp:")]
    assert len(texted) == 2 and all("http://suara.test/u/" in form["Body"][0]
                                    and "BERHENTI" in form["Body"][0] for form in texted)


def test_the_reminder_has_a_template_of_its_own_when_one_is_given():
    with twilio_server() as server:
        api = f"http://127.0.0.1:{server.server_address[1]}/2010-04-01"
        whatsapp = gateways.TwilioGateway("AC123", "token", "+14155238886", whatsapp=True,
                                          api_url=api, templates=(("invitation", "HXa"),
                                                                  ("reminder", "HXb")))
        for kind in ("invitation", "reminder"):
            whatsapp.send("+6281234567890", "Halo", gateways.Template(
                kind, "Puskesmas Ketabang", "https://suara.test/u/AB3DEF7H",
                "https://suara.test/berhenti/x"))
    assert [form["ContentSid"] for _, _, form in server.calls] == [["HXa"], ["HXb"]]
    assert json.loads(server.calls[1][2]["ContentVariables"][0]) == {
        "1": "Puskesmas Ketabang", "2": "https://suara.test/u/AB3DEF7H",
        "3": "https://suara.test/berhenti/x"}


def test_a_refusal_of_twilio_marks_the_message_failed(app, session, point):
    invite(session, point, [("sms", "+6281234567890")])
    with twilio_server(refuse=400) as server:
        done = send(app, session, NOW, SUARA_MESSAGE_GATEWAY="", SUARA_TWILIO_ACCOUNT_SID="AC1",
                    SUARA_TWILIO_AUTH_TOKEN="t", SUARA_TWILIO_SMS_FROM="+15005550006",
                    SUARA_TWILIO_API_URL=f"http://127.0.0.1:{server.server_address[1]}")
    assert done == {"failed": 1}
    message = session.scalars(select(InvitationMessage)).one()
    assert message.note == "Twilio menolak (400): The 'To' number is not valid."
    assert message.contact == "+6281234567890"  # kept for staff until the invitation expires


TWILIO_SMS = {"SUARA_MESSAGE_GATEWAY": "", "SUARA_TWILIO_ACCOUNT_SID": "AC1",
              "SUARA_TWILIO_AUTH_TOKEN": "t", "SUARA_TWILIO_SMS_FROM": "+15005550006"}


def test_a_passing_failure_is_tried_again_later_then_left_to_staff(app, session, point):
    # Twilio answering 503 (busy): the invitation waits 15 min, 1 h, 4 h and is tried again
    # each time; a fourth failure leaves it failed, with its contact, for staff.
    [message] = invite(session, point, [("sms", "+6281234567890")])
    with twilio_server(refuse=503) as server:
        api = {**TWILIO_SMS, "SUARA_TWILIO_API_URL": f"http://127.0.0.1:{server.server_address[1]}"}
        moments, outcomes = [NOW], [send(app, session, NOW, **api)]
        for delay in messages.RETRY_DELAYS:
            early = moments[-1] + delay - timedelta(minutes=1)
            outcomes.append(send(app, session, early, **api))  # still waiting: nothing sent
            moments.append(moments[-1] + delay)
            outcomes.append(send(app, session, moments[-1], **api))
    assert outcomes == [{"retrying": 1}, {}, {"retrying": 1}, {}, {"retrying": 1}, {},
                        {"failed": 1}]
    assert len(server.calls) == 4
    session.expire_all()
    assert (message.status, message.attempts, message.contact, message.sent_at) == (
        "failed", 3, "+6281234567890", moments[-1])  # the last try's time, as any failure
    assert message.note == "Twilio menolak (503): The 'To' number is not valid."


def test_a_message_tried_again_goes_out_once_the_gateway_is_back(app, session, point):
    [message] = invite(session, point, [("sms", "+6281234567890")])
    with twilio_server(refuse=429) as server:
        api = {**TWILIO_SMS, "SUARA_TWILIO_API_URL": f"http://127.0.0.1:{server.server_address[1]}"}
        assert send(app, session, NOW, **api) == {"retrying": 1}
        server.refuse = None
        later = NOW + messages.RETRY_DELAYS[0]
        assert send(app, session, later, **api) == {"sent": 1}
    session.expire_all()
    assert (message.status, message.attempts, message.sent_at) == ("sent", 1, later)


def test_unreachable_gateways_fail_for_a_passing_reason():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    sms = gateways.TwilioGateway("AC1", "t", "+15005550006", api_url=f"http://127.0.0.1:{port}")
    with pytest.raises(gateways.GatewayError) as twilio:
        sms.send("+6281234567890", "Halo")
    email = gateways.EmailGateway(mail.MailServer("127.0.0.1", port, "", "", False,
                                                  "suara@contoh.id"), "SUARA")
    with pytest.raises(gateways.GatewayError) as smtp:
        email.send("warga@contoh.id", "Halo")
    assert twilio.value.passing and smtp.value.passing


def test_the_cli_sends_what_is_due(app, runner, session, point, monkeypatch):
    invite(session, point, [("email", "warga@contoh.id")], now=datetime.now(timezone.utc))
    monkeypatch.setitem(app.config, "SUARA_MESSAGE_GATEWAY", "log")
    with app.app_context():
        result = runner.invoke(cli, ["invitations", "send"])
    assert result.exit_code == 0, result.output
    assert "Undangan terkirim: 1, pengingat: 0" in result.output


def test_the_message_log_is_for_administrators(admin, web, session, point, app):
    invite(session, point, [("email", "warga@contoh.id")])
    send(app, session, NOW)
    page = admin.get("/admin/pesan-uji")
    assert page.status_code == 200
    assert "warga@contoh.id" in page.text and "Mohon nilai layanan kami" in page.text


# --- Two senders at once ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    """An app on a database two senders write to for real, with 40 SMS invitations served."""
    with shared_point_app(tmp_path_factory, "tokpesan2", SUARA_MESSAGE_GATEWAY="log",
                          SUARA_REMINDER_HOURS=48) as (app, engine, point):
        with Session(engine) as session:
            invite(session, session.get(ServicePoint, point.id),
                   [("sms", f"+62812000000{n:02d}") for n in range(40)])
        yield app, engine


def test_two_senders_at_once_send_each_message_once(shared_app):
    app, engine = shared_app
    start, done = threading.Barrier(2), []

    def sender():
        with app.app_context(), Session(engine) as session:
            start.wait()
            done.append(messages.send_due(session, app.config, NOW, session.commit))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(outcomes["sent"] for outcomes in done) == 40 and len(done) == 2
    with Session(engine) as session:
        sent_to = session.scalars(select(MessageLog.recipient)).all()
        statuses = session.scalars(select(InvitationMessage.status)).all()
    assert sorted(sent_to) == [f"+62812000000{n:02d}" for n in range(40)]  # once each
    assert set(statuses) == {"sent"}
