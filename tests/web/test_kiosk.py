"""Kiosk mode at /k/: channel, reset after each person, offline replays, answered_at, worker."""

import re
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from survey.i18n import STRINGS
from survey.kiosks import devices
from survey.models import KioskDevice, utcnow
from survey.public import abuse
from survey.public.csrf import FormTicket, read, sign
from survey.public.kiosk import KIOSK_MAX_AGE, THANKS_SECONDS
from tests.web.test_form import ANSWERS, checked_values, form_data, hidden_value, stored, token_for
from tests.web.test_form import point  # noqa: F401  (the fixture)

DAY = 24 * 3600
STALE = STRINGS["id"]["error.stale"]


def enrol_tablet(app, client, session, point, key: str = "kunci-tablet-uji") -> KioskDevice:
    """Enrol the test client as a kiosk of a point, as /k/daftar would, with a known key."""
    device = KioskDevice(point_id=point.id, name="Tablet uji", enrolled_at=utcnow(),
                         key_hash=devices.keyed(app.config["SECRET_KEY"], key))
    session.add(device)
    session.commit()
    client.set_cookie(devices.KEY_COOKIE, key, path="/k/")
    return device


@pytest.fixture(autouse=True)
def tablet(request, app, client):
    """The enrolled tablet of the test's point, when the test has a point."""
    if "point" in request.fixturenames:
        return enrol_tablet(app, client, request.getfixturevalue("session"),
                            request.getfixturevalue("point"))
    return None


