"""A complete, valid survey POST, read without binding the WTForms form.

Binding the form's nineteen fields costs about a quarter of a submission's work, and nearly
every POST is complete and valid. `read` accepts only what the form accepts as it is: each
answer exactly "1" to "4", codes of the vocabularies, an age of plain digits in range, texts
within their lengths (after the same cleaning), a client_uuid, a fresh token signed for this
point; it then returns exactly what the validated form would. Anything else returns None and
the view binds the form, which says what is wrong, in the person's language, beside each field
(tests/web/test_plain_post.py checks on generated posts that the two readers agree). The
kiosk's form, with its week-long token and time of answering, is always bound.
"""

import time

from flask import current_app
from werkzeug.datastructures import MultiDict

from survey.public import csrf
from survey.public.forms import (ANSWER_VALUES, CONTACT, HONEYPOT, PROFILE_FIELDS, TEXT_MAX,
                                 Question, Submission, parse_age, parse_uuid)
from survey.typed_text import clean_text
from survey.vocab import AGE_MAX, AGE_MIN, VOCABULARIES

ANSWERS = {str(value): value for value in ANSWER_VALUES}
INVALID = object()  # a value the form would refuse


def read(data: MultiDict, questions: tuple[Question, ...], point_token: str) -> Submission | None:
    """Return the submission of a complete, valid POST to a point's form; else None."""
    now = time.time()
    ticket = csrf.read(form_secret(), data.get("csrf_token"), point_token)
    if not csrf.is_fresh(ticket, now):
        return None
    answers = {question.code: ANSWERS.get(data.get(question.code)) for question in questions}
    if None in answers.values():
        return None
    values = {name: _coded(data.get(name), vocabulary)
              for name, vocabulary in VOCABULARIES.items()}
    values["age"] = _age(data.get("age"))
    values |= {name: clean_text(data.get(name)) for name in (*TEXT_MAX, HONEYPOT)}
    if (any(value is INVALID for value in values.values())
            or any(len(values[name] or "") > limit for name, limit in TEXT_MAX.items())):
        return None
    client_uuid = parse_uuid(data.get("client_uuid"))
    if client_uuid is None:
        return None  # the form gives it a new one
    return Submission(
        answers=answers, profile={name: values[name] or None for name in PROFILE_FIELDS},
        client_uuid=client_uuid, contact=values[CONTACT] or None,
        honeypot_filled=bool(values[HONEYPOT]),
        started=csrf.started_time(ticket, int(now), client_uuid),
        reused=not ticket.served(client_uuid))


def form_secret() -> str:
    """Return the key the form's token is signed with: the one Flask-WTF gives the form (its
    Meta.csrf_secret)."""
    return current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)


def _coded(value: str | None, vocabulary: dict):
    if not value:
        return None
    return value if value in vocabulary else INVALID


def _age(value: str | None):
    if not (value or "").strip():
        return None
    age = parse_age(value)
    return age if age is not None and AGE_MIN <= age <= AGE_MAX else INVALID
