"""The integrity alerts page of a scope (/dasbor/peringatan-integritas), its CSV download, its
JSON (/api/v1/integrity-alerts, with a personal API token) and their handling. All three read
the same scope with the same rule: its owners only."""

import re

from flask import (Blueprint, abort, current_app, flash, g, jsonify, redirect, render_template,
                   request, stream_with_context, url_for)

from analysis.integrity_alerts import ALERT_ASPECTS, ASPECT_NAMES
from survey import access, attachments, audit, db, params, periods, queries
from survey.integrity_alerts import exports, handling, listing
from survey.models import ALERT_STATUSES
from survey.reports.views import requested_scope
from survey.scopes import BadScope, parse_scope

blueprint = Blueprint("integrity_alerts", __name__)
PATH = "/dasbor/peringatan-integritas"


def _filters() -> listing.Filters:
    status = params.arg("status", params.choice, "status", ("", *ALERT_STATUSES), "")
    aspect = params.arg("aspect", params.choice, "aspect", ("", *ALERT_ASPECTS), "")
    label = request.args.get("period")
    if label and not label.isprintable():  # a NUL would reach PostgreSQL as a 500
        raise params.ParameterError(f"periode '{params.shown(label)}' tidak dikenal")
    try:
        period = periods.resolve(db.session(), label) if label else None
    except periods.UnknownPeriod as error:
        raise params.ParameterError(str(error)) from None
    return listing.Filters(status or None, aspect or None, period)


def _filter_args(scope, filters: listing.Filters) -> dict:
    """Return the address's filters, for the pager's and the download's links."""
    found = {"scope": str(scope), "status": filters.status, "aspect": filters.aspect,
             "period": filters.period.label if filters.period else None}
    return {name: value for name, value in found.items() if value}


def _api_page() -> int:
    """Return the API's page number: absent is 1, anything but a number in range is refused."""
    if "page" not in request.args:
        return 1
    return params.arg("page", params.whole, "page", 1, params.PAGE_MAX)


@blueprint.get(PATH)
@access.within(requested_scope)
def alerts():
    """List a scope's integrity alerts, a page at a time, and their counts per unit and month."""
    scope, filters = requested_scope(), _filters()
    name = queries.scope_name(db.session(), scope) or abort(404)
    page = listing.alerts(db.session(), scope, filters, params.arg("page", params.page_number))
    return render_template(
        "integrity_alerts/alerts.html", scope=scope, name=name, filters=filters, page=page,
        last=listing.last_place(page),
        months=listing.unit_months(db.session(), scope, filters), args=_filter_args(scope, filters),
        decides=g.user.role in access.ABOVE_UNITS, aspects=ASPECT_NAMES,
        statuses=handling.STATUS_NAMES, form=handling.HandleForm())


@blueprint.get("/api/v1/integrity-alerts")
@access.within(requested_scope)
def api():
    """Return a page of a scope's alerts and their counts per unit and month, as the page."""
    scope, filters, number = requested_scope(), _filters(), _api_page()
    queries.scope_name(db.session(), scope) or abort(404)
    page = listing.alerts(db.session(), scope, filters, number)
    months = listing.unit_months(db.session(), scope, filters)
    return jsonify(exports.document(str(scope), filters, page, months))


@blueprint.get(f"{PATH}/unduh.csv")
@access.within(requested_scope)
def download():
    """Download every alert of a scope under the filters as CSV (audited, as every export)."""
    scope, filters = requested_scope(), _filters()
    queries.scope_name(db.session(), scope) or abort(404)
    filename = f"peringatan-integritas-{str(scope).replace(':', '-')}.csv"
    audit.record_now(db.session(), "export", filename,
                     detail={"kind": "integrity_alerts", **_filter_args(scope, filters)})
    lines = exports.csv_lines(listing.all_alerts(db.session(), scope, filters))
    response = current_app.response_class(stream_with_context(lines), mimetype="text/csv")
    return attachments.attach(response, filename)


@blueprint.post(f"{PATH}/<int:alert_id>")
@access.above_units
def handle(alert_id: int):
    """Mark one alert noted or handled (with a note), as a level above its unit."""
    form, back = handling.HandleForm(), request.form.get("back") or ""
    if not form.validate_on_submit():
        flash(" ".join(error for errors in form.errors.values() for error in errors)
              or "Formulir tidak lengkap.")
        return redirect(_back(back), 303)
    try:
        alert = handling.handle(db.session(), alert_id, form.status.data, form.note.data, g.user)
    except handling.Refused as refused:
        db.session().rollback()
        abort(refused.status, refused.args[0])
    db.session().commit()
    flash(f"Peringatan #{alert.id} ditandai {handling.STATUS_NAMES[alert.status]}.")
    return redirect(_back(back), 303)


# What the alerts page a decision was made on may carry back, each checked before it is used.
BACK = {"status": lambda value: value in ALERT_STATUSES,
        "aspect": lambda value: value in ALERT_ASPECTS,
        "period": lambda value: bool(re.fullmatch(r"[0-9A-Za-z:-]{1,40}", value)),
        "page": lambda value: bool(re.fullmatch(r"[1-9][0-9]{0,5}", value))}


def _back(scope_text: str) -> str:
    """Return the alerts page the form came from, with its filters and page (the user's own
    scope if unreadable)."""
    kept = {name: request.form[f"back_{name}"] for name, fits in BACK.items()
            if fits(request.form.get(f"back_{name}", ""))}
    try:
        return url_for("integrity_alerts.alerts", scope=str(parse_scope(scope_text)), **kept)
    except BadScope:
        return url_for("integrity_alerts.alerts", **kept)


@blueprint.app_template_global()
def open_integrity_alerts(scope_text: str) -> int | None:
    """Return the open alerts of a scope ('unit:slug', ...) for a signed-in user who may see
    it, else None."""
    user, scope = g.get("user"), parse_scope(scope_text)
    if user is None or not access.may_see(db.session(), user, scope):
        return None
    return listing.open_count(db.session(), scope)
