"""The plain reading of a survey POST agrees with the WTForms form it stands in for."""

import time
import uuid
from dataclasses import replace

from flask import request
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from survey.models import Response
from survey.public import plain_post
from survey.public.csrf import FormTicket, sign
from survey.public.forms import SUGGESTION_MAX, Question, survey_form
from tests.web.test_form import ANSWERS, form_data, point, token_for  # noqa: F401 (fixture)

QUESTIONS = tuple(Question(code, f"Pertanyaan {code}", ("a", "b", "c", "d")) for code in ANSWERS)
MISSING = None  # a field left out of the POST


def _token(app, kind: str) -> str | None:
    if kind == "fresh":
        return token_for(app, "tok-uji-1")
    if kind == "stale":
        return token_for(app, "tok-uji-1", issued_ago=25 * 3600)
    if kind == "other point":
        return token_for(app, "tok-uji-2")
    if kind == "forged":
        return sign("another-secret", FormTicket("tok-uji-1", int(time.time()), 0))
    return None


# Per field: values a person's browser sends, and odd ones (tampered, mangled, too long).
GOOD = {**{code: st.sampled_from(["1", "2", "3", "4"]) for code in ANSWERS},
        "gender": st.sampled_from(["L", "P", "", MISSING]),
        "education": st.sampled_from(["SMA", "SD", "", MISSING]),
        "occupation": st.sampled_from(["SWASTA", "PNS", "", MISSING]),
        "age": st.sampled_from(["34", " 34 ", "17", "", MISSING]),
        **{name: st.one_of(st.just(MISSING), st.text(max_size=12),
                           st.sampled_from([" Antre\r\nlama ", "a\x00b", "x" * 200]))
           for name in ("service_type", "suggestion", "contact", "website")},
        "client_uuid": st.sampled_from([str(uuid.UUID(int=7)), "0" * 32,
                                        "{00000000-0000-0000-0000-000000000007}"]),
        "csrf_token": st.just("fresh")}
ODD = {**{code: st.sampled_from([" 3", "03", "0", "5", "x", "", "3.0", MISSING])
          for code in ANSWERS},
       "gender": st.sampled_from([" ", "X", "l"]),
       "education": st.sampled_from([" ", "sma", "NONE"]),
       "occupation": st.sampled_from(["BOT", " "]),
       "age": st.sampled_from(["16", "0", "999", "1234", "abc", "٣٤", "+34", " "]),
       **{name: st.sampled_from(["x" * 201, "y" * (SUGGESTION_MAX + 1), "\x00" * 300])
          for name in ("service_type", "suggestion", "contact", "website")},
       "client_uuid": st.sampled_from(["bukan-uuid", "", MISSING]),
       "csrf_token": st.sampled_from(["stale", "other point", "forged", "missing"])}


@st.composite
def posts(draw) -> tuple[dict, set]:
    """Draw a POST with up to two odd fields; return its fields (token kinds) and the odd ones."""
    odd = draw(st.sets(st.sampled_from(sorted(GOOD)), max_size=2))
    return {name: draw(ODD[name] if name in odd else GOOD[name]) for name in GOOD}, odd


def _fields(app, drawn: dict) -> dict:
    fields = {**drawn, "csrf_token": _token(app, drawn["csrf_token"])}
    return {name: value for name, value in fields.items() if value is not MISSING}


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=posts())
def test_whatever_is_posted_the_plain_reading_is_the_forms_or_nothing(app, drawn):
    drawn, odd = drawn
    with app.test_request_context("/s/tok-uji-1", method="POST", data=_fields(app, drawn)):
        plain = plain_post.read(request.form, QUESTIONS, "tok-uji-1")
        form = survey_form(QUESTIONS, "tok-uji-1", "id")
        valid = form.validate_on_submit()
        if plain is not None:
            assert valid
            expected = form.submission()
            assert abs(plain.started - expected.started) <= 1  # read a moment apart
            assert plain == replace(expected, started=plain.started)
        else:
            # Every post made only of what browsers send is read plainly; the form reads the
            # odd ones (and mends some, e.g. a new client_uuid for a mangled one).
            assert odd


def test_a_complete_valid_post_is_read_plainly_and_stored_like_the_form_would(
        app, client, session, point):
    before = time.time()
    data = form_data(app, point, suggestion=" Antre\r\nlama ", age=" 41 ", contact="")
    with app.test_request_context("/s/tok-uji-1", method="POST", data=data):
        submission = plain_post.read(request.form, QUESTIONS, point.token)
    after = time.time()
    assert submission is not None
    assert submission.answers == {code: int(value) for code, value in ANSWERS.items()}
    assert submission.profile == {"gender": "P", "age": 41, "education": "SMA",
                                  "occupation": "SWASTA", "service_type": "KTP elektronik",
                                  "suggestion": "Antre\nlama"}
    assert submission.contact is None and not submission.honeypot_filled
    # Opened a minute before the token was signed (whole seconds), however slow the machine.
    assert int(before - 60) <= submission.started <= int(after - 60)
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    row = session.scalars(select(Response)).one()
    assert (row.client_uuid, row.age, row.suggestion, row.u1, row.u2, row.flagged) == (
        uuid.UUID(data["client_uuid"]), 41, "Antre\nlama", 1, 2, False)
