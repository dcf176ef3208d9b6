"""Follow-up plans (rencana tindak lanjut): a unit's actions for a period's weakest elements,
and the follow-up of a whole scope. Also the template helpers that the unit dashboard and the
public results page use to show them."""

from datetime import date, datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from survey import access, db, queries
from survey.i18n import current_locale, t
from survey.inbox import followups, overview as scope_overview, published
from survey.inbox.forms import FollowUpForm
from survey.regions import timezone_for
from survey.reports import period_choice
from survey.reports.views import requested_scope, unit_scope
from survey.scopes import Scope

blueprint = Blueprint("followup", __name__, url_prefix="/dasbor")


def _chooser(scope: Scope, unit_id: int | None = None) -> period_choice.Chooser:
    """Return the period of the address (the scope's default one, with a polite message, for
    one it cannot name); a change posted for a period it cannot name is refused instead."""
    chooser = period_choice.choose(db.session(), scope, request.args, unit_id)
    if chooser.problem and request.method == "POST":
        abort(400)
    return chooser


def _unit_and_period(slug: str):
    unit = queries.unit_by_slug(db.session(), slug) or abort(404)
    return unit, _chooser(Scope("unit", slug), unit.id)


@blueprint.route("/unit/<slug>/rtl", methods=("GET", "POST"))
@access.within(unit_scope)
def plan(slug: str):
    """Show a period's plan with the weakest elements and complaints; add an action to it."""
    unit, chooser = _unit_and_period(slug)
    form = FollowUpForm()
    if form.validate_on_submit():
        followups.add(db.session(), unit, chooser.period, form.values())
        return _saved(unit, chooser.period, "rtl.flash.added")
    return _plan_page(unit, chooser, form, 422 if form.is_submitted() else 200)


@blueprint.post("/unit/<slug>/rtl/<int:action_id>")
@access.within(unit_scope)
def update(slug: str, action_id: int):
    """Change an action: its status, evidence, due date or publication."""
    unit, chooser = _unit_and_period(slug)
    form = FollowUpForm(prefix=f"a{action_id}")
    if not form.validate_on_submit():
        return _plan_page(unit, chooser, None, 422, {action_id: form})
    if followups.update(db.session(), unit, action_id, form.values()) is None:
        abort(404)
    return _saved(unit, chooser.period, "rtl.flash.changed")


def _saved(unit, period, message: str):
    db.session().commit()
    flash(t(message))
    return redirect(url_for("followup.plan", slug=unit.slug, period=period.label), 303)


def _plan_page(unit, chooser: period_choice.Chooser, form: FollowUpForm | None, status: int,
               sent: dict | None = None):
    """Render a plan: proposals, the actions (each with its edit form), the previous plan."""
    session, locale, period = db.session(), current_locale(), chooser.period
    current = followups.plan(session, unit, period, locale=locale)
    proposal = followups.proposal(session, unit, period)
    if form is None or not form.is_submitted():
        form = FollowUpForm(formdata=None, data={
            "element_code": proposal.weakest[0].code if proposal.weakest else None,
            "due": followups.default_due(
                period, datetime.now(timezone_for(unit.region_code)).date()), "status": "planned"})
    edits = {action.id: FollowUpForm(formdata=None, prefix=f"a{action.id}", data={
        name: getattr(action, name) for name in followups.FIELDS}) for action in current.actions}
    return render_template(
        "inbox/plan.html", unit=unit, period=period, chooser=chooser, form=form, plan=current,
        edits={**edits, **(sent or {})}, proposal=proposal,
        previous=followups.previous_plan(session, unit, period, locale)), status


@blueprint.get("/tindak-lanjut")
@access.within(requested_scope)
def overview():
    """Show a scope's follow-up: units with a published plan, overdue actions, complaint tags."""
    scope = requested_scope()
    name = queries.scope_name(db.session(), scope) or abort(404)
    chooser = _chooser(scope)
    page = scope_overview.overview(db.session(), scope, name, chooser.period, date.today())
    return render_template("inbox/overview.html", page=page, chooser=chooser)


@blueprint.app_template_global()
def public_followup(unit, period, locale: str = "id") -> published.PublicFollowUp:
    """Return what templates/inbox/_public_followup.html shows for a unit's public page."""
    return published.for_unit(db.session(), unit, period, locale)


@blueprint.app_template_global()
def follow_up_effects(unit, period, locale: str = "id") -> followups.Plan | None:
    """Return the previous period's plan measured in `period`, for the unit dashboard."""
    return followups.previous_plan(db.session(), unit, period, locale)
