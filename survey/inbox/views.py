"""The inbox of a unit's suggestions and complaints and the keyword rules that tag them
(`suara inbox purge`, for the contacts kept too long, is in survey/cli.py)."""

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)

from analysis.elements import BY_CODE
from analysis.tagging import suggest
from survey import access, db, queries
from survey.admin.pages import page_number
from survey.i18n import current_locale, t
from survey.inbox import cases as actions
from survey.inbox import listing, mail, tag_rules
from survey.inbox.forms import (FilterForm, PublicAnswerForm, ReplyForm, RuleForm, StatusForm,
                                TagsForm)
from survey.reports import period_choice
from survey.reports.views import unit_scope
from survey.scopes import Scope

blueprint = Blueprint("inbox", __name__, url_prefix="/dasbor")
CASE = "/unit/<slug>/kotak-masuk/<int:response_id>"
TRIAL_MAX = 2000


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


def _suggestion(unit, response_id: int):
    return actions.suggestion_of(db.session(), unit, response_id) or abort(404)


@blueprint.get("/unit/<slug>/kotak-masuk")
@access.within(unit_scope)
def cases(slug: str):
    """List a unit's suggestions and complaints, filtered by status, tag, text and period."""
    unit, session = _unit(slug), db.session()
    form = FilterForm(request.args)
    form.offer_periods(period_choice.listed(session, Scope("unit", slug), unit.id))
    form.validate()
    page = listing.cases(session, unit, form.chosen(session, unit.id), page_number(),
                         tag_rules.rules(session), access.sees_contacts(g.user, unit))
    args = {name: value for name, value in request.args.items() if name != "page" and value}
    return render_template("inbox/cases.html", unit=unit, form=form, page=page, args=args,
                           counts=listing.status_counts(session, unit.id))


@blueprint.get(CASE)
@access.within(unit_scope)
def case(slug: str, response_id: int):
    """Show one suggestion with the respondent's answers, its tags, replies and status."""
    return _case_page(_unit(slug), response_id)


def _case_page(unit, response_id: int, status: int = 200, **forms):
    """Render a case; a form sent back with problems replaces its blank twin."""
    session = db.session()
    detail = listing.case_detail(session, unit, response_id, tag_rules.rules(session),
                                 access.sees_contacts(g.user, unit), current_locale()) or abort(404)
    shown = {"tags_form": TagsForm(formdata=None,
                                   tags=list(detail.case.tags or detail.case.suggested)),
             "status_form": StatusForm(formdata=None, status=detail.case.status),
             "reply_form": ReplyForm(formdata=None),
             "answer_form": PublicAnswerForm(formdata=None, answer=detail.public_answer,
                                             suggestion=detail.public_suggestion)}
    return render_template("inbox/case.html", unit=unit, detail=detail,
                           **{**shown, **forms}), status


def _done(unit, response_id: int, message: str):
    """Commit the request's change, say so, and go back to the case."""
    db.session().commit()
    flash(t(message))
    return redirect(url_for("inbox.case", slug=unit.slug, response_id=response_id), 303)


def _sent(slug: str, response_id: int, form, name: str, apply):
    """Apply a case's form, or show the case with the form's problems (422).

    `apply(unit, response, form)` makes the change and returns the key of the message to show.
    """
    unit = _unit(slug)
    response = _suggestion(unit, response_id)
    if not form.validate_on_submit():
        return _case_page(unit, response_id, 422, **{name: form})
    return _done(unit, response_id, apply(unit, response, form))


@blueprint.post(f"{CASE}/tag")
@access.within(unit_scope)
def save_tags(slug: str, response_id: int):
    """Confirm the tags of a suggestion (the suggested ones come checked)."""
    def apply(_unit, response, form):
        actions.save_tags(db.session(), response, set(form.tags.data or ()), g.user)
        return "inbox.flash.tags"
    return _sent(slug, response_id, TagsForm(), "tags_form", apply)


@blueprint.post(f"{CASE}/status")
@access.within(unit_scope)
def set_status(slug: str, response_id: int):
    """Change a case's status; closing it deletes the citizen's contact."""
    def apply(_unit, response, form):
        actions.set_status(db.session(), response, form.status.data, g.user)
        return f"inbox.flash.status.{form.status.data}"
    return _sent(slug, response_id, StatusForm(), "status_form", apply)


@blueprint.post(f"{CASE}/balas")
@access.unit_staff
def reply(slug: str, response_id: int):
    """Answer the citizen at the contact they left: by e-mail if possible, else by hand."""
    def apply(unit, response, form):
        row = actions.reply(db.session(), unit, response, form.body.data, g.user,
                            mail.MailServer.from_config(current_app.config),
                            t("inbox.mail.subject", unit=unit.name))
        if row is None:
            abort(409)  # the contact was deleted meanwhile (the case closed)
        return f"inbox.flash.reply.{row.delivery}"
    return _sent(slug, response_id, ReplyForm(), "reply_form", apply)


@blueprint.post(f"{CASE}/balasan/<int:reply_id>/terkirim")
@access.unit_staff
def mark_sent(slug: str, response_id: int, reply_id: int):
    """Record that a reply left to send by hand has been sent."""
    unit = _unit(slug)
    if actions.mark_sent(db.session(), _suggestion(unit, response_id), reply_id, g.user) is None:
        abort(404)
    return _done(unit, response_id, "inbox.flash.marked_sent")


@blueprint.post(f"{CASE}/jawaban-publik")
@access.within(unit_scope)
def public_answer(slug: str, response_id: int):
    """Set the answer shown with the suggestion on the unit's public results page."""
    def apply(_unit, response, form):
        actions.set_public_answer(db.session(), response, form.answer.data, g.user,
                                  form.suggestion.data)
        return "inbox.flash.public_answer"
    return _sent(slug, response_id, PublicAnswerForm(), "answer_form", apply)


@blueprint.route("/aturan-tag", methods=("GET", "POST"))
@access.admin_only
def rules():
    """List the keyword rules by element, add one, and try them on a text."""
    session, form = db.session(), RuleForm()
    if form.validate_on_submit():
        added = tag_rules.add(session, form.rule())
        session.commit()
        flash(t("inbox.flash.rule_added" if added else "inbox.flash.rule_exists"))
        return redirect(url_for("inbox.rules"), 303)
    trial = request.args.get("coba", "")[:TRIAL_MAX]
    found = suggest(tag_rules.rules(session), trial) if trial else ()
    return render_template("inbox/rules.html", form=form, rules=tag_rules.stored(session),
                           trial=trial, found=found), 422 if form.is_submitted() else 200


@blueprint.post("/aturan-tag/<int:rule_id>/hapus")
@access.admin_only
def remove_rule(rule_id: int):
    """Delete a keyword rule."""
    if tag_rules.remove(db.session(), rule_id) is None:
        abort(404)
    db.session().commit()
    flash(t("inbox.flash.rule_removed"))
    return redirect(url_for("inbox.rules"), 303)


@blueprint.app_template_filter("element")
def element_name(code: str, locale: str | None = None) -> str:
    """Return an element code with its name in the page's language: 'U3 Waktu Penyelesaian'."""
    element = BY_CODE.get(code)
    return f"{code} {element.name(locale or current_locale())}" if element else code
