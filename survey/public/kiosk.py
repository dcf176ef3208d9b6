"""Kiosk mode: the survey form on a tablet at the counter, for one respondent after another.

The form of /s/ (same questionnaire, fields, token, idempotent client_uuid), channel `kiosk`,
with these differences:

- It resets after each person: the thank-you page returns to a fresh, empty form after a few
  seconds (a meta refresh, so without JavaScript too). The language is the page's own ?lang=,
  else Indonesian, never kept in a cookie for the next person.
- The browser never keeps the page (no-store, autocomplete off): Back cannot bring back the
  previous person's answers.
- `static/kiosk.js` queues answers on the tablet while the network is down and replays them
  later (`static/sw.js`, served as /k/sw.js, keeps the page for offline use). For that the
  server accepts a kiosk token for KIOSK_MAX_AGE instead of 24 hours: a week offline, e.g. over
  a long holiday. Past that (or after a SECRET_KEY change) the server answers 422 with a fresh
  token, which the queue keeps for its next attempt: the answer is never lost, only dated at
  its replay. The age is a bound on back-dating, not a secret: anyone may open a kiosk page.
- `answered_at`, the device's time of answering, becomes submitted_at (and the end of the
  completion time), so that an answer given on 30 June and replayed on 2 July counts in June.
  It is clamped to [token issued, now]: a device can only date an answer within the life of a
  page this server issued, so at most a week back.
- Only enrolled tablets (survey/kiosks/): the page and its posts need the key cookie of a
  device enrolled for this point and not revoked; any other browser gets a polite 403 that
  says how to enrol. A revoked tablet's queued answers are refused too (403) and stay in its
  queue, shown on its screen: revoking says the tablet is no longer trusted (lost, stolen,
  misused), so nothing it kept counts unless staff enrol it again, which vouches for it.
  Each answer records its tablet (kiosk_id); enrolled kiosks are exempt from the address limit.
"""

import time
from datetime import datetime, timezone
from functools import lru_cache

from flask import current_app, make_response, redirect, render_template, request, url_for
from wtforms import HiddenField
from wtforms.validators import ValidationError

from survey import db
from survey.i18n import current_locale, locale_args, pin_locale
from survey.kiosks import devices
from survey.models import utcnow
from survey.public import instrument_form, submissions
from survey.public.csrf import SignedTokenCSRF, is_fresh, started_time
from survey.public.forms import Question, SurveyForm, form_class
from survey.public.guards import form_post

KIOSK_MAX_AGE = 7 * 24 * 3600
# Long enough to read "thank you", short enough that the next person finds a fresh form.
THANKS_SECONDS = 5
WORKER = "sw.js"


class KioskTokenCSRF(SignedTokenCSRF):
    """The signed form token, accepted for a week: answers queued offline are replayed later."""

    def validate_csrf_token(self, form, field) -> None:
        if not is_fresh(self.submitted, time.time(), KIOSK_MAX_AGE):
            raise ValidationError(form.stale_message)

    # One page serves one person after another on an enrolled tablet (offline, kiosk.js gives
    # each a new client_uuid): the token's view time counts, whichever client_uuid comes.
    def served(self, client_uuid) -> bool:
        return self.submitted is not None

    def view_time(self, client_uuid) -> int:
        return started_time(self.submitted, int(time.time()))


class KioskFields:
    """What the kiosk adds to the survey form: the week-long token and the time of answering."""

    class Meta:
        csrf_class = KioskTokenCSRF

    answered_at = HiddenField()

    def answered(self, now: datetime) -> datetime:
        """Return the device's answered_at (ISO 8601 with offset) within [token issued, now]."""
        value = self.answered_at.data
        try:
            answered = datetime.fromisoformat(value) if value and len(value) <= 40 else None
        except ValueError:
            answered = None
        if answered is None or answered.tzinfo is None:
            # No time from the device (a plain form post), or one whose zone is unknown.
            return now
        issued = datetime.fromtimestamp(self.csrf_token.csrf_impl.submitted.issued, timezone.utc)
        return min(max(answered, issued), now)


