"""The upload form and the mapping form (one select per source column) of history imports."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, SelectChoice, SelectField
from wtforms.validators import AnyOf, Optional

from survey.history_import.formats import KIND_NAMES
from survey.history_import.mapping import FIELD_NAMES

KIND_CHOICES = [SelectChoice("", "Kenali otomatis dari baris judul"),
                *(SelectChoice(kind, label) for kind, label in KIND_NAMES.items())]
FIELD_CHOICES = [SelectChoice(field, label) for field, label in FIELD_NAMES.items()]


class UploadForm(FlaskForm):
    berkas = FileField("Berkas (CSV atau XLSX, paling besar 5 MB)",
                       validators=[FileRequired("Pilih berkas yang akan diimpor.")])
    jenis = SelectField("Jenis berkas", choices=KIND_CHOICES, default="")
    hari = DateField("Tanggal untuk semua baris (lembar tanpa kolom waktu)",
                     validators=[Optional()],
                     description="Lembar pengolahan data tidak mencatat waktu: tanggal ini "
                                 "menentukan periode jawabannya.")


class _MappingBase(FlaskForm):
    jenis = HiddenField(validators=[AnyOf(list(KIND_NAMES))])
    hari = DateField(validators=[Optional()])
    aksi = HiddenField()


def mapping_form(header: tuple[str, ...], fields: list[str], **kwargs) -> FlaskForm:
    """Return a form with one select per source column, chosen as `fields` says."""
    class MappingForm(_MappingBase):
        pass

    for index, cell in enumerate(header):
        setattr(MappingForm, f"kolom_{index}", SelectField(
            cell or f"(kolom {index + 1} tanpa judul)", choices=FIELD_CHOICES,
            default=fields[index]))
    return MappingForm(**kwargs)


def chosen(form: FlaskForm, count: int) -> list[str]:
    """Return the field chosen for each of a mapping form's columns."""
    return [form[f"kolom_{index}"].data for index in range(count)]
