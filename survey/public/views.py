"""Public pages: the home page, the citizen survey form and its thank-you page."""

from flask import (Blueprint, current_app, make_response, redirect, render_template, request,
                   url_for)

from survey import db, params
from survey.i18n import current_locale, locale_args
from survey.invitations import codes
from survey.public import (directory, fresh, instrument_form, kiosk, kiosk_enrol, plain_post,
                           submissions)
from survey.public.forms import survey_form
from survey.public.guards import form_post

blueprint = Blueprint("public", __name__)
# Kiosk mode (kiosk.py) on this blueprint, so that its CSRF exemption and error pages apply.
blueprint.add_url_rule("/k/sw.js", "kiosk_worker", kiosk.service_worker)
blueprint.add_url_rule("/k/daftar", "kiosk_enrol", kiosk_enrol.enrol, methods=("GET", "POST"))
blueprint.add_url_rule("/k/<token>", "kiosk", kiosk.form, methods=("GET", "POST"))
blueprint.add_url_rule("/k/<token>/terima-kasih", "kiosk_thanks", kiosk.thanks)


@blueprint.get("/")
def home():
    """Show what SUARA is and the units that collect answers here, fifty at a time; a survey
    code typed in its box opens that code's survey."""
    typed = request.args.get("kode", "")[:40].strip()
    code = codes.normalised(typed) if typed else None
    if code:
        return redirect(url_for("invitations.answer", code=code), 303)
    session = db.session()
    provinces = directory.provinces(session)
    province = request.args.get("provinsi", "")
    province = province if province in dict(provinces) else ""
    search = params.arg("q", params.search_text, directory.SEARCH_MAX)
    page = directory.units(session, province, search, params.arg("page", params.page_number))
    args = {key: value for key, value in (("provinsi", province), ("q", search)) if value}
    return render_template("public/home.html", page=page, provinces=provinces,
                           province=province, search=search, args=args, typed_code=typed)


# Answers go to /kirim, not to the page's own address: a POST to an address makes the browser
# drop its copy of that page, and going back would then fetch a new form with a new client_uuid
# (the browser refills the answers, and sending again would store them twice).
# The page's own address still accepts answers from a copy of the form served before /kirim.
@blueprint.route("/s/<token>", methods=("GET", "POST"), defaults={"channel": "link"})
@blueprint.route("/q/<token>", methods=("GET", "POST"), defaults={"channel": "qr"})
@blueprint.post("/s/<token>/kirim", endpoint="send", defaults={"channel": "link"})
@blueprint.post("/q/<token>/kirim", endpoint="send", defaults={"channel": "qr"})
@form_post
def form(token: str, channel: str):
    """Show a service point's survey; store a valid submission once, then redirect."""
    # No write lock while the form is read and checked: taken for the writes only.
    session = db.session(writing=False)
    return answer(session, submissions.open_point(session, token), channel)


def answer(session, point, channel: str, *, action: str | None = None,
           invitation_code: str | None = None, kept: bool = True):
    """Show a point's form, posting to `action` (else its /kirim); store a valid submission
    once (with the invitation it claims, if any), then redirect to the thank-you page.

    `kept`: the fresh page may be kept and filled in (fresh.py); not for a page of one person.
    """
    locale = current_locale()
    questions = submissions.questionnaire_questions(session, point, locale)
    # Nearly every POST is complete and valid: read plainly; the form reports on the others.
    submission = request.method == "POST" and plain_post.read(request.form, questions, point.token)
    # The Zona Integritas surveys, if the point asks any: each answered whole, or skipped.
    asked = (instrument_form.read(request.form, point.instruments)
             if point.instruments and request.method == "POST" else instrument_form.NOTHING)
    if not submission or asked.half:
        survey = survey_form(questions, point.token, locale)
        if not survey.validate_on_submit() or asked.half:
            status = 422 if survey.is_submitted() else 200
            return _form_page(point, survey, status, action, kept, asked.half)
        submission = survey.submission()
    submissions.store_answer(session, point, submission, asked.answers, request,
                             channel=channel, secret=current_app.config["SECRET_KEY"],
                             invitation_code=invitation_code)
    return redirect(url_for("public.thanks", token=point.token, **locale_args()), 303)


def _form_page(point, survey, status: int, action: str | None, kept: bool,
               half: tuple[str, ...] = ()):
    """Render the form, private to this browser and fetched afresh on every visit; `half`:
    the instruments answered in part."""
    def render() -> str:
        sections = point.instruments and instrument_form.sections(
            point.instruments, survey.locale, request.form if status == 422 else None, half)
        return render_template(
            "public/form.html", point=point, form=survey, instruments=sections or (),
            action=action or url_for("public.send", **request.view_args, **locale_args()))

    fresh_copy = status == 200 and kept
    response = make_response(fresh.page(survey, render) if fresh_copy else render(), status)
    # The page holds a one-off client_uuid: no shared cache may hand it to someone else, and a
    # new visit needs a new one. Not no-store: going back to the page must show the same copy
    # (same uuid, answers as left), so that sending it again stores nothing new.
    response.headers["Cache-Control"] = "private, no-cache"
    submissions.remember_device(request, response)
    return response


@blueprint.get("/s/<token>/terima-kasih")
def thanks(token: str):
    """Thank the respondent; the form redirects here only after its commit succeeded."""
    point = submissions.open_point(db.session(), token)
    return render_template("public/thanks.html", point=point)


@blueprint.errorhandler(403)
@blueprint.errorhandler(404)
@blueprint.errorhandler(410)
@blueprint.errorhandler(415)
def problem(error):
    """Explain in the person's language why the survey cannot be shown or stored."""
    return render_template("public/problem.html", code=error.code), error.code
