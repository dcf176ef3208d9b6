"""The paper-entry form: built for typing a stack of questionnaires with the keyboard only."""

import uuid

from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from analysis.elements import ELEMENTS
from survey.public.forms import one_of
from survey.typed_text import clean_text
from survey.vocab import AGE_MAX, AGE_MIN, EDUCATIONS, GENDERS, OCCUPATIONS

ANSWER_MESSAGE = "Isi angka 1 sampai 4."
CHOICE_MESSAGE = "Pilih salah satu pilihan yang tersedia."


def _is_uuid(form, field) -> None:
    try:
        uuid.UUID(field.data)
    except (TypeError, ValueError):
        raise ValidationError("Formulir rusak: muat ulang halaman.") from None


def _choice_field(label: str, vocabulary: dict) -> SelectField:
    """Return a profile choice; blank allowed. Stripped: a tampered " " would pass Optional()
    and then fail the column's CHECK; any other value is named in Indonesian."""
    choices = [SelectChoice("", "—")] + [SelectChoice(code, labels[0])
                                         for code, labels in vocabulary.items()]
    return SelectField(label, choices=choices, validate_choice=False, filters=[clean_text],
                       validators=[Optional(), one_of(vocabulary, CHOICE_MESSAGE)])


class PaperForm(FlaskForm):
    """One paper questionnaire: the date on the sheet, nine answers, the profile, a suggestion."""

    client_uuid = HiddenField(default=lambda: str(uuid.uuid4()), validators=[_is_uuid])
    answered_on = DateField("Tanggal pengisian", validators=[InputRequired("Isi tanggal.")])
    gender = _choice_field("Jenis kelamin", GENDERS)
    age = IntegerField("Umur", validators=[Optional(), NumberRange(
        AGE_MIN, AGE_MAX, f"Umur {AGE_MIN} sampai {AGE_MAX} tahun.")])
    education = _choice_field("Pendidikan", EDUCATIONS)
    occupation = _choice_field("Pekerjaan", OCCUPATIONS)
    service_type = StringField("Layanan", filters=[clean_text],
                               validators=[Optional(), Length(max=200)])
    suggestion = TextAreaField("Saran", filters=[clean_text],
                               validators=[Optional(), Length(max=2000)])

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
