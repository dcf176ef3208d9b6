"""The form of a unit's Zona Integritas status on its admin page (survey/zones.py)."""

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional, ValidationError

from survey import zones
from survey.models import ServiceUnit, utcnow

CHOICES = [SelectChoice("", "tidak membangun Zona Integritas"),
           *(SelectChoice(kind, f"menuju {label}") for kind, label in zones.KIND_LABELS.items())]


class ZoneForm(FlaskForm):
    """Whether the unit builds a ZI, towards WBK or WBBM, and since when."""

    kind = SelectField("Status Zona Integritas", choices=CHOICES)
    since = DateField("Sejak tanggal", validators=[Optional()],
                      description="Tanggal pencanangan pembangunan Zona Integritas.")

    def __init__(self, unit: ServiceUnit, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def validate(self, extra_validators=None) -> bool:
        """Ask for the date when a kind is chosen (an empty date stops its own checks)."""
        if not super().validate(extra_validators):
            return False
        if self.kind.data and self.since.data is None:
            self.since.errors = [*self.since.errors, "Isi tanggal pencanangan Zona Integritas."]
            return False
        return True

    def validate_since(self, field):
        """Keep the date between 2000 and the unit's today."""
        problem = zones.since_bounds(self.unit, utcnow()).problem(field.data)
        if problem:
            raise ValidationError(problem)


def form_for(session: Session, unit: ServiceUnit) -> ZoneForm:
    """Return the unit's blank form showing its status now."""
    zone = zones.zone_of(session, unit.id)
    data = {"kind": zone.kind, "since": zone.since} if zone else {"kind": ""}
    return ZoneForm(unit, formdata=None, prefix="zona", data=data)

