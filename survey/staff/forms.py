"""The paper-entry form: built for typing a stack of questionnaires with the keyboard only."""

import uuid

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from analysis.elements import ELEMENTS
from survey.entry_dates import DateBounds
from survey.i18n import translate
from survey.public.forms import coded_field
from survey.typed_text import clean_text
from survey.vocab import AGE_MAX, AGE_MIN, EDUCATIONS, GENDERS, OCCUPATIONS

ANSWER_MESSAGE = "Isi angka 1 sampai 4."
CHOICE_MESSAGE = translate("id", "error.choice_invalid")


def _is_uuid(form, field) -> None:
    try:
        uuid.UUID(field.data)
    except (TypeError, ValueError):
        raise ValidationError("Formulir rusak: muat ulang halaman.") from None


def _choice_field(label: str, vocabulary: dict) -> SelectField:
    choices = [SelectChoice("", "—")] + [SelectChoice(code, labels[0])
                                         for code, labels in vocabulary.items()]
    return coded_field(SelectField, label, vocabulary, choices, CHOICE_MESSAGE)


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

    # The days a sheet may carry (the batch's range within the unit's bounds), set by the view.
    bounds: DateBounds | None = None

    def validate_answered_on(self, field) -> None:
        if self.bounds is None or field.data is None or field.data in self.bounds:
            return
        raise ValidationError(
            f"Tanggal {field.data:%d-%m-%Y} di luar rentang batch ini "
            f"({self.bounds.earliest:%d-%m-%Y} s.d. {self.bounds.latest:%d-%m-%Y}).")

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


SHEETS_MAX = 1000


class BatchForm(FlaskForm):
    """A stack of sheets declared before it is typed in: channel, numbers, count, days."""

    channel = SelectField("Saluran", choices=[SelectChoice("paper", "Kuesioner kertas"),
                                              SelectChoice("interview", "Wawancara")])
    sheet_numbers = StringField("Nomor lembar (seperti tertulis di kertas)", filters=[clean_text],
                                validators=[InputRequired("Isi nomor lembar, misalnya 001-040."),
                                            Length(max=200)])
    sheets_declared = IntegerField("Jumlah lembar", validators=[
        InputRequired("Isi jumlah lembar."),
        NumberRange(1, SHEETS_MAX, f"Jumlah lembar 1 sampai {SHEETS_MAX}.")])
    first_day = DateField("Tanggal lembar pertama", validators=[InputRequired("Isi tanggal.")])
    last_day = DateField("Tanggal lembar terakhir", validators=[InputRequired("Isi tanggal.")])
    note = TextAreaField("Catatan", filters=[clean_text], validators=[Optional(), Length(max=1000)])

    # The unit's bounds (survey/entry_dates.py), set by the view.
    bounds: DateBounds | None = None

    def _check(self, field) -> None:
        problem = self.bounds.problem(field.data) if self.bounds and field.data else None
        if problem:
            raise ValidationError(problem)

    validate_first_day = _check

    def validate_last_day(self, field) -> None:
        self._check(field)
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError("Tanggal lembar terakhir tidak boleh sebelum tanggal lembar "
                                  "pertama.")


class ScanForm(FlaskForm):
    """One scan of a batch's sheets."""

    scan = FileField("Pindaian lembar (PDF, JPEG atau PNG)",
                     validators=[FileRequired("Pilih berkas pindaian.")])
