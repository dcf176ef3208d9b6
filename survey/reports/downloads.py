"""Downloads (report PDFs, XLSX and CSV exports) and the public results page with its badge.

Two blueprints: `downloads` under /dasbor for files, `results` under /hasil for the page the
regulation's publication duty asks for. Reports and exports are for users whose scope covers
them (survey/access.py), and every download is written to the audit log; the public page and
its badge are open to everyone.
"""

import hashlib
import io
from datetime import date
from importlib import metadata

from flask import (Blueprint, abort, current_app, g, render_template, request,
                   stream_with_context)

from analysis.ikm import CONVENTIONS
from analysis.report.badge import badge_svg
from survey import (access, attachments, audit, cache, db, indices, params, periods, queries,
                    renderer, report_profiles, zones)
from survey.figures import METHODS
from survey.reports import dashboards, documents, zone_report
from survey.reports.views import requested_scope, unit_scope
from survey.scopes import Scope

downloads = Blueprint("downloads", __name__, url_prefix="/dasbor")
results = Blueprint("results", __name__, url_prefix="/hasil")
blueprint = downloads
RELEASE = metadata.version("suara")
KINDS = ("figures", "responses")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}


def _choice(name: str, allowed, default: str) -> str:
    """Return a query parameter that must be one of `allowed`, or answer 400."""
    return params.arg(name, params.choice, name, allowed, default)


def _period(scope: Scope, unit_id: int | None = None) -> periods.Period:
    """Return the period asked for, or the latest semester with responses in the scope."""
    try:
        return indices.requested_period(db.session(), scope, request.args.get("period"), unit_id)
    except periods.UnknownPeriod as error:
        raise params.ParameterError(str(error)) from None


def _scope() -> tuple[Scope, str]:
    """Return the scope of the query string (default: the user's own) and its name, or 400/404."""
    scope = requested_scope()
    name = queries.scope_name(db.session(), scope) or abort(404)
    return scope, name


def _cached_pdf(key_parts: tuple, render, filename: str, mimetype: str = "application/pdf"):
    """Return a document rendered once per data version and day, with an ETag; audit the
    download. PDFs open in the browser, other documents are saved."""
    session = db.session()
    audit.record_now(session, "report.download", filename, detail={"report": key_parts[0]})
    # The day is in the key because the report prints its date; the release because a new
    # version may lay the same data out differently.
    key = "|".join(map(str, key_parts + (RELEASE, date.today(),
                                         queries.data_version(db.session()))))
    response = current_app.response_class(cache.cached(cache.folder("reports"), key, render),
                                          mimetype=mimetype)
    attachments.attach(response, filename, inline=mimetype == "application/pdf")
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.private, response.cache_control.max_age = True, 300
    return response.make_conditional(request)


def _unit_report(slug: str, fmt: str, mimetype: str):
    """Send a unit's report of a period, drawn by the renderer from its data."""
    unit = queries.unit_by_slug(db.session(), slug) or abort(404)
    period = _period(Scope("unit", slug), unit.id)
    locale = _choice("locale", ("id", "en"), "id")
    convention = _choice("convention", CONVENTIONS, "exact")
    # The profile's version: a new signatory, foreword or logo makes a new document.
    profile = report_profiles.version(db.session(), unit)
    return _cached_pdf(
        (f"unit-{fmt}", slug, period.label, locale, convention, profile),
        lambda: renderer.render(f"unit_{fmt}", documents.unit_report(db.session(), unit, period,
                                                                     locale, convention)),
        f"laporan-skm-{slug}-{period.label}.{fmt}", mimetype)


@downloads.get("/unit/<slug>/laporan.pdf")
@access.within(unit_scope)
def unit_pdf(slug: str):
    """Download a unit's report (Laporan Hasil SKM) of a period as PDF."""
    return _unit_report(slug, "pdf", "application/pdf")


@downloads.get("/unit/<slug>/laporan.docx")
@access.within(unit_scope)
def unit_docx(slug: str):
    """Download a unit's report of a period as an editable Word document (DOCX)."""
    return _unit_report(slug, "docx", DOCX)