def iso(moment: datetime) -> str:
    """Return a time as kiosk.js sends it (Date.toISOString: UTC, milliseconds, Z)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ticket_token(app, point_token: str, issued: int) -> str:
    """Return a form token issued at a given Unix time, opened then."""
    return sign(app.config["SECRET_KEY"], FormTicket(point_token, issued, issued))


def test_the_kiosk_form_is_the_survey_form_never_kept_by_the_browser(client, point):
    response = client.get("/k/tok-uji-1")
    html = response.text
    assert response.status_code == 200
    assert len(re.findall(r'<fieldset class="q" id="U\d"', html)) == 9
    assert ('<form method="post" action="/k/tok-uji-1" novalidate class="kiosk" '
            'autocomplete="off" data-home="/k/tok-uji-1" '
            'data-thanks="/k/tok-uji-1/terima-kasih" data-worker="/k/sw.js">') in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert uuid.UUID(hidden_value(html, "client_uuid")).version == 4
    # Script only from a file (CSP script-src 'self'), deferred so the form shows at once.
    assert re.sub(r"\?v=[0-9a-f]{12}", "", " ".join(re.findall(r"<script[^>]*>", html))) \
        == '<script src="/static/kiosk.js" defer>'
    assert '<p class="queue" id="queue" role="status" data-text="{n} jawaban menunggu dikirim" ' \
           'hidden></p>' in html
    assert '<section class="kiosk" id="done" tabindex="-1" aria-labelledby="done-title" hidden>' \
        in html


def test_each_visit_gets_a_new_client_uuid(client, point):
    first, second = (hidden_value(client.get("/k/tok-uji-1").text, "client_uuid")
                     for _ in range(2))
    assert first != second


def test_a_valid_post_stores_channel_kiosk_and_redirects_to_the_kiosk_thanks(
        app, client, session, point):
    data = form_data(app, point)
    before = datetime.now(timezone.utc)
    response = client.post("/k/tok-uji-1", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/k/tok-uji-1/terima-kasih"
    [row] = stored(session)
    assert (row.channel, row.point_id, row.client_uuid) == \
        ("kiosk", point.id, uuid.UUID(data["client_uuid"]))
    assert [row.u1, row.u2, row.u9] == [1, 2, 1]
    # No answered_at (a plain form post, without script): stored at the time of the request.
    assert before <= row.submitted_at <= datetime.now(timezone.utc)


def test_the_thanks_page_returns_to_a_fresh_form_after_a_few_seconds_without_script(
        client, point):
    html = client.get("/k/tok-uji-1/terima-kasih").text
    assert THANKS_SECONDS == 5
    assert '<meta http-equiv="refresh" content="5;url=/k/tok-uji-1">' in html
    assert '<a class="btn" href="/k/tok-uji-1">Responden berikutnya</a>' in html
    assert "Terima kasih" in html and "<script" not in html


def test_the_language_is_the_pages_own_and_the_next_person_starts_in_indonesian(
        app, client, session, point):
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    client.set_cookie("lang", "en")
    assert '<html lang="id">' in client.get("/k/tok-uji-1", headers=english).text
    page = client.get("/k/tok-uji-1?lang=en")
    assert '<html lang="en">' in page.text and 'action="/k/tok-uji-1?lang=en"' in page.text
    assert not any(cookie.startswith("lang=") for cookie in page.headers.getlist("Set-Cookie"))
    response = client.post("/k/tok-uji-1?lang=en", data=form_data(app, point))
    assert response.headers["Location"] == "/k/tok-uji-1/terima-kasih?lang=en"
    thanks = client.get(response.headers["Location"]).text
    assert "Thank you" in thanks and "Next respondent" in thanks
    assert 'content="5;url=/k/tok-uji-1"' in thanks


def test_the_service_worker_is_served_from_k_as_fresh_javascript(app, client):
    with client.get("/k/sw.js") as response:
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")
        # Checked for updates on every visit; a worker served from /k/ has the scope /k/
        # without any Service-Worker-Allowed header.
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Service-Worker-Allowed" not in response.headers
        with open(f"{app.static_folder}/sw.js", "rb") as source:
            assert response.data == source.read()
        assert b"addEventListener('fetch'" in response.data


def test_a_replay_with_a_token_expired_for_the_web_form_is_accepted_at_the_kiosk(
        app, client, session, point):
    # Queued three days ago on an offline tablet: too old for /s/ (24 h), fine for a kiosk.
    answered = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=3)
    data = form_data(app, point, answered_at=iso(answered),
                     csrf_token=token_for(app, point.token, issued_ago=3 * DAY + 600,
                                          started_ago=3 * DAY + 600))
    response = client.post("/k/tok-uji-1", data=data)
    assert response.status_code == 303
    [row] = stored(session)
    assert (row.channel, row.submitted_at, row.flagged) == ("kiosk", answered, False)
    # Sent again (its reply was lost): the thank-you again, still one row.
    assert client.post("/k/tok-uji-1", data=data).status_code == 303
    assert len(stored(session)) == 1


def test_the_same_expired_token_on_the_web_form_keeps_the_answers_and_asks_to_resend(
        app, client, session, point):
    data = form_data(app, point, csrf_token=token_for(app, point.token, issued_ago=3 * DAY,
                                                      started_ago=3 * DAY))
    response = client.post("/s/tok-uji-1", data=data)
    assert response.status_code == 422 and STALE in response.text
    assert checked_values(response.text) == {**ANSWERS, "gender": "P"}
    assert stored(session) == []


def test_a_kiosk_token_over_a_week_old_is_refused_with_a_fresh_one_that_then_works(
        app, client, session, point):
    # What kiosk.js does with a 422 while replaying: keep the answer, resend with the new token.
    old = KIOSK_MAX_AGE + 3600
    data = form_data(app, point, csrf_token=token_for(app, point.token, issued_ago=old,
                                                      started_ago=old))
    response = client.post("/k/tok-uji-1", data=data)
    assert response.status_code == 422 and STALE in response.text
    assert checked_values(response.text) == {**ANSWERS, "gender": "P"}
    fresh = hidden_value(response.text, "csrf_token")
    assert read(app.config["SECRET_KEY"], fresh, point.token).issued >= time.time() - 60
    assert client.post("/k/tok-uji-1", data={**data, "csrf_token": fresh}).status_code == 303
    assert [row.channel for row in stored(session)] == ["kiosk"]


@pytest.mark.parametrize("token", ["forged", "other point"])
def test_a_bad_token_is_refused_at_the_kiosk_too(app, client, session, point, token):
    tokens = {"forged": sign("another-secret", FormTicket(point.token, int(time.time()), 0)),
              "other point": token_for(app, "tok-lain")}
    response = client.post("/k/tok-uji-1", data=form_data(app, point, csrf_token=tokens[token]))
    assert response.status_code == 422 and STALE in response.text
    assert stored(session) == []


def test_answered_at_is_honoured_between_the_token_issue_and_now(app, client, session, point):
    issued = int(time.time()) - 2 * DAY
    answered = datetime.fromtimestamp(issued, timezone.utc) + timedelta(hours=5, seconds=30)
    # Any offset: a tablet may send its local time (WIB, UTC+7).
    local = answered.astimezone(timezone(timedelta(hours=7))).isoformat()
    client.post("/k/tok-uji-1", data=form_data(
        app, point, csrf_token=ticket_token(app, point.token, issued), answered_at=local))
    [row] = stored(session)
    assert row.submitted_at == answered


@pytest.mark.parametrize("case", ["before the token", "in the future", "without a zone",
                                  "not a time", "far too long"])
def test_answered_at_outside_the_bounds_is_clamped_or_ignored(app, client, session, point, case):
    issued = int(time.time()) - DAY
    start = datetime.fromtimestamp(issued, timezone.utc)
    sent = {"before the token": iso(start - timedelta(days=30)),
            "in the future": iso(datetime.now(timezone.utc) + timedelta(days=30)),
            "without a zone": (start + timedelta(hours=1)).replace(tzinfo=None).isoformat(),
            "not a time": "kemarin sore",
            "far too long": "2" * 1000}[case]
    before = datetime.now(timezone.utc)
    response = client.post("/k/tok-uji-1", data=form_data(
        app, point, csrf_token=ticket_token(app, point.token, issued), answered_at=sent))
    assert response.status_code == 303
    [row] = stored(session)
    if case == "before the token":
        assert row.submitted_at == start
    else:
        assert before <= row.submitted_at <= datetime.now(timezone.utc)


def test_the_web_form_ignores_answered_at(app, client, session, point):
    before = datetime.now(timezone.utc)
    client.post("/s/tok-uji-1", data=form_data(
        app, point, answered_at=iso(before - timedelta(hours=3))))
    [row] = stored(session)
    assert before <= row.submitted_at


def test_a_too_fast_kiosk_answer_is_flagged_by_its_time_of_answering(app, client, session, point):
    # Replayed an hour later, but answered 3 s after the form was opened.
    issued = int(time.time()) - 3600
    answered = datetime.fromtimestamp(issued + 3, timezone.utc)
    client.post("/k/tok-uji-1", data=form_data(
        app, point, csrf_token=ticket_token(app, point.token, issued), answered_at=iso(answered)))
    [row] = stored(session)
    assert (row.flagged, row.flag_reason) == (True, "completed in 3 s (< 8 s)")


def test_the_kiosk_page_with_its_stylesheet_and_script_weighs_at_most_25_kb(client, point):
    page = client.get("/k/tok-uji-1")
    with client.get("/static/suara.css") as css, client.get("/static/kiosk.js") as script:
        # 6 KB, and half a KB for keeping SPKP/SPAK whole when an answer is queued offline.
        assert len(script.data) < 6.5 * 1024
        assert len(page.data) + len(css.data) + len(script.data) <= 25 * 1024
        # CSP without unsafe-eval: the script never turns text into code.
        assert not re.search(rb"\beval\(|new Function|setTimeout\('", script.data)


def test_one_tablet_serves_everyone_so_only_the_points_limit_applies(
        app, client, session, point, monkeypatch):
    # survey/public/abuse.py: no per-device limit nor burst flag for the shared kiosk tablet.
    monkeypatch.setattr(abuse, "DEVICE_LIMIT", 2)
    client.set_cookie("suara_device", "tablet-loket-1")
    for n in range(abuse.BURST_COUNT + 1):
        answers = {f"U{i}": str((i + n) % 4 + 1) for i in range(1, 10)}
        response = client.post("/k/tok-uji-1", data=form_data(app, point, age=str(30 + n),
                                                               **answers))
        assert response.status_code == 303
    assert [row.flagged for row in stored(session)] == [False] * (abuse.BURST_COUNT + 1)
