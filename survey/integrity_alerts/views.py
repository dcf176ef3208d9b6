"""The integrity alerts page of a scope (/dasbor/peringatan-integritas) and their handling."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from analysis.integrity_alerts import ALERT_ASPECTS, ASPECT_NAMES
from survey import access, db, params, periods, queries
from survey.integrity_alerts import handling, listing
from survey.models import ALERT_STATUSES
from survey.reports.views import requested_scope
from survey.scopes import BadScope, parse_scope

blueprint = Blueprint("integrity_alerts", __name__)
PATH = "/dasbor/peringatan-integritas"


def _filters() -> listing.Filters:
    status = params.arg("status", params.choice, "status", ("", *ALERT_STATUSES), "")
    aspect = params.arg("aspect", params.choice, "aspect", ("", *ALERT_ASPECTS), "")
    label = request.args.get("period")
    try:
        period = periods.resolve(db.session(), label) if label else None
    except periods.UnknownPeriod as error:
        raise params.ParameterError(str(error)) from None
    return listing.Filters(status or None, aspect or None, period)


@blueprint.get(PATH)
@access.within(requested_scope)
def alerts():
    """List a scope's integrity alerts and their counts per unit and month."""
    scope, filters = requested_scope(), _filters()
    name = queries.scope_name(db.session(), scope) or abort(404)
    rows, total = listing.alerts(db.session(), scope, filters)
    return render_template(
        "integrity_alerts/alerts.html", scope=scope, name=name, filters=filters, rows=rows,
        total=total, months=listing.unit_months(db.session(), scope, filters),
        decides=g.user.role in access.ABOVE_UNITS, aspects=ASPECT_NAMES,
        statuses=handling.STATUS_NAMES, form=handling.HandleForm(), limit=listing.LIST_ROWS)


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


def _back(scope_text: str) -> str:
    """Return the alerts page of the scope the form came from (the user's own if unreadable)."""
    try:
        return url_for("integrity_alerts.alerts", scope=str(parse_scope(scope_text)))
    except BadScope:
        return url_for("integrity_alerts.alerts")


@blueprint.app_template_global()
def open_integrity_alerts(scope_text: str) -> int | None:
    """Return the open alerts of a scope ('unit:slug', ...) for a signed-in user who may see
    it, else None."""
    user, scope = g.get("user"), parse_scope(scope_text)
    if user is None or not access.may_see(db.session(), user, scope):
        return None
    return listing.open_count(db.session(), scope)