@lru_cache(maxsize=64)
def kiosk_form_class(survey_class: type[SurveyForm]) -> type[SurveyForm]:
    """Return the kiosk's variant of a survey form class."""
    return type("KioskForm", (KioskFields, survey_class), {})


def kiosk_form(questions: tuple[Question, ...], point_token: str, locale: str) -> SurveyForm:
    """Return the kiosk's survey form for a service point, bound to the request."""
    return kiosk_form_class(form_class(questions, locale))(meta={"csrf_context": point_token})


@form_post
def form(token: str):
    """Show a kiosk's survey; store a valid submission once, at its time of answering; thank."""
    pin_locale()
    session = db.session(writing=False)
    point, locale = submissions.open_point(session, token), current_locale()
    tablet = devices.tablet(session, request.cookies.get(devices.KEY_COOKIE),
                            current_app.config["SECRET_KEY"])
    if tablet is None or tablet.revoked or tablet.point_id != point.id:
        return refusal(point, tablet)
    survey = kiosk_form(submissions.questionnaire_questions(session, point, locale),
                        point.token, locale)
    # The Zona Integritas surveys the point asks, by the citizen form's rules (all or none).
    asked = (instrument_form.read(request.form, point.instruments)
             if point.instruments and request.method == "POST" else instrument_form.NOTHING)
    if survey.validate_on_submit() and not asked.half:
        submission = survey.submission()
        row = submissions.response_row(
            point, submission, channel="kiosk", now=survey.answered(utcnow()),
            client_key=submissions.client_key(request, current_app.config["SECRET_KEY"]))
        row["kiosk_id"] = tablet.id
        submissions.store_once(session, row, submission.contact, instruments=asked.answers)
        return redirect(url_for("public.kiosk_thanks", token=token, **locale_args()), 303)
    return _form_page(point, survey, 422 if survey.is_submitted() else 200, asked.half)


def _form_page(point, survey, status: int, half: tuple[str, ...] = ()):
    """Render the kiosk form, never to be kept by the browser nor shown again from history;
    `half`: the instruments answered in part."""
    sections = point.instruments and instrument_form.sections(
        point.instruments, survey.locale, request.form if status == 422 else None, half)
    response = make_response(render_template(
        "public/kiosk.html", point=point, form=survey, instruments=sections or (),
        action=url_for("public.kiosk", token=point.token, **locale_args()),
        home=url_for("public.kiosk", token=point.token),
        thanks=url_for("public.kiosk_thanks", token=point.token),
        worker=url_for("public.kiosk_worker")), status)
    # Unlike /s/, the next person uses this browser: a copy must not outlive its respondent.
    response.headers["Cache-Control"] = "private, no-store"
    submissions.remember_device(request, response)
    keep_key(response, request.cookies[devices.KEY_COOKIE])
    return response


def keep_key(response, key: str) -> None:
    """Give the tablet its key cookie (again: each kiosk page renews its life)."""
    response.set_cookie(devices.KEY_COOKIE, key, max_age=devices.KEY_COOKIE_MAX_AGE,
                        path="/k/", httponly=True, samesite="Lax", secure=request.is_secure)


def refusal(point, tablet):
    """Explain politely (403) that this browser is not an enrolled kiosk of the point."""
    response = make_response(render_template(
        "public/kiosk_refused.html", point=point, revoked=bool(tablet and tablet.revoked),
        link=url_for("public.form", token=point.token, channel="link")), 403)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def thanks(token: str):
    """Thank the respondent, then return to a fresh form after a few seconds, without script."""
    pin_locale()
    point = submissions.open_point(db.session(), token)
    return render_template("public/kiosk_thanks.html", point=point, seconds=THANKS_SECONDS,
                           home=url_for("public.kiosk", token=point.token))


def service_worker():
    """Serve the kiosk's service worker from /k/, the one place whose pages it may control."""
    response = current_app.send_static_file(WORKER)
    # Browsers check a worker for updates on each visit; no-cache makes them ask the server.
    response.headers["Cache-Control"] = "no-cache"
    return response