@downloads.get("/unit/<slug>/laporan-zi.pdf")
@access.within(unit_scope)
def unit_zi_pdf(slug: str):
    """Download a unit's Laporan Hasil SPKP dan SPAK (Zona Integritas) of a period as PDF."""
    session = db.session()
    unit = queries.unit_by_slug(session, slug) or abort(404)
    period = _period(Scope("unit", slug), unit.id)
    locale = _choice("locale", ("id", "en"), "id")
    report = zone_report.zi_report(session, unit, period, locale)
    if report is None:
        return render_template("reports/zi_none.html", unit=unit, period=period), 404
    zone = zones.zone_of(session, unit.id)  # a new status reads the figures anew
    return _cached_pdf(
        ("unit-zi-pdf", slug, period.label, locale, report_profiles.version(session, unit),
         zone and (zone.kind, zone.since)),
        lambda: renderer.render("zi_pdf", report), f"laporan-zi-{slug}-{period.label}.pdf")


@downloads.get("/laporan.pdf")
@access.within(requested_scope)
def scope_pdf():
    """Download the aggregate report of a region, an agency or the nation as PDF."""
    scope, name = _scope()
    period = _period(scope)
    method = _choice("method", METHODS, "pooled")
    locale = _choice("locale", ("id", "en"), "id")
    stem = str(scope).replace(":", "-")
    return _cached_pdf(
        ("scope-pdf", scope, period.label, method, locale),
        lambda: renderer.render("scope_pdf", documents.scope_report(
            db.session(), scope, name, period, method, locale)),
        f"laporan-skm-{stem}-{period.label}.pdf")


def _download_name(kind: str, scope: Scope, period, fmt: str) -> str:
    """Return the file name of an export, e.g. skm-figures-region-35-2026-S1.xlsx."""
    return f"skm-{kind}-{str(scope).replace(':', '-')}-{period.label}.{fmt}"


def _send_export(scope: Scope, name: str, period, kind: str, fmt: str, **options):
    """Send an export (CSV streamed row by row, XLSX from a temporary file); audit it."""
    session, filename = db.session(), _download_name(kind, scope, period, fmt)
    audit.record_now(session, "export", filename,
                     detail={"scope": str(scope), "period": period.label, "kind": kind,
                             **options})
    if fmt == "csv":
        lines = documents.export_lines(session, scope, name, period, kind, **options)
        response = current_app.response_class(stream_with_context(lines),
                                               mimetype=FORMATS["csv"])
        return attachments.attach(response, filename)
    # Rows go through XlsxWriter's temporary files (constant memory); only the finished,
    # compressed workbook is held here. Very large scopes are better served as CSV.
    handle = io.BytesIO()
    documents.write_xlsx(session, scope, name, period, kind, handle, **options)
    response = current_app.response_class(handle.getvalue(), mimetype=FORMATS["xlsx"])
    return attachments.attach(response, filename)


@downloads.get("/unduh.<fmt>")
@access.within(requested_scope)
def export(fmt: str):
    """Download the per-element figures or the raw responses of a scope as XLSX or CSV.

    Raw responses carry no personal data; suggestion texts only on request (`saran=1`), with
    contact details hidden.
    """
    if fmt not in FORMATS:
        abort(404)
    kind = _choice("kind", KINDS, "figures")
    scope, name = _scope()
    period = _period(scope)
    if kind == "responses":
        return _send_export(scope, name, period, kind, fmt,
                            suggestions=request.args.get("saran") == "1")
    return _send_export(scope, name, period, kind, fmt,
                        method=_choice("method", METHODS, "pooled"),
                        convention=_choice("convention", CONVENTIONS, "exact"))


@results.get("/<slug>")
@access.public
def page(slug: str):
    """Show a unit's published result: latest IKM and grade, elements, trend, follow-up."""
    unit = queries.unit_by_slug(db.session(), slug) or abort(404)
    period = _period(Scope("unit", slug), unit.id) if request.args.get("period") else None
    found = dashboards.unit_page(db.session(), slug, period)
    response = current_app.response_class(render_template("reports/public.html", page=found))
    if g.get("user") is None:  # a signed-in user's page carries their name: never shared
        response.cache_control.public, response.cache_control.max_age = True, 300
    return response


@results.get("/<slug>/lencana.svg")
@access.public
def badge(slug: str):
    """Return a small SVG badge of a unit's latest IKM and grade, for other sites to embed."""
    unit = queries.unit_by_slug(db.session(), slug) or abort(404)
    scope = Scope("unit", slug)
    index = indices.unit_index(db.session(), unit, indices.default_period(db.session(), scope))
    f = index.figures
    svg = badge_svg(f.konversi, f.grade.letter if f.grade else None, index.period.label,
                    respondents=f.respondents)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    version = queries.data_version(db.session())
    key = f"{slug}|{index.period.label}|{f.min_respondents}|{version}|{RELEASE}"
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.public, response.cache_control.max_age = True, 3600
    return response.make_conditional(request)
