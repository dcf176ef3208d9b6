"""The citizen survey form, built per questionnaire and language from the stored items."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from flask_wtf import FlaskForm
from wtforms import (HiddenField, IntegerField, RadioField, SelectChoice, SelectField,
                     StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from survey.i18n import LOCALES, translate
from survey.models import Questionnaire
from survey.public.csrf import SignedTokenCSRF
from survey.typed_text import clean_text
from survey.vocab import AGE_MAX, AGE_MIN, VOCABULARIES

ANSWER_VALUES = (1, 2, 3, 4)
SERVICE_MAX = 200
SUGGESTION_MAX = 2000
PROFILE_FIELDS = ("gender", "age", "education", "occupation", "service_type", "suggestion")
# Bots fill in a field called like this; people never see it (CSS, aria-hidden, no tab stop).
HONEYPOT = "website"
# An optional contact for a complaint's follow-up: stored apart from the answers (survey/inbox).
CONTACT, CONTACT_MAX = "contact", 200
RESERVED = {*PROFILE_FIELDS, CONTACT, HONEYPOT, "client_uuid", "csrf_token"}
# The longest texts, checked by the form below and by plain_post.py alike.
TEXT_MAX = {"service_type": SERVICE_MAX, "suggestion": SUGGESTION_MAX, CONTACT: CONTACT_MAX}


class Question(NamedTuple):
    """One question as the form shows it in a locale; its answer is stored under its code."""

    code: str
    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Submission:
    """What a valid submission says, however it was read (the form, or plain_post.py)."""

    answers: dict[str, int]  # by element code, in the questionnaire's order
    profile: dict  # PROFILE_FIELDS, an empty field as None
    client_uuid: uuid.UUID
    contact: str | None
    honeypot_filled: bool
    started: int  # when the page view of this client_uuid served the form (signed token)
    reused: bool  # the token was issued for another page view (another client_uuid)


@dataclass(frozen=True)
class Problem:
    """One entry of the error summary: the element to jump to, its name, the message."""

    anchor: str
    name: str
    message: str


def _int_or_none(value) -> int | None:
    """Coerce a submitted answer; junk becomes None so that one validator reports it."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def one_of(allowed, message: str):
    """Return a validator that accepts only the given values."""
    def check(_form, field):
        if field.data not in allowed:
            raise StopValidation(message)
    return check


def parse_age(value: str | None) -> int | None:
    """Return whole years typed as text (spaces around them allowed); else None."""
    raw = (value or "").strip()
    # A length cap first: int() of thousands of digits is slow (and capped by Python).
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else None


def parse_uuid(value: str | None) -> uuid.UUID | None:
    """Return the UUID a hidden field carries; None if it is missing or mangled."""
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        return None


class AgeField(IntegerField):
    """Whole years typed as text; anything else is kept for display and reported by validation."""

    def process_formdata(self, valuelist):
        self.data = parse_age(valuelist[0] if valuelist else None)


def age_in_range(message: str):
    """Return a validator that accepts ages from AGE_MIN to AGE_MAX."""
    return one_of(range(AGE_MIN, AGE_MAX + 1), message)


class ClientUUIDField(HiddenField):
    """The uuid4 made when the form is first shown: a resubmission of it stores nothing new."""

    def process(self, *args, **kwargs):
        super().process(*args, **kwargs)
        # Made only when none came with the form: reading the system's randomness lets other
        # threads take the interpreter, which under load costs more than the rest of the field.
        if self.data is None:
            self.data = uuid.uuid4()

    def process_formdata(self, valuelist):
        # A missing or mangled value is a hidden field the person cannot fix: use a fresh one.
        self.data = parse_uuid(valuelist[0] if valuelist else None)


class SurveyForm(FlaskForm):
    """Fields of every survey form; `survey_form_class` adds the questions and the profile."""

    class Meta:
        csrf_class = SignedTokenCSRF
        # Always on, whatever WTF_CSRF_ENABLED says: the token also carries the start time.
        csrf = True

    client_uuid = ClientUUIDField()
    question_codes: tuple[str, ...] = ()
    locale = "id"
    stale_message = ""

    @property
    def questions(self) -> list:
        """Return the question fields in the questionnaire's position order."""
        return [self[code] for code in self.question_codes]

    @property
    def stale(self) -> bool:
        """Tell whether the token was missing, bad or expired."""
        return bool(self.csrf_token.errors)

    def submission(self) -> Submission:
        """Return what the validated form says; the contact is never part of the profile."""
        return Submission(
            answers={code: self[code].data for code in self.question_codes},
            profile={name: self[name].data or None for name in PROFILE_FIELDS},
            client_uuid=self.client_uuid.data, contact=self[CONTACT].data or None,
            honeypot_filled=bool(self[HONEYPOT].data),
            started=self.csrf_token.csrf_impl.view_time(self.client_uuid.data),
            reused=not self.csrf_token.csrf_impl.served(self.client_uuid.data))

    def problems(self) -> list[Problem]:
        """Return the error summary, in page order, each linked to its field."""
        result = []
        for number, field in enumerate(self.questions, start=1):
            if field.errors:
                name = translate(self.locale, "form.question", number=number)
                result.append(Problem(f"{field.id}-0", name, field.errors[0]))
        for name in (*PROFILE_FIELDS, CONTACT):
            field = self[name]
            if field.errors:
                anchor = f"{field.id}-0" if name == "gender" else field.id
                result.append(Problem(anchor, field.label.text, field.errors[0]))
        return result


