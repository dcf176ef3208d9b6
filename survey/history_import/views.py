"""Pages of a unit's staff for importing its answer history: upload, preview with the column
mapping, confirm, result."""

from datetime import date

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from survey import access, db, queries
from survey.history_import import importing, uploads
from survey.history_import.formats import KIND_NAMES
from survey.history_import.forms import UploadForm, chosen, mapping_form
from survey.history_import.mapping import FIELD_NAMES
from survey.response_import import COLUMNS
from survey.scopes import Scope
from survey.tabular import ImportFailed

blueprint = Blueprint("history", __name__, url_prefix="/dasbor/unit/<slug>/impor-riwayat")
SHOWN_ERRORS = 50


def unit_scope(slug: str, **_) -> Scope:
    return Scope("unit", slug)


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


@blueprint.route("", methods=("GET", "POST"))
@access.within(unit_scope)
def upload(slug: str):
    """Take a file to preview: a Google Forms CSV, a KoboToolbox XLSX, an official sheet."""
    unit, form = _unit(slug), UploadForm()
    if form.validate_on_submit():
        try:
            token = uploads.keep(unit.id, form.berkas.data.stream)
        except uploads.UploadRefused as refused:
            return _upload_page(unit, form, [str(refused)])
        day = form.hari.data.isoformat() if form.hari.data else None
        return redirect(url_for("history.preview", slug=slug, token=token,
                                jenis=form.jenis.data or None, hari=day), 303)
    return _upload_page(unit, form, [])


def _upload_page(unit, form, problems: list[str]):
    page = render_template("history/upload.html", unit=unit, form=form, problems=problems)
    return page, 422 if problems else 200


@blueprint.route("/<token>", methods=("GET", "POST"))
@access.within(unit_scope)
def preview(slug: str, token: str):
    """Show the file's rows under the mapping, change it, and import when all is well."""
    unit, session = _unit(slug), db.session()
    path = uploads.path_of(unit.id, token)
    if path is None:
        flash("Berkas pratinjau sudah tidak ada (sudah diimpor atau kedaluwarsa): unggah lagi.")
        return redirect(url_for("history.upload", slug=slug), 303)
    try:
        plan, form = _plan_and_form(unit, path)
    except ImportFailed as failure:
        uploads.discard(path)
        return _upload_page(unit, UploadForm(formdata=None), failure.lines())
    if form.is_submitted() and form.aksi.data == "impor" and plan.ready:
        _, event_id = importing.store(session, unit, plan, "unggahan", g.get("user"))
        session.commit()
        uploads.discard(path)
        return redirect(url_for("history.result", slug=slug, event_id=event_id), 303)
    return render_template("history/preview.html", unit=unit, form=form, plan=plan,
                           kinds=KIND_NAMES, columns=[FIELD_NAMES[c] for c in COLUMNS],
                           errors=plan.errors[:SHOWN_ERRORS], token=token)


def _plan_and_form(unit, path):
    """Return the file's plan under the submitted mapping (else the saved or guessed one)."""
    session = db.session()
    kind = request.values.get("jenis") if request.values.get("jenis") in KIND_NAMES else None
    plan = importing.plan(session, unit, path, kind=kind, day=_day(request.values.get("hari")))
    form = mapping_form(plan.source.header, plan.fields,
                        data={"jenis": plan.source.kind, "hari": _day(request.args.get("hari"))})
    if form.validate_on_submit():
        plan = importing.plan(session, unit, path, kind=form.jenis.data, day=form.hari.data,
                              fields=chosen(form, len(plan.source.header)))
    return plan, form


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@blueprint.get("/hasil/<int:event_id>")
@access.within(unit_scope)
def result(slug: str, event_id: int):
    """Show what an import stored."""
    unit = _unit(slug)
    event = importing.import_event(db.session(), unit, event_id) or abort(404)
    return render_template("history/result.html", unit=unit, event=event, kinds=KIND_NAMES)
