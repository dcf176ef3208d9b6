"""Marking an integrity alert noted or handled: the levels above its unit only, audited.

A unit sees its own alerts but never closes them: they are the answers a unit has most reason
to hide, so the account that closes one lies outside it (as for exclusions, DESIGN.md §7a).
"""

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

from survey import access, audit
from survey.models import IntegrityAlert, User, utcnow
from survey.scopes import Scope

NOTE_MAX = 1000
STATUS_NAMES = {"open": "terbuka", "noted": "dicatat", "handled": "ditangani"}


class HandleForm(FlaskForm):
    """A level above marks an alert noted or handled; handled needs a note of what was done."""

    status = SelectField("Status", choices=[SelectChoice("noted", "dicatat"),
                                            SelectChoice("handled", "ditangani")])
    note = TextAreaField("Catatan", validators=[Length(max=NOTE_MAX)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.status.data == "handled" and not (self.note.data or "").strip():
            self.note.errors = ["Tuliskan apa yang dilakukan sebelum menandai ditangani."]
            return False
        return True


class Refused(Exception):
    """A change the user may not make (status 403) or of an unknown alert (404)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def handle(session: Session, alert_id: int, status: str, note: str | None,
           user: User) -> IntegrityAlert:
    """Set an alert's status and note as `user`, and audit it. Flush only."""
    alert = session.get(IntegrityAlert, alert_id)
    if alert is None:
        raise Refused(f"Peringatan #{alert_id} tidak ditemukan.", 404)
    if user.role not in access.ABOVE_UNITS or not access.may_see(
            session, user, Scope("unit", alert.unit.slug)):
        raise Refused("Hanya tingkat di atas unit ini yang dapat menandai peringatan.", 403)
    before = alert.status
    alert.status, alert.note = status, (note or "").strip() or None
    alert.handled_by, alert.handled_at = user.id, utcnow()
    audit.record(session, f"integrity_alert_{status}", f"integrity_alert:{alert.id}",
                 unit_id=alert.unit_id,
                 detail={"aspect": alert.aspect, "before": before, "note": alert.note})
    session.flush()
    return alert
