"""Views: enrolling a tablet as a kiosk of a service point, and revoking one (both audited)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup

from survey import access, db
from survey.admin import pages, rules
from survey.kiosks import devices
from survey.models import utcnow


@access.within(rules.unit_scope)
def kiosk_start(slug: str, point_id: int):
    """Issue a one-time code and its QR code that enrol a tablet at a point."""
    from survey import qr_codes

    session, unit = db.session(), pages.unit_or_404(slug)
    point = pages.point_or_404(unit, point_id)
    name = " ".join(request.form.get("name", "").split()) or f"Tablet {point.name}"
    device, code = devices.start(session, point, name, g.user,
                                 current_app.config["SECRET_KEY"], utcnow())
    expires = device.code_expires_at
    session.commit()
    address = (f"{current_app.config['SUARA_BASE_URL'].rstrip('/')}"
               f"{url_for('public.kiosk_enrol', kode=code)}")
    qr = Markup(qr_codes.qr_svg(address, scale=6).decode())
    response = current_app.make_response(render_template(
        "admin/kiosk_code.html", unit=unit, point=point, device=device,
        code=devices.shown_code(code), address=address, qr=qr, expires=expires,
        minutes=devices.CODE_MINUTES))
    # The code is shown once and never kept in a cache or the history's copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@access.within(rules.unit_scope)
def kiosk_revoke(slug: str, device_id: int):
    """Revoke a kiosk: its tablet opens and sends nothing any more."""
    session, unit = db.session(), pages.unit_or_404(slug)
    device = devices.device_of_unit(session, unit.id, device_id)
    if device is not None and devices.revoke(session, device, utcnow()):
        session.commit()
        flash(f"Pendaftaran kios {device.name} dicabut.")
    return redirect(url_for("admin.unit", slug=slug, _anchor="kios"), 303)
