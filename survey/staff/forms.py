"""The paper-entry form: built for typing a stack of questionnaires with the keyboard only."""

import uuid

from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from analysis.elements import ELEMENTS
from survey.public.forms import clean_text
from survey.vocab import AGE_MAX, AGE_MIN, EDUCATIONS, GENDERS, OCCUPATIONS

ANSWER_MESSAGE = "Isi angka 1 sampai 4."


def _is_uuid(form, field) -> None:
    try:
        uuid.UUID(field.data)
    except (TypeError, ValueError):
        raise ValidationError("Formulir rusak: muat ulang halaman.") from None


def _choices(vocabulary: dict) -> list[SelectChoice]:
    return [SelectChoice("", "—")] + [SelectChoice(code, labels[0])
                                      for code, labels in vocabulary.items()]


class PaperForm(FlaskForm):
    """One paper questionnaire: the date on the sheet, nine answers, the profile, a suggestion."""

    client_uuid = HiddenField(default=lambda: str(uuid.uuid4()), validators=[_is_uuid])
    answered_on = DateField("Tanggal pengisian", validators=[InputRequired("Isi tanggal.")])
    # Stripped: a tampered " " would pass Optional() and then fail the column's CHECK.
    gender = SelectField("Jenis kelamin", choices=_choices(GENDERS), filters=[clean_text],
                         validators=[Optional()])
    age = IntegerField("Umur", validators=[Optional(), NumberRange(
        AGE_MIN, AGE_MAX, f"Umur {AGE_MIN} sampai {AGE_MAX} tahun.")])
    education = SelectField("Pendidikan", choices=_choices(EDUCATIONS), filters=[clean_text],
                            validators=[Optional()])
    occupation = SelectField("Pekerjaan", choices=_choices(OCCUPATIONS), filters=[clean_text],
                             validators=[Optional()])
    service_type = StringField("Layanan", validators=[Optional(), Length(max=200)])
    suggestion = TextAreaField("Saran", validators=[Optional(), Length(max=2000)])

    def answers(self) -> dict[str, int]:
        """Return the nine answers by element code."""
        return {element.code: self[element.code].data for element in ELEMENTS}

    def sheet_uuid(self) -> uuid.UUID:
        """Return the id that makes a second press of the button store nothing new."""
        return uuid.UUID(self.client_uuid.data)

    def profile(self) -> dict:
        """Return the profile columns, blanks as None."""
        return {"gender": self.gender.data or None, "age": self.age.data,
                "education": self.education.data or None,
                "occupation": self.occupation.data or None,
                "service_type": self.service_type.data or None,
                "suggestion": self.suggestion.data or None}


for _element in ELEMENTS:
    setattr(PaperForm, _element.code, IntegerField(
        _element.code, description=_element.name_id,
        validators=[InputRequired(ANSWER_MESSAGE), NumberRange(1, 4, ANSWER_MESSAGE)]))
