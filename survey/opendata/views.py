"""Open data routes: the /data page, the /data.json catalogue and each semester's files.

Everything here is public and read-only. Files and the catalogue are rendered once per data
version (survey/cache.py) and carry an ETag, so a harvester that asks again gets a 304.
"""

import hashlib
import json
from importlib import metadata

from flask import Blueprint, current_app, g, render_template, request

from survey import access, attachments, cache, db, queries, samples
from survey.opendata import catalogue, tables

blueprint = Blueprint("opendata", __name__)
RELEASE = metadata.version("suara")
MIMETYPES = {"csv": "text/csv", "json": "application/json"}  # Flask adds text/csv's charset
MAX_AGE = 300  # as the public results page


def _cached(key_parts: tuple, render, mimetype: str):
    """Return a body rendered once per data version, release and key, public with an ETag."""
    key = "|".join(map(str, key_parts + (RELEASE, queries.data_version(db.session()))))
    body = cache.cached(cache.folder("open-data"), key, render)
    response = current_app.response_class(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.public, response.cache_control.max_age = True, MAX_AGE
    return response.make_conditional(request)


def _publisher() -> tuple[str, str]:
    config = current_app.config
    return (config.get("SUARA_DATA_PUBLISHER") or catalogue.DEFAULT_PUBLISHER,
            catalogue.contact_email(config.get("SUARA_DATA_CONTACT_EMAIL", ""),
                                    config["SUARA_BASE_URL"]))


@blueprint.get("/data")
@access.public
def index():
    """List the published semesters with their files, the catalogue and the data dictionary."""
    datasets = catalogue.published(db.session(), catalogue.closing_day())
    response = current_app.response_class(render_template(
        "public/open_data.html", datasets=datasets, columns=tables.COLUMNS,
        license=tables.LICENSE, minimum=samples.min_respondents()))
    if g.get("user") is None:  # a signed-in page carries the user's name: never shared
        response.cache_control.public, response.cache_control.max_age = True, MAX_AGE
    return response


@blueprint.get("/data.json")
@access.public
def data_json():
    """Return the DCAT-US 1.1 catalogue of the published semesters."""
    today, base = catalogue.closing_day(), current_app.config["SUARA_BASE_URL"]
    publisher, email = _publisher()

    def render() -> bytes:
        datasets = catalogue.published(db.session(), today)
        document = catalogue.catalogue(datasets, base, publisher, email)
        return json.dumps(document, ensure_ascii=False, indent=1).encode()

    return _cached(("catalogue", today, base, publisher, email), render, "application/json")


@blueprint.get("/data/<label>/units.<fmt>")
@access.public
def units(label: str, fmt: str):
    """Return a published semester's unit figures as CSV or JSON; 404 for any other period."""
    if fmt not in MIMETYPES:
        return _missing("Berkas tersedia sebagai units.csv dan units.json.")
    today = catalogue.closing_day()
    try:
        period = catalogue.find(db.session(), label, today).period
    except catalogue.NotPublished as reason:
        return _missing(str(reason))
    page = current_app.config["SUARA_BASE_URL"] + "/data#kolom"

    def render() -> bytes:
        rows = tables.unit_rows(db.session(), period)
        return tables.csv_bytes(rows) if fmt == "csv" else tables.json_bytes(period, rows, page)

    response = _cached(("units", period.label, fmt, page, samples.min_respondents()), render,
                       MIMETYPES[fmt])
    if fmt == "csv":
        attachments.attach(response, f"skm-unit-{period.label}.csv")
    return response


def _missing(reason: str):
    """Answer 404 with a page that says, politely, why there is no such file."""
    return render_template("public/open_data_missing.html", reason=reason), 404