def _question(question: Question, say) -> RadioField:
    return RadioField(
        question.text,
        choices=[SelectChoice(value, label)
                 for value, label in zip(ANSWER_VALUES, question.labels)],
        coerce=_int_or_none, validate_choice=False,
        validators=[InputRequired(say("error.answer_required")),
                    one_of(ANSWER_VALUES, say("error.answer_invalid"))])


def _choices(vocabulary: dict, locale: str, say, blank: bool) -> list[SelectChoice]:
    index = LOCALES.index(locale)
    options = [SelectChoice(code, labels[index]) for code, labels in vocabulary.items()]
    return [SelectChoice("", say("field.choose")), *options] if blank else options


def coded_field(field_class, label: str, vocabulary: dict, choices: list[SelectChoice],
                message: str):
    """Return a profile choice of a vocabulary's codes, blank allowed, anything else refused
    with message. Stripped: a tampered " " would pass Optional() and then fail the column's
    CHECK."""
    return field_class(label, choices=choices, validate_choice=False, filters=[clean_text],
                       validators=[Optional(), one_of(vocabulary, message)])


def _coded(field_class, name: str, locale: str, say, blank: bool):
    vocabulary = VOCABULARIES[name]
    return coded_field(field_class, say(f"field.{name}"), vocabulary,
                       _choices(vocabulary, locale, say, blank), say("error.choice_invalid"))


def _text(field_class, name: str, say, **render_kw):
    limit = TEXT_MAX[name]
    return field_class(say(f"field.{name}"), filters=[clean_text], render_kw=render_kw or None,
                       validators=[Length(max=limit, message=say("error.too_long", max=limit))])


def _profile_fields(locale: str, say) -> dict:
    return {
        "gender": _coded(RadioField, "gender", locale, say, blank=False),
        "age": AgeField(
            say("field.age"), render_kw={"inputmode": "numeric", "maxlength": 3,
                                         "autocomplete": "off"},
            validators=[Optional(), age_in_range(say("error.age", min=AGE_MIN, max=AGE_MAX))]),
        "education": _coded(SelectField, "education", locale, say, blank=True),
        "occupation": _coded(SelectField, "occupation", locale, say, blank=True),
        "service_type": _text(StringField, "service_type", say),
        "suggestion": _text(TextAreaField, "suggestion", say),
        CONTACT: _text(StringField, CONTACT, say, autocomplete="off"),
        HONEYPOT: StringField(say("field.honeypot"), filters=[clean_text],
                              render_kw={"tabindex": "-1", "autocomplete": "off"}),
    }


def questions(items: Iterable, locale: str) -> tuple[Question, ...]:
    """Return the questions of questionnaire items (or rows with their columns) in a locale."""
    return tuple(Question(item.element_code, getattr(item, f"text_{locale}"),
                          tuple(getattr(item, f"labels_{locale}")))
                 for item in sorted(items, key=attrgetter("position")))


# Keyed by the questions' text, not by a questionnaire id: a class can never outlive what it
# shows. Published questionnaires are few and never edited, so a few dozen classes suffice.
@lru_cache(maxsize=64)
def form_class(questions: tuple[Question, ...], locale: str) -> type[SurveyForm]:
    """Return a form class with a radio group per question (named by element code)."""
    def say(key: str, **values) -> str:
        return translate(locale, key, **values)

    fields = {question.code: _question(question, say) for question in questions}
    clash = fields.keys() & RESERVED
    if clash:
        raise ValueError(f"element codes {sorted(clash)} clash with the form's own fields")
    return type("SurveyForm", (SurveyForm,), {
        **fields, **_profile_fields(locale, say), "question_codes": tuple(fields),
        "locale": locale, "stale_message": say("error.stale")})


def survey_form_class(questionnaire: Questionnaire, locale: str) -> type[SurveyForm]:
    """Return the form class of a questionnaire in a locale."""
    return form_class(questions(questionnaire.items, locale), locale)


def survey_form(questions: tuple[Question, ...], point_token: str, locale: str) -> SurveyForm:
    """Return the survey form of these questions for a service point, bound to the request."""
    return form_class(questions, locale)(meta={"csrf_context": point_token})
