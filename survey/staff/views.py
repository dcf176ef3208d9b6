"""Staff pages of a unit: batches of typed-in paper and interview sheets, with their scans (the
review of answers: review_views.py)."""

from datetime import datetime, time

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, send_file,
                   url_for)
from sqlalchemy.exc import IntegrityError

from analysis.elements import ELEMENTS
from survey import access, audit, db, entry_batches, instrument_store, queries
from survey.entry_dates import answer_bounds
from survey.models import utcnow
from survey.regions import timezone_for
from survey.responses import insert_rows, local_date, response_values, unit_questionnaire
from survey.scopes import Scope
from survey.staff import paper_instruments, scans
from survey.staff.forms import BatchForm, PaperForm, ScanForm

blueprint = Blueprint("staff", __name__, url_prefix="/dasbor/unit/<slug>")


def unit_scope(slug: str, **_) -> Scope:
    return Scope("unit", slug)


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


@blueprint.route("/kertas", methods=("GET", "POST"))
@access.within(unit_scope)
def paper(slug: str):
    """List the unit's batches of typed-in sheets, and open a new batch."""
    unit, session = _unit(slug), db.session()
    form = BatchForm()
    form.bounds = answer_bounds(unit, utcnow())
    if form.validate_on_submit():
        batch = entry_batches.open_batch(
            session, unit, g.get("user"), channel=form.channel.data,
            sheet_numbers=form.sheet_numbers.data, sheets_declared=form.sheets_declared.data,
            first_day=form.first_day.data, last_day=form.last_day.data,
            note=form.note.data or None)
        session.commit()
        flash(f"Batch {batch.sheet_numbers} dibuka: {batch.sheets_declared} lembar.")
        return redirect(url_for("staff.batch", slug=slug, batch_id=batch.id), 303)
    return render_template("staff/batches.html", unit=unit, form=form,
                           rows=entry_batches.unit_batches(session, unit.id),
                           channels=entry_batches.CHANNEL_NAMES)


@blueprint.route("/kertas/<int:batch_id>", methods=("GET", "POST"))
@access.within(unit_scope)
def batch(slug: str, batch_id: int):
    """Type in the sheets of a batch one after another; each is stored once."""
    unit, session = _unit(slug), db.session()
    found = (entry_batches.unit_batch(session, unit, batch_id, request.method == "POST")
             or abort(404))
    form = PaperForm()
    form.bounds = entry_batches.sheet_bounds(found, unit, utcnow())
    if not form.is_submitted():
        today = local_date(unit, utcnow())
        form.answered_on.data = today if today in form.bounds else form.bounds.earliest
    full = entry_batches.full_problem(session, found)
    # SPKP and SPAK, if the unit's points ask them: optional, each typed whole or not at all.
    scales = paper_instruments.unit_scales(session, unit.id)
    typed = paper_instruments.read(scales, request.form) if form.is_submitted() else None
    if form.validate_on_submit() and not full and not typed.half:
        stored = _store_paper(unit, found, form, typed.answers)
        flash(f"Kuesioner tersimpan ({stored})." if stored else "Kuesioner ini sudah tersimpan.")
        return redirect(url_for("staff.batch", slug=slug, batch_id=batch_id), 303)
    page = render_template("staff/paper.html", unit=unit, batch=found, form=form,
                           elements=ELEMENTS, full=full, scan_form=ScanForm(),
                           instruments=paper_instruments.sections(
                               scales, typed and request.form, typed.half if typed else ()),
                           entered=entry_batches.entered(session, found.id),
                           scans=scans.batch_scans(session, found.id),
                           channels=entry_batches.CHANNEL_NAMES)
    return page, 409 if full and form.is_submitted() else 200


def _store_paper(unit, batch, form: PaperForm, instruments: dict) -> str | None:
    """Store one typed-in sheet of a batch, with its instrument answers ({instrument:
    (scale_max, values)}) in the same transaction; return its reference, or None if already
    stored."""
    session = db.session()
    # A sheet carries a date, not a time: noon local time keeps it on that date in any zone.
    at = datetime.combine(form.answered_on.data, time(12), timezone_for(unit.region_code))
    row = response_values(unit, questionnaire_id=unit_questionnaire(session, unit.id).id,
                          submitted_at=at, channel=batch.channel, answers=form.answers(),
                          client_uuid=form.sheet_uuid(), batch_id=batch.id, **form.profile())
    try:
        insert_rows(session, [row])
        instrument_store.store(session, row, instruments)
        session.commit()
    except IntegrityError:
        session.rollback()
        return None
    return f"{form.answered_on.data:%d-%m-%Y}"


@blueprint.post("/kertas/<int:batch_id>/tutup")
@access.within(unit_scope)
def close(slug: str, batch_id: int):
    """Close a batch: its sheets declared and typed in go to the audit log."""
    unit, session = _unit(slug), db.session()
    found = entry_batches.unit_batch(session, unit, batch_id, for_update=True) or abort(404)
    if found.closed_at is None:
        count = entry_batches.close_batch(session, found)
        session.commit()
        flash(f"Batch {found.sheet_numbers} ditutup: {count} dari {found.sheets_declared} "
              "lembar diketik.")
    return redirect(url_for("staff.paper", slug=slug), 303)


@blueprint.post("/kertas/<int:batch_id>/pindaian")
@access.within(unit_scope)
def upload(slug: str, batch_id: int):
    """Keep a scan of a batch's sheets as evidence."""
    unit, session = _unit(slug), db.session()
    found = entry_batches.unit_batch(session, unit, batch_id, for_update=True) or abort(404)
    form = ScanForm()
    try:
        if not form.validate_on_submit():
            raise scans.ScanRefused(" ".join(sum(form.errors.values(), [])))
        scans.store(session, found, form.scan.data.stream, g.get("user"))
        session.commit()
        flash("Pindaian tersimpan.")
    except scans.ScanRefused as refused:
        session.rollback()
        flash(str(refused))
    return redirect(url_for("staff.batch", slug=slug, batch_id=batch_id), 303)


@blueprint.get("/kertas/<int:batch_id>/pindaian/<int:scan_id>")
@access.within(unit_scope)
def scan(slug: str, batch_id: int, scan_id: int):
    """Send a stored scan of a batch, audited."""
    unit, session = _unit(slug), db.session()
    found = entry_batches.unit_batch(session, unit, batch_id) or abort(404)
    kept = scans.batch_scan(session, found.id, scan_id)
    if kept is None or not scans.path_of(kept).is_file():
        abort(404)
    audit.record_now(session, "batch.scan_download", f"batch:{found.id}", unit_id=unit.id,
                     detail={"scan": kept.id})
    return send_file(scans.path_of(kept), mimetype=kept.media_type, as_attachment=True,
                     download_name=f"batch-{found.id}-pindaian-{kept.id}"
                                   f"{scans.path_of(kept).suffix}")
