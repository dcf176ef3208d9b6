"""A complete, valid answer to a service point's form, stored in front of Flask.

Nearly every POST to a form, or to an invitation's (/u/<code>), is complete and valid
(plain_post.py). For those, Flask's request
context, session, hooks, routing and response object cost about a third of what a submission
costs. The gate stores such an answer with the view's own steps (the point and questions kept
in memory, `plain_post.read`, `instrument_form.read`, `submissions.store_once`) in an
application context, and answers the view's 303 to the thank-you page with the same headers.

Everything else goes to Flask untouched, which answers it as ever: another method or address,
a body that is not a small urlencoded form, a signed-in browser, a language link to remember in
a cookie, another site's Origin, a point or questionnaire unknown or closed, an incomplete or
invalid post, an invitation already answered or expired, an answer refused (429) or not stored
(a database error), a read replica in use.
Storing is all or nothing and a client_uuid is stored once, so the view doing it again after
the gate gave up is safe.
"""

import io
import logging
import re

from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.utils import redirect
from werkzeug.wrappers import Request

from survey import db, i18n
from survey.invitations import claims, codes
from survey.public import abuse, csrf, instrument_form, plain_post, submissions
from survey.public.guards import same_origin

log = logging.getLogger(__name__)

# A point's form (/s/ by link, /q/ by QR code) or an invitation's code (/u/, answered as by QR).
PATH = re.compile(r"/([squ])/([^/]+)(?:/kirim)?")
CHANNELS = {"s": "link", "q": "qr", "u": "qr"}
FORM = "application/x-www-form-urlencoded"
# A whole form with every text at its longest, percent-encoded, is under 30 KB.
MAX_BODY = 64 * 1024


class AnswerGate:
    """WSGI middleware: store the complete, valid answers to a point's form before Flask."""

    def __init__(self, app: Flask, wsgi_app, headers):
        self.app, self.wsgi_app, self.headers = app, wsgi_app, headers

    def __call__(self, environ, start_response):
        found = environ.get("REQUEST_METHOD") == "POST" and \
            PATH.fullmatch(environ.get("PATH_INFO", ""))
        body = found and _small_form(environ)
        if body:
            try:
                response = self.answer(Request(environ), *found.groups())
            except (HTTPException, LookupError, abuse.TooMany, claims.InvitationSpent):
                response = None  # the view answers with its page
            except Exception:  # noqa: BLE001 - the view tries again and answers
                log.warning("answer gate: handed to the view", exc_info=True)
                response = None
            if response is not None:
                return response(environ, start_response)
            environ["wsgi.input"] = io.BytesIO(body)  # the view reads the body again
        return self.wsgi_app(environ, start_response)

    def answer(self, request: Request, kind: str, token: str):
        """Store a complete, valid answer and return the view's redirect; None: the view's.

        `token`: the point's, or the invitation's code, whose point the form's signed token
        names (as survey/invitations/views.py reads it)."""
        config = self.app.config
        chosen = request.args.get("lang")
        if (config["SESSION_COOKIE_NAME"] in request.cookies or "Authorization" in request.headers
                or (chosen in i18n.LOCALES and request.cookies.get(i18n.COOKIE) != chosen)
                or not same_origin(request, config["SUARA_BASE_URL"])):
            return None
        with self.app.app_context():
            database = db.database()
            if database.replica is not None:
                return None
            session, invitation_code = db.session(writing=False), None
            if kind == "u":
                invitation_code = codes.normalised(token[:40])
                token = invitation_code and csrf.signed_point(plain_post.form_secret(),
                                                              request.form.get("csrf_token"))
                if not token:
                    return None
            point = submissions.open_point(session, token)
            locale, locale_chosen = i18n.choose_locale(request)
            questions = submissions.questionnaire_questions(session, point, locale)
            submission = plain_post.read(request.form, questions, point.token)
            asked = instrument_form.read(request.form, point.instruments)
            if submission is None or asked.half:
                return None
            submissions.store_answer(session, point, submission, asked.answers, request,
                                     channel=CHANNELS[kind], secret=config["SECRET_KEY"],
                                     invitation_code=invitation_code)
            location = self.app.url_map.bind_to_environ(request.environ).build(
                "public.thanks", {"token": point.token, **({"lang": locale} if locale_chosen
                                                          else {})})
        return self.redirect(request, location)

    def redirect(self, request: Request, location: str):
        """Return the view's 303 with the headers Flask's hooks give it."""
        response = redirect(location, 303)
        response.headers.update(self.headers(request.is_secure))
        vary = ["Accept-Language"]
        if i18n.COOKIE in request.cookies:
            vary.append("Cookie")
        response.headers["Vary"] = ", ".join((*vary, "Accept-Encoding"))
        return response


def _small_form(environ) -> bytes | None:
    """Return the body of a small urlencoded POST, the stream rewound for whoever reads it
    next; None for any other body."""
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() != FORM:
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body
