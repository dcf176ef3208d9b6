"""Staff pages of a unit: paper questionnaire entry and the review queue of flagged answers."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from analysis.elements import ELEMENTS
from survey import access, db, queries
from survey.models import utcnow
from survey.regions import timezone_for
from survey.responses import insert_rows, local_date, response_values, unit_questionnaire
from survey.scopes import Scope
from survey.staff import review
from survey.staff.forms import PaperForm

blueprint = Blueprint("staff", __name__, url_prefix="/dasbor/unit/<slug>")


def unit_scope(slug: str, **_) -> Scope:
    return Scope("unit", slug)


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


@blueprint.route("/kertas", methods=("GET", "POST"))
@access.within(unit_scope)
def paper(slug: str):
    """Type in paper questionnaires one after another; each is stored once."""
    unit = _unit(slug)
    form = PaperForm()
    if not form.is_submitted():
        form.answered_on.data = local_date(unit, utcnow())
    if form.validate_on_submit():
        stored = _store_paper(unit, form)
        flash(f"Kuesioner tersimpan ({stored})." if stored else "Kuesioner ini sudah tersimpan.")
        return redirect(url_for("staff.paper", slug=slug), 303)
    return render_template("staff/paper.html", unit=unit, form=form, elements=ELEMENTS,
                           today=queries.paper_count_today(db.session(), unit.id,
                                                           local_date(unit, utcnow())))


def _store_paper(unit, form: PaperForm) -> str | None:
    """Store one typed-in questionnaire; return its reference, or None if already stored."""
    session = db.session()
    # A sheet carries a date, not a time: noon local time keeps it on that date in any zone.
    at = datetime.combine(form.answered_on.data, time(12), timezone_for(unit.region_code))
    row = response_values(unit, questionnaire_id=unit_questionnaire(session, unit.id).id,
                          submitted_at=at, channel="paper", answers=form.answers(),
                          client_uuid=form.sheet_uuid(), **form.profile())
    try:
        insert_rows(session, [row])
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return f"{form.answered_on.data:%d-%m-%Y}"


@blueprint.get("/tinjauan")
@access.within(unit_scope)
def flagged(slug: str):
    """List the unit's flagged answers for a person to keep, exclude or restore."""
    unit = _unit(slug)
    return render_template("staff/review.html", unit=unit, elements=ELEMENTS,
                           rows=queries.flagged_responses(db.session(), unit.id))


@blueprint.post("/tinjauan/<int:response_id>")
@access.within(unit_scope)
def decide(slug: str, response_id: int):
    """Record a person's decision on one flagged answer."""
    unit = _unit(slug)
    decided = review.decide(db.session(), unit, response_id, request.form.get("decision", ""),
                            g.user)
    if decided is None:
        abort(404)
    db.session().commit()
    flash(f"Jawaban #{response_id}: {'dikeluarkan dari indeks' if decided.excluded else 'dihitung dalam indeks'}.")
    return redirect(url_for("staff.flagged", slug=slug), 303)
