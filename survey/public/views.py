"""Public pages."""

from flask import Blueprint, render_template

from survey import db, queries

blueprint = Blueprint("public", __name__)


@blueprint.get("/")
def home():
    """Show what SUARA is and the units that collect answers here."""
    return render_template("public/home.html", units=queries.unit_directory(db.session()))
