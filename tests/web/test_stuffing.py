"""Scripted stuffing of the citizen form: without cookies, with a new cookie each time, with
one token over and over; the honest double submit stays exactly-once."""

import uuid
from datetime import datetime, timezone

from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix

from survey.models import RateWindow, Response
from survey.public import abuse
from survey.public.submissions import MIN_COMPLETION_SECONDS
from tests.web.test_form import form_data, hidden_value, point, stored  # noqa: F401

SCRIPTED = 40  # the outside tester's run: 40 varied answers


def varied(n: int) -> dict:
    """Return the n-th scripted answer: answers and age vary, so none is an identical run."""
    return {**{f"U{i}": str((i + n) % 4 + 1) for i in range(1, 10)}, "age": str(20 + n)}


def test_a_script_without_cookies_is_held_to_the_per_device_limit(app, session, point):
    script = app.test_client(use_cookies=False)
    statuses = [script.post("/s/tok-uji-1/kirim", data=form_data(app, point, **varied(n)))
                for n in range(SCRIPTED)]
    # abuse.DEVICE_LIMIT (10 an hour) applies to the address and browser of cookieless posts.
    assert [r.status_code for r in statuses] == [303] * 10 + [429] * 30
    assert all(0 < int(r.headers["Retry-After"]) <= 3600 for r in statuses[10:])
    assert len(stored(session)) == abuse.DEVICE_LIMIT


def test_a_script_with_a_new_cookie_each_time_is_flagged_past_what_one_phone_sends(
        app, client, session, point):
    for n in range(SCRIPTED):
        client.set_cookie("suara_device", f"baru-{n}")
        assert client.post("/s/tok-uji-1/kirim",
                           data=form_data(app, point, **varied(n))).status_code == 303
    rows = stored(session)
    # Stored, never dropped; from the 11th (abuse.ADDRESS_FLAG = 10) flagged for a person.
    assert [row.flagged for row in rows] == [False] * 10 + [True] * 30
    assert rows[10].flag_reason == "network: 11 from one address and browser this hour"
    # Nothing of the address is stored with the answers.
    assert {row.client_key for row in rows[:2]} != {None} and rows[0].client_key != rows[1].client_key


def test_the_address_limit_refuses_past_60_even_with_a_new_cookie_each_time(
        app, client, session, point):
    statuses = []
    for n in range(abuse.ADDRESS_LIMIT + 1):
        client.set_cookie("suara_device", f"baru-{n}")
        statuses.append(client.post("/s/tok-uji-1/kirim",
                                    data=form_data(app, point, **varied(n))).status_code)
    assert statuses == [303] * abuse.ADDRESS_LIMIT + [429]


def test_one_token_reused_for_new_answers_is_flagged_on_each_reuse(app, client, session, point):
    page = client.get("/s/tok-uji-1").text
    token, first_uuid = hidden_value(page, "csrf_token"), hidden_value(page, "client_uuid")
    for n in range(12):
        client.set_cookie("suara_device", f"baru-{n}")
        client_uuid = first_uuid if n == 0 else str(uuid.uuid4())
        assert client.post("/s/tok-uji-1/kirim", data=form_data(
            app, point, csrf_token=token, client_uuid=client_uuid, **varied(n))).status_code == 303
    rows = stored(session)
    assert rows[0].flag_reason.startswith("completed in")  # sent at once after its view
    assert all(row.flag_reason.startswith("token reuse: form token of another page view")
               for row in rows[1:])


def test_the_start_time_is_the_servers_view_time_not_the_clients(app, client, session, point):
    # A token carrying an old start time cannot be made: the page view signs its own time.
    page = client.get("/s/tok-uji-1").text
    data = form_data(app, point, csrf_token=hidden_value(page, "csrf_token"),
                     client_uuid=hidden_value(page, "client_uuid"))
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    [row] = stored(session)
    assert row.flagged and row.flag_reason.endswith(f"(< {MIN_COMPLETION_SECONDS} s)")


def test_a_double_submit_of_one_view_is_stored_once_and_not_flagged_as_reuse(
        app, client, session, point):
    data = form_data(app, point)  # its token issued for its client_uuid a minute ago
    assert [client.post("/s/tok-uji-1/kirim", data=data).status_code
            for _ in range(3)] == [303] * 3
    assert [(row.flagged, str(row.client_uuid)) for row in stored(session)] == [
        (False, data["client_uuid"])]


def test_the_address_counts_are_forgotten_when_their_window_ends(app, client, session, point):
    client.post("/s/tok-uji-1/kirim", data=form_data(app, point))
    now = datetime.now(timezone.utc)
    [(window, count)] = session.execute(select(RateWindow.window_start, RateWindow.count)).all()
    assert (window, count) == (abuse.window_start(now), 1)
    abuse.forget_ended_windows(session, window + abuse.WINDOW_SECONDS)
    assert session.scalar(select(func.count()).select_from(RateWindow)) == 0
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_the_address_is_the_proxys_when_the_app_trusts_one(app, session, point, monkeypatch):
    # Behind SUARA_PROXIES=1, survey/security.py wraps the app in ProxyFix: the address is
    # X-Forwarded-For's, so citizens behind the proxy are counted apart.
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1))
    script = app.test_client(use_cookies=False)
    for n in range(abuse.DEVICE_LIMIT + 2):
        response = script.post("/s/tok-uji-1/kirim", data=form_data(app, point, **varied(n)),
                               headers={"X-Forwarded-For": f"10.0.0.{n}"})
        assert response.status_code == 303
    assert len(stored(session)) == abuse.DEVICE_LIMIT + 2
