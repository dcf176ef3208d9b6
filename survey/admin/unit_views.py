"""Views: the units within a user's scope, one unit with its service points, QR posters."""

from dataclasses import dataclass

from flask import abort, current_app, flash, g, redirect, render_template, url_for

from analysis.report.texts import text
from survey import access, attachments, audit, db, report_profiles, zones
from survey.admin import (forms, listings, pages, point_instruments, report_forms, rules, units,
                          zone_forms)
from survey.kiosks import devices
from survey.models import ServicePoint, ServiceUnit

CHANGES = {"unit_renamed": "nama diganti", "unit_moved": "dipindah ke instansi lain",
           "unit_closed": "ditutup", "unit_archived": "diarsipkan",
           "unit_reactivated": "diaktifkan kembali"}


@access.within(rules.own_scope)
def units_list():
    """List the units within the user's scope, searchable by name, a page at a time."""
    session, search = db.session(), pages.search_text()
    page = listings.units(session, access.user_scope(g.user), search, pages.page_number())
    may_create = access.may_see(session, g.user, rules.creation_scope())
    return render_template("admin/units.html", page=page, search=search, may_create=may_create)


@access.within(rules.creation_scope)
def new_unit():
    """Create a unit under an agency and in a region the user may use."""
    session = db.session()
    form = forms.UnitForm(session, access.user_scope(g.user))
    if form.validate_on_submit():
        unit = units.create_unit(session, slug=form.slug.data or units.free_slug(
            session, form.name.data), name=form.name.data, agency=form.agency,
            region_code=form.region_code.data)
        session.commit()
        flash(f"Unit {unit.name} dibuat. Tambahkan titik layanannya di bawah.")
        return redirect(url_for("admin.unit", slug=unit.slug), 303)
    return render_template("admin/unit_new.html", form=form), pages.status_of(form)


@dataclass(frozen=True)
class PointView:
    point: ServicePoint
    link: str  # the address to type, as printed on the poster
    rename: forms.PointForm
    instruments: point_instruments.PointInstrumentsForm  # SPKP, SPAK asked after the SKM


def _unit_page(unit: ServiceUnit, add_form=None, rename_forms=None, zone_form=None,
               status: int = 200):
    """Render a unit's page, with a form sent back with problems in place of its blank one."""
    from survey import qr_codes

    session, base = db.session(), current_app.config["SUARA_BASE_URL"]
    rename_forms = rename_forms or {}
    asked = point_instruments.asked_by_points(session, unit.id)
    points = [PointView(point, qr_codes.survey_address(base, point.token, qr=False),
                        rename_forms.get(point.id) or forms.PointForm(
                            formdata=None, prefix=f"p{point.id}", data={"name": point.name}),
                        point_instruments.form_for(point.id, asked.get(point.id, {})))
              for point in unit.points]
    return render_template(
        "admin/unit.html", unit=unit, points=points,
        add_form=add_form or forms.PointForm(formdata=None),
        kiosks=devices.of_unit(session, unit.id),
        zone_form=zone_form or zone_forms.form_for(session, unit),
        zone=zones.zone_of(session, unit.id),
        may_govern=rules.may_govern(session, g.user, unit)), status


@access.within(rules.unit_scope)
def unit(slug: str):
    """Show a unit, its service points (with poster links) and what may be changed."""
    return _unit_page(pages.unit_or_404(slug))


@access.within(rules.unit_governance)
def edit_unit(slug: str):
    """Rename a unit, move it to another agency, or close, archive or reactivate it."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = forms.UnitEditForm(session, access.user_scope(g.user), obj=unit)
    if form.validate_on_submit():
        done = units.update_unit(session, unit, name=form.name.data, agency=form.agency,
                                 status=form.status.data)
        session.commit()
        flash(f"Unit {unit.name}: " + (", ".join(CHANGES[action] for action in done)
                                        if done else "tidak ada perubahan") + ".")
        return redirect(url_for("admin.unit", slug=slug), 303)
    return _edit_page(unit, form=form, status=pages.status_of(form))


def _edit_page(unit: ServiceUnit, form=None, report_form=None, status: int = 200):
    """Render a unit's edit page with its unit form and its report profile form."""
    session = db.session()
    profile = report_profiles.profile_of(session, unit)
    return render_template(
        "admin/unit_edit.html", unit=unit,
        form=form or forms.UnitEditForm(session, access.user_scope(g.user), obj=unit),
        report_form=report_form or report_forms.ReportProfileForm(formdata=None, obj=profile),
        has_logo=profile.logo is not None,
        default_foreword=text("id", "foreword.default", unit=unit.name, period="<periode>")), \
        status


