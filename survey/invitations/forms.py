"""Forms of the invitation pages of staff (flask-wtf, CSRF-protected), in Indonesian."""

from datetime import timedelta

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from survey.invitations.api_keys import NAME_MAX
from survey.invitations.codes import MAX_PER_ISSUE, MAX_VALID, MIN_VALID, VALID_FOR
from survey.typed_text import clean_text

WHOLE = "Isi bilangan bulat."
UNITS = {"hari": timedelta(days=1), "jam": timedelta(hours=1)}


class IssueForm(FlaskForm):
    """How many codes to print, and how long they stay valid (within codes.MIN/MAX_VALID)."""

    count = IntegerField("Jumlah kode", default=21, invalid_value_message=WHOLE, validators=[
        InputRequired(WHOLE), NumberRange(1, MAX_PER_ISSUE, f"Isi 1 sampai {MAX_PER_ISSUE}.")],
        description="Satu lembar A4 memuat 21 kode.")
    valid_amount = IntegerField("Berlaku selama", default=VALID_FOR.days,
                                invalid_value_message=WHOLE,
                                validators=[InputRequired(WHOLE), NumberRange(1, 10_000, WHOLE)])
    valid_unit = SelectField("Satuan", choices=[SelectChoice(unit, unit) for unit in UNITS],
                             default="hari", invalid_choice_message="Pilih jam atau hari.")

    def validate_valid_amount(self, field):
        if field.data is not None and not MIN_VALID <= self.valid_for <= MAX_VALID:
            raise ValidationError(f"Masa berlaku paling singkat {MIN_VALID.seconds // 3600} jam "
                                  f"dan paling lama {MAX_VALID.days} hari.")

    @property
    def valid_for(self) -> timedelta:
        """Return the chosen validity."""
        return (self.valid_amount.data or 0) * UNITS.get(self.valid_unit.data, UNITS["hari"])


class KeyForm(FlaskForm):
    """The name of a new API key: what machine or application holds it."""

    name = StringField("Nama mesin atau aplikasi", filters=[
        lambda value: " ".join(clean_text(value).split()) if isinstance(value, str) else value])

    def validate_name(self, field):
        if len(field.data or "") > NAME_MAX:
            raise ValidationError(f"Paling banyak {NAME_MAX} karakter.")
