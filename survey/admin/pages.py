"""Small helpers the administration views share."""

from flask import abort
from flask_wtf import FlaskForm

from survey import db, params, queries
from survey.admin import listings
from survey.models import ServicePoint, ServiceUnit


def status_of(form: FlaskForm) -> int:
    """Return 422 for a form sent back with problems, 200 for a form shown afresh."""
    return 422 if form.is_submitted() else 200


def unit_or_404(slug: str) -> ServiceUnit:
    """Return the unit an address names (its access rule has already been checked)."""
    return queries.unit_by_slug(db.session(), slug) or abort(404)


def point_or_404(unit: ServiceUnit, point_id: int) -> ServicePoint:
    """Return one of the unit's service points; another unit's point is not found here."""
    return listings.point_of(db.session(), unit.id, point_id) or abort(404)


def page_number() -> int:
    """Return the page asked for in the address (1 if none or not a number)."""
    return params.arg("page", params.page_number)


def search_text() -> str:
    """Return the search text of the address, white space collapsed, at most 100 characters."""
    return params.arg("q", params.search_text, 100)