@access.within(rules.unit_governance)
def report_profile(slug: str):
    """Save who signs the unit's report, its kata pengantar and its logo."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = report_forms.ReportProfileForm()
    if not form.validate_on_submit():
        return _edit_page(unit, report_form=form, status=422)
    report_profiles.save_profile(
        session, unit, head_name=form.head_name.data, head_nip=form.head_nip.data,
        head_position=form.head_position.data, place=form.place.data,
        foreword=form.foreword.data, logo=form.clean_logo, drop_logo=form.drop_logo.data,
        signed_on=form.signed_on.data)
    audit.record(session, "report_profile_saved", f"unit:{unit.slug}", unit_id=unit.id,
                 detail={"head_name": form.head_name.data, "head_nip": form.head_nip.data,
                         "logo": "new" if form.clean_logo else
                                 "removed" if form.drop_logo.data else "kept"})
    session.commit()
    flash(f"Data laporan unit {unit.name} disimpan.")
    return redirect(url_for("admin.edit_unit", slug=slug, _anchor="laporan"), 303)


@access.within(rules.unit_scope)
def add_point(slug: str):
    """Add a service point (a counter or a poster) with a new token."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = forms.PointForm(taken=listings.point_names(session, unit.id))
    if not form.validate_on_submit():
        return _unit_page(unit, add_form=form, status=422)
    point = units.add_point(session, unit, form.name.data)
    session.commit()
    flash(f"Titik layanan {point.name} ditambahkan. Cetak posternya dari daftar di bawah.")
    return redirect(url_for("admin.unit", slug=slug, _anchor="titik"), 303)


@access.within(rules.unit_scope)
def rename_point(slug: str, point_id: int):
    """Rename a service point; its token, hence its printed posters, stays valid."""
    session, unit = db.session(), pages.unit_or_404(slug)
    point = pages.point_or_404(unit, point_id)
    form = forms.PointForm(prefix=f"p{point.id}",
                           taken=listings.point_names(session, unit.id) - {point.name})
    if not form.validate_on_submit():
        return _unit_page(unit, rename_forms={point.id: form}, status=422)
    if units.rename_point(session, point, form.name.data):
        session.commit()
        flash(f"Titik layanan diganti namanya menjadi {point.name}.")
    return redirect(url_for("admin.unit", slug=slug, _anchor="titik"), 303)


@access.within(rules.unit_scope)
def point_state(slug: str, point_id: int):
    """Deactivate a service point (its survey closes; its answers stay) or reactivate it."""
    session, unit = db.session(), pages.unit_or_404(slug)
    point = pages.point_or_404(unit, point_id)
    form = forms.PointStateForm()
    if form.validate_on_submit() and units.set_point_active(session, point,
                                                            form.active.data == "1"):
        session.commit()
        flash(f"Titik layanan {point.name} "
              f"{'aktif kembali' if point.active else 'dinonaktifkan: surveinya ditutup'}.")
    return redirect(url_for("admin.unit", slug=slug, _anchor="titik"), 303)


@access.within(rules.unit_scope)
def point_instruments_view(slug: str, point_id: int):
    """Choose whether a point asks the Zona Integritas surveys SPKP and SPAK after the SKM."""
    session, unit = db.session(), pages.unit_or_404(slug)
    point = pages.point_or_404(unit, point_id)
    form = point_instruments.PointInstrumentsForm(prefix=f"zi{point.id}")
    if form.validate_on_submit() and point_instruments.set_asked(session, point, form.chosen()):
        session.commit()
        flash(f"Titik layanan {point.name}: survei SPKP/SPAK yang ditanyakan diubah.")
    return redirect(url_for("admin.unit", slug=slug, _anchor="zi"), 303)


@access.within(rules.unit_scope)
def unit_zone(slug: str):
    """Set whether a unit builds a Zona Integritas towards WBK or WBBM, and since when."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = zone_forms.ZoneForm(unit, prefix="zona")
    if not form.validate_on_submit():
        return _unit_page(unit, zone_form=form, status=422)
    kind = form.kind.data or None
    if zones.set_zone(session, unit, kind, form.since.data if kind else None, g.user):
        session.commit()
        flash(f"Status Zona Integritas unit {unit.name}: "
              + (f"menuju {zones.KIND_LABELS[kind]}." if kind else "tidak ada."))
    return redirect(url_for("admin.unit", slug=slug, _anchor="zona"), 303)


@access.within(rules.unit_scope)
def poster(slug: str, point_id: int, kind: str):
    """Download a point's QR poster (PDF) or QR code (SVG, PNG); every download is audited."""
    from survey.admin import downloads

    session, unit = db.session(), pages.unit_or_404(slug)
    point = pages.point_or_404(unit, point_id)
    download = downloads.point_file(session, unit, point, kind,
                                    current_app.config["SUARA_BASE_URL"]) or abort(404)
    response = current_app.response_class(download.body, mimetype=download.mimetype)
    return attachments.attach(response, download.filename)
