"""Pages of invitations by message: a unit's upload of served transactions and its messages
(with WhatsApp links for staff who send by hand), the citizen's opt-out, the message log."""

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError

from survey import access, audit, db, queries
from survey.invitations import blueprint, message_list, optouts, transactions
from survey.invitations import messages as sending
from survey.models import utcnow


class UploadForm(FlaskForm):
    """A CSV file of served transactions."""

    transactions = FileField("Berkas transaksi terlayani (CSV)",
                             validators=[FileRequired("Pilih berkas CSV.")])


class ConfirmForm(FlaskForm):
    """A button, with its CSRF token."""


def _unit(slug: str):
    return queries.unit_by_slug(db.session(), slug) or abort(404)


@blueprint.route("/dasbor/unit/<slug>/undangan/pesan", methods=("GET", "POST"))
@access.unit_staff
def messages(slug: str):
    """Upload served transactions (all rows or none); list the unit's messages."""
    unit, form, config = _unit(slug), UploadForm(), current_app.config
    problems = _upload(unit, form) if form.validate_on_submit() else []
    if problems is None:
        return redirect(url_for("invitations.messages", slug=slug), 303)
    listing = message_list.unit_messages(db.session(), unit, config["SUARA_BASE_URL"],
                                         config["SECRET_KEY"])
    page = render_template("invitations/messages.html", unit=unit, form=form, problems=problems,
                           listing=listing, statuses=message_list.STATUS_NAMES,
                           channels=message_list.CHANNEL_NAMES, confirm=ConfirmForm())
    return page, 422 if problems else 200


def _upload(unit, form: UploadForm) -> list[str] | None:
    """Invite the transactions of an uploaded file (committed); return its problems, or None."""
    session, now = db.session(), utcnow()
    try:
        found = transactions.read(session, unit, form.transactions.data.read(
            transactions.MAX_BYTES + 1), now)
    except transactions.FileRefused as refused:
        return refused.problems
    invited, skipped = transactions.invite(session, found, current_app.config["SECRET_KEY"],
                                           now, g.user.id)
    audit.record(session, "invitations_uploaded", unit.slug, unit_id=unit.id,
                 detail={"invited": invited, "skipped": skipped})
    session.commit()
    skipped_text = f" {skipped} kontak dilewati: tidak ingin dihubungi." if skipped else ""
    flash(f"{invited} undangan dibuat dan akan dikirim.{skipped_text}")
    return None


@blueprint.route("/dasbor/unit/<slug>/undangan/pesan/<int:message_id>/terkirim",
                 methods=("POST",))
@access.unit_staff
def mark_sent(slug: str, message_id: int):
    """Record that staff sent a waiting message by hand (its contact is then deleted)."""
    unit, session = _unit(slug), db.session()
    if ConfirmForm().validate_on_submit() and sending.sent_by_hand(session, unit.id, message_id,
                                                                     utcnow()):
        session.commit()
        flash("Pesan dicatat terkirim; kontaknya dihapus.")
    return redirect(url_for("invitations.messages", slug=slug), 303)


@blueprint.route("/berhenti/<digest>", methods=("GET", "POST"))
@access.public
def opt_out(digest: str):
    """Ask, then record, that a contact gets no more messages (kept as its hash only)."""
    if not optouts.is_hash(digest):
        abort(404)
    form = ConfirmForm()
    done = False
    if form.validate_on_submit():
        session = db.session()
        try:
            optouts.opt_out(session, digest)
            session.commit()
        except IntegrityError:  # the same link confirmed twice at once
            session.rollback()
        done = True
    return render_template("invitations/opt_out.html", form=form, done=done)


@blueprint.route("/admin/pesan-uji")
@access.admin_only
def message_log():
    """Show the messages the development gateway wrote instead of sending."""
    return render_template("invitations/message_log.html",
                           entries=message_list.logged(db.session()))
