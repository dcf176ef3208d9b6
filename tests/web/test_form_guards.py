"""The citizen form against stale tokens, bots, closed surveys and tampered or foreign input."""

import json
import re
import time

import pytest

from survey import memo
from survey.i18n import STRINGS
from survey.public.csrf import FormTicket, read, sign
from survey.public.submissions import MIN_COMPLETION_SECONDS
from tests.web.test_form import ANSWERS, checked_values, form_data, hidden_value, stored, token_for
from tests.web.test_form import point  # noqa: F401  (the fixture)

STALE = STRINGS["id"]["error.stale"]


@pytest.mark.parametrize("token", ["expired", "forged", "other point", "missing"])
def test_a_stale_or_bad_token_keeps_the_answers_and_stores_nothing(app, client, session, point,
                                                                    token):
    tokens = {
        "expired": token_for(app, point.token, issued_ago=25 * 3600, started_ago=25 * 3600),
        "forged": sign("another-secret", FormTicket(point.token, 0, 0)),
        "other point": token_for(app, "tok-lain"),
        "missing": None,
    }
    data = form_data(app, point, csrf_token=tokens[token])
    response = client.post("/s/tok-uji-1", data=data)
    html = response.text
    assert response.status_code == 422
    assert STALE in html
    assert checked_values(html) == {**ANSWERS, "gender": "P"}
    assert hidden_value(html, "client_uuid") == data["client_uuid"]
    fresh = read(app.config["SECRET_KEY"], hidden_value(html, "csrf_token"), point.token)
    assert fresh is not None and fresh.issued > 0
    assert stored(session) == []


def test_after_an_expired_token_pressing_send_again_stores_the_response_unflagged(
        app, client, session, point):
    data = form_data(app, point)
    data["csrf_token"] = token_for(app, point.token, issued_ago=25 * 3600,
                                   started_ago=25 * 3600, client_uuid=data["client_uuid"])
    html = client.post("/s/tok-uji-1", data=data).text
    # The fresh token keeps the time its view first served the form: not a too-fast answer.
    data["csrf_token"] = hidden_value(html, "csrf_token")
    assert client.post("/s/tok-uji-1", data=data).status_code == 303
    assert [(row.flagged, row.flag_reason) for row in stored(session)] == [(False, None)]


def test_a_filled_honeypot_is_stored_and_flagged(app, client, session, point):
    response = client.post("/s/tok-uji-1", data=form_data(app, point, website="http://spam"))
    assert response.status_code == 303
    [row] = stored(session)
    assert row.flagged and row.flag_reason == "honeypot filled"
    assert row.u1 == 1


def test_the_honeypot_is_hidden_from_people(client, point):
    html = client.get("/s/tok-uji-1").text
    assert re.search(r'<div class="hp" aria-hidden="true"><label for="website">[^<]+</label>'
                     r'<input type="text" id="website" name="website" value="" tabindex="-1" '
                     r'autocomplete="off">', html)
    with client.get("/static/suara.css") as css:
        assert ".hp{position:absolute;left:-9999px" in css.text


def test_a_submission_faster_than_the_minimum_is_stored_and_flagged(app, client, session, point):
    html = client.get("/s/tok-uji-1").text
    data = form_data(app, point, csrf_token=hidden_value(html, "csrf_token"),
                     client_uuid=hidden_value(html, "client_uuid"))
    assert client.post("/s/tok-uji-1", data=data).status_code == 303
    [row] = stored(session)
    assert row.flagged
    assert re.fullmatch(rf"completed in [0-2] s \(< {MIN_COMPLETION_SECONDS} s\)", row.flag_reason)


