"""Enrolling a tablet as a kiosk: the tablet opens /k/daftar with the one-time code staff got
on their unit's page (typed, or from the QR code's ?kode=), and receives its key."""

from flask import current_app, make_response, redirect, render_template, request, url_for

from survey import db
from survey.kiosks import devices
from survey.models import ServicePoint, utcnow
from survey.public.guards import form_post
from survey.public.kiosk import keep_key


@form_post
def enrol():
    """Show the enrolment form; enrol this tablet with a valid code, then open its kiosk."""
    code = devices.normal_code(request.values.get("kode"))
    if request.method == "POST":
        session = db.session()
        enrolled = devices.enrol(session, code, current_app.config["SECRET_KEY"], utcnow())
        if enrolled is not None:
            device, key = enrolled
            token = session.get(ServicePoint, device.point_id).token
            session.commit()
            response = redirect(url_for("public.kiosk", token=token), 303)
            keep_key(response, key)
            return response
    refused = request.method == "POST"
    response = make_response(render_template(
        "public/kiosk_enrol.html", code=devices.shown_code(code) if code else "",
        refused=refused, minutes=devices.CODE_MINUTES), 422 if refused else 200)
    response.headers["Cache-Control"] = "private, no-store"
    return response
