"""Staff pages of a service point's invitations: issue printed codes, download them as a
sheet of slips or as thermal tickets, make and revoke the point's API keys (all audited)."""

from flask import abort, current_app, flash, g, redirect, render_template, url_for

from survey import access, attachments, audit, db, qr_codes, renderer
from survey.admin import pages, rules
from survey.formatting import local_time
from survey.invitations import api_keys, batches, codes
from survey.invitations.forms import IssueForm, KeyForm
from survey.models import utcnow


def _point(slug: str, point_id: int):
    """Return the unit of an address and its point (another unit's point: 404)."""
    unit = pages.unit_or_404(slug)
    return unit, pages.point_or_404(unit, point_id)


def _page(unit, point, issue_form=None, key_form=None, status: int = 200):
    """Render a point's invitation page, with a form sent back with problems in its place."""
    session = db.session()
    return render_template(
        "invitations/point.html", unit=unit, point=point,
        issue_form=issue_form or IssueForm(formdata=None),
        key_form=key_form or KeyForm(formdata=None), batches=batches.of_point(session, point.id),
        keys=api_keys.of_point(session, point.id), limit=codes.MAX_PER_ISSUE), status


@access.within(rules.unit_scope)
def point(slug: str, point_id: int):
    """Show a point's printed codes and API keys, with the forms to issue and to make them."""
    return _page(*_point(slug, point_id))


@access.within(rules.unit_scope)
def issue(slug: str, point_id: int):
    """Issue a number of printed codes for an active point (audited)."""
    session, (unit, point) = db.session(), _point(slug, point_id)
    form = IssueForm()
    if not point.active or not form.validate_on_submit():
        return _page(unit, point, issue_form=form, status=422)
    issued = codes.issue(session, point, form.count.data, source="sheet", now=utcnow(),
                         valid_for=form.valid_for, issued_by=g.user.id)
    audit.record(session, "invitations_issued", f"point:{point.id}", unit_id=unit.id,
                 detail={"point": point.name, "count": len(issued), "first_id": issued[0].id,
                         "valid_hours": int(form.valid_for.total_seconds() // 3600)})
    session.commit()
    flash(f"{len(issued)} kode survei dibuat. Unduh lembarnya di bawah.")
    return redirect(url_for("invitations.point", slug=slug, point_id=point_id), 303)


@access.within(rules.unit_scope)
def download(slug: str, point_id: int, first_id: int, layout: str):
    """Download a batch's codes still open, as A4 slips or 58 mm tickets (audited)."""
    session, (unit, point) = db.session(), _point(slug, point_id)
    batch = batches.printable(session, point.id, first_id, utcnow()) or abort(404)
    builder = "code_sheet_pdf" if layout == "lembar" else "code_tickets_pdf"
    body = renderer.render(builder, point.name, batch.codes, local_time(batch.expires_at, unit),
                           current_app.config["SUARA_BASE_URL"])
    audit.record_now(session, "invitations_printed", f"point:{point.id}", unit_id=unit.id,
                     detail={"point": point.name, "first_id": first_id, "layout": layout,
                             "count": len(batch.codes)})
    response = current_app.response_class(body, mimetype="application/pdf")
    stem = qr_codes.poster_stem(unit.slug, point.name, point.token)
    return attachments.attach(response, f"{stem}-kode-{first_id}-{layout}.pdf")


@access.within(rules.unit_scope)
def new_key(slug: str, point_id: int):
    """Make an API key for a point and show it once (audited)."""
    session, (unit, point) = db.session(), _point(slug, point_id)
    form = KeyForm()
    if not form.validate_on_submit():
        return _page(unit, point, key_form=form, status=422)
    row, key = api_keys.create(session, point, form.name.data or f"Mesin antrean {point.name}",
                               g.user, current_app.config["SECRET_KEY"], utcnow())
    session.commit()
    response = current_app.make_response(render_template(
        "invitations/key.html", unit=unit, point=point, row=row, key=key))
    # The key is shown once and never kept in a cache or the history's copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@access.within(rules.unit_scope)
def revoke_key(slug: str, point_id: int, key_id: int):
    """Revoke an API key: its machine receives no more codes."""
    session, (unit, point) = db.session(), _point(slug, point_id)
    row = api_keys.key_of_point(session, point.id, key_id) or abort(404)
    if api_keys.revoke(session, row, point, utcnow()):
        session.commit()
        flash(f"Kunci API {row.name} dicabut.")
    return redirect(url_for("invitations.point", slug=slug, point_id=point_id,
                            _anchor="kunci"), 303)