@pytest.mark.parametrize("path", ["/s/tidak-ada", "/q/tidak-ada", "/s/tidak-ada/terima-kasih"])
def test_an_unknown_token_gets_a_polite_404(client, point, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Survei tidak ditemukan" in response.text and "Traceback" not in response.text


@pytest.mark.parametrize("closing", ["point inactive", "unit closed", "unit archived"])
def test_a_closed_survey_gets_410_and_stores_nothing(app, client, session, point, closing):
    if closing == "point inactive":
        point.active = False
    else:
        point.unit.status = closing.removeprefix("unit ")
    session.commit()
    assert client.get("/s/tok-uji-1").status_code == 410
    response = client.post("/q/tok-uji-1", data=form_data(app, point))
    assert response.status_code == 410
    assert "survei ini sudah ditutup" in response.text
    assert stored(session) == []


@pytest.mark.parametrize("field, value, message", [
    ("U1", "5", STRINGS["id"]["error.answer_invalid"]),
    ("U1", "0", STRINGS["id"]["error.answer_invalid"]),
    ("U1", "abc", STRINGS["id"]["error.answer_invalid"]),
    ("gender", "X", STRINGS["id"]["error.choice_invalid"]),
    ("education", "PhD", STRINGS["id"]["error.choice_invalid"]),
    ("occupation", "Presiden", STRINGS["id"]["error.choice_invalid"]),
    ("age", "99999999999999999999", "Tuliskan umur dalam tahun, dengan angka 10 sampai 120."),
    ("age", "121", "Tuliskan umur dalam tahun, dengan angka 10 sampai 120."),
    ("age", "-5", "Tuliskan umur dalam tahun, dengan angka 10 sampai 120."),
    ("age", "tiga puluh", "Tuliskan umur dalam tahun, dengan angka 10 sampai 120."),
    ("service_type", "x" * 201, "Terlalu panjang: paling banyak 200 karakter."),
    ("suggestion", "x" * 2001, "Terlalu panjang: paling banyak 2000 karakter."),
])
def test_tampered_or_oversized_values_get_a_message_and_store_nothing(
        app, client, session, point, field, value, message):
    response = client.post("/s/tok-uji-1", data=form_data(app, point, **{field: value}))
    assert response.status_code == 422
    assert f'<p class="err" id="{field}-error">{message}</p>' in response.text
    assert stored(session) == []


def test_nul_characters_are_removed_from_text(app, client, session, point):
    data = form_data(app, point, suggestion="baik\x00 sekali", service_type="\x00SIM")
    assert client.post("/s/tok-uji-1", data=data).status_code == 303
    [row] = stored(session)
    assert (row.suggestion, row.service_type) == ("baik sekali", "SIM")


def test_line_breaks_count_as_one_character_as_in_the_browser(app, client, session, point):
    suggestion = "x" * 995 + "\r\n" * 10 + "x" * 995
    assert client.post("/s/tok-uji-1", data=form_data(app, point, suggestion=suggestion)
                       ).status_code == 303
    assert stored(session)[0].suggestion == "x" * 995 + "\n" * 10 + "x" * 995


def test_blank_or_padded_choices_are_read_as_blank_or_as_the_code(app, client, session, point):
    data = form_data(app, point, gender=" ", education=" SMA ", occupation="\t")
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    [row] = stored(session)
    assert (row.gender, row.education, row.occupation) == (None, "SMA", None)


def test_the_answers_alone_are_enough(app, client, session, point):
    data = form_data(app, point, gender=None, age="", education="", occupation="",
                     service_type="  ", suggestion="", website=None)
    assert client.post("/s/tok-uji-1", data=data).status_code == 303
    [row] = stored(session)
    assert (row.gender, row.age, row.education, row.occupation, row.service_type,
            row.suggestion) == (None, None, None, None, None, None)


def test_a_missing_client_uuid_still_stores_the_response(app, client, session, point):
    assert client.post("/s/tok-uji-1", data=form_data(app, point, client_uuid="kacau")
                       ).status_code == 303
    # Stored under a new client_uuid, which is not the one its token's page view served.
    [row] = stored(session)
    assert row.flag_reason == "token reuse: form token of another page view"


@pytest.mark.parametrize("content_type, body", [
    ("application/json", json.dumps({**ANSWERS, "client_uuid": "x"})),
    ("text/plain", "U1=1"),
])
def test_a_body_that_is_not_a_form_gets_415_and_stores_nothing(client, session, point,
                                                               content_type, body):
    response = client.post("/s/tok-uji-1", data=body, content_type=content_type)
    assert response.status_code == 415
    assert "Format data tidak didukung" in response.text
    assert stored(session) == []


@pytest.mark.parametrize("origin, status", [
    ("http://localhost", 303),
    ("http://suara.test", 303),
    ("https://evil.example", 403),
    ("null", 403),
])
def test_a_post_from_another_origin_is_refused(app, client, session, point, origin, status):
    response = client.post("/s/tok-uji-1", data=form_data(app, point), headers={"Origin": origin})
    assert response.status_code == status
    assert len(stored(session)) == (1 if status == 303 else 0)


def test_a_point_closed_after_it_was_read_closes_within_the_memo_time(
        app, client, session, point, monkeypatch):
    assert client.get("/s/tok-uji-1").status_code == 200
    point.active = False
    session.commit()
    # Kept in this process for POINT_SECONDS: still open, then closed once the entry expires.
    assert client.get("/s/tok-uji-1").status_code == 200
    later = time.monotonic() + memo.POINT_SECONDS + 1
    monkeypatch.setattr(memo.time, "monotonic", lambda: later)
    assert client.get("/s/tok-uji-1").status_code == 410
    assert client.post("/s/tok-uji-1", data=form_data(app, point)).status_code == 410
    assert stored(session) == []


def test_unknown_tokens_are_never_kept_in_memory(app, client, point):
    for n in range(50):
        assert client.get(f"/s/tidak-ada-{n}").status_code == 404
    assert client.get("/s/tok-uji-1").status_code == 200
    with app.app_context():
        assert len(memo.kept("points")) == 1


def test_a_full_memo_starts_afresh_and_never_keeps_none():
    kept, loads = memo.Kept(seconds=60, size=2), []

    def get(key):
        return kept.get(key, lambda: loads.append(key) or key.upper())

    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"]
    assert loads == ["a", "b"] and len(kept) == 2
    assert get("c") == "C" and len(kept) == 1
    assert kept.get("x", lambda: None) is None and len(kept) == 1
