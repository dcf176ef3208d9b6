"""Views (administrators only): the servers whose packages of figures this server accepts."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from survey import access, audit, db
from survey.exchange import sources
from survey.exchange.signing import ExchangeRefused
from survey.models import utcnow


class SourceForm(FlaskForm):
    name = StringField("Nama server sumber", validators=[
        DataRequired("Isi nama server sumber."), Length(max=sources.NAME_MAX)])
    public_key = StringField("Kunci publik (base64, dari `suara exchange keygen`)",
                             validators=[DataRequired("Isi kunci publik."), Length(max=64)])


class RevokeForm(FlaskForm):
    """A button: its CSRF token is all it sends."""


def _page(form: SourceForm, status: int = 200):
    return render_template("admin/exchange_sources.html", form=form, revoke=RevokeForm(),
                           rows=sources.listing(db.session())), status


@access.admin_only
def exchange_sources():
    """List the trusted sources with their units and last package."""
    return _page(SourceForm(formdata=None))


@access.admin_only
def add_source():
    """Register a source's public key."""
    session, form = db.session(), SourceForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        source = sources.trust(session, form.name.data, form.public_key.data, g.user.id)
    except ExchangeRefused as refused:
        form.public_key.errors = [str(refused)]
        return _page(form, 400)
    audit.record(session, "exchange_trust", source.name, detail={"key_id": source.key_id})
    session.commit()
    flash(f"Sumber {source.name} terdaftar: paketnya diterima mulai sekarang.")
    return redirect(url_for("admin.exchange_sources"))


@access.admin_only
def revoke_source(source_id: int):
    """Stop accepting a source's packages (its units keep the figures already received)."""
    session = db.session()
    if not RevokeForm().validate_on_submit():
        abort(400)
    source = sources.revoke(session, source_id, utcnow()) or abort(404)
    audit.record(session, "exchange_revoke", source.name, detail={"key_id": source.key_id})
    session.commit()
    flash(f"Sumber {source.name} dihapus dari daftar tepercaya: paketnya tidak diterima lagi.")
    return redirect(url_for("admin.exchange_sources"))
