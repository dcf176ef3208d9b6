"""The review of answers (DESIGN.md §7a): a unit flags, keeps and proposes on its answers'
page; the levels above approve or refuse the proposals of their scope in one queue."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from analysis.elements import ELEMENTS
from survey import access, db, queries
from survey.reports.views import unit_scope
from survey.staff import listing, review
from survey.staff.review_forms import (REASON_LABELS, DecisionForm, FlagForm, PlainForm,
                                       ProposalForm)

blueprint = Blueprint("review", __name__, url_prefix="/dasbor")
ACTIONS = {"exclude": "dikeluarkan dari indeks", "restore": "dikembalikan ke indeks"}


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


def _page(unit, status: int = 200):
    session = db.session()
    return render_template(
        "staff/review.html", unit=unit, elements=ELEMENTS, reasons=REASON_LABELS,
        rows=listing.flagged_answers(session, unit.id),
        recent=listing.recent_unflagged(session, unit.id)), status


def _errors(form) -> str:
    return " ".join(message for messages in form.errors.values() for message in messages)


def _step(slug: str, form, step, done: str):
    """Run one step on a unit's answer when its form is valid; commit, or show why not."""
    unit = _unit(slug)
    if not form.validate_on_submit():
        flash(_errors(form) or "Formulir tidak lengkap.")
        return _page(unit, 400)
    try:
        step(unit)
    except review.ReviewRefused as refused:
        db.session().rollback()
        flash(str(refused))
        return _page(unit, refused.status)
    db.session().commit()
    flash(done)
    return redirect(url_for("review.flagged", slug=slug), 303)


@blueprint.get("/unit/<slug>/tinjauan")
@access.within(unit_scope)
def flagged(slug: str):
    """List the unit's flagged answers with their proposals, and its latest other answers."""
    return _page(_unit(slug))


@blueprint.post("/unit/<slug>/tinjauan/<int:response_id>/tandai")
@access.within(unit_scope)
def flag(slug: str, response_id: int):
    """Flag one of the unit's answers by hand, with a reason."""
    form = FlagForm()
    return _step(slug, form, lambda unit: review.flag(db.session(), unit, response_id,
                                                      form.reason.data, g.user),
                 f"Jawaban #{response_id} ditandai.")


@blueprint.post("/unit/<slug>/tinjauan/<int:response_id>/pertahankan")
@access.within(unit_scope)
def keep(slug: str, response_id: int):
    """Keep a flagged answer in the index."""
    return _step(slug, PlainForm(),
                 lambda unit: review.keep(db.session(), unit, response_id, g.user),
                 f"Jawaban #{response_id} dipertahankan dalam indeks.")


@blueprint.post("/unit/<slug>/tinjauan/<int:response_id>/usulan")
@access.within(unit_scope)
def propose(slug: str, response_id: int):
    """Propose to exclude (or restore) a flagged answer; a level above decides."""
    form = ProposalForm()
    return _step(slug, form, lambda unit: review.propose(
        db.session(), unit, response_id, form.reason.data, form.text.data, g.user),
        f"Usulan untuk jawaban #{response_id} tercatat dan menunggu persetujuan tingkat di "
        "atas unit.")


def _queue_page(status: int = 200):
    scope = access.user_scope(g.user)
    return render_template("staff/approvals.html", elements=ELEMENTS, reasons=REASON_LABELS,
                           actions=ACTIONS, scope_name=queries.scope_name(db.session(), scope),
                           rows=listing.open_proposals(db.session(), scope)), status


@blueprint.get("/persetujuan")
@access.above_units
def queue():
    """List the open proposals on answers of the user's scope, for approval or refusal."""
    return _queue_page()


@blueprint.post("/persetujuan/<int:proposal_id>")
@access.above_units
def decide(proposal_id: int):
    """Approve or refuse one proposal; an approval moves the answer and the index at once."""
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_errors(form) or "Formulir tidak lengkap.")
        return _queue_page(400)
    try:
        proposal = review.decide(db.session(), proposal_id, form.approves(),
                                 form.note.data or None, g.user)
    except review.ReviewRefused as refused:
        db.session().rollback()
        flash(str(refused))
        return _queue_page(refused.status)
    db.session().commit()
    outcome = f"disetujui: jawaban {ACTIONS[proposal.action]}" if form.approves() else "ditolak"
    flash(f"Usulan #{proposal.id} {outcome}.")
    return redirect(url_for("review.queue"), 303)


@blueprint.app_template_global()
def open_approvals() -> int | None:
    """Return how many proposals wait for the signed-in user, or None if they decide none."""
    user = g.get("user")
    if user is None or user.role not in access.ABOVE_UNITS:
        return None
    return listing.open_count(db.session(), access.user_scope(user))


@blueprint.app_template_global()
def excluded_answers(unit, period) -> listing.ExcludedSummary:
    """Return what a unit's public page says of the period's excluded answers."""
    return listing.excluded_summary(db.session(), unit.id, period)
