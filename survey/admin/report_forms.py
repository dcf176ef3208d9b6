"""The form of a unit's report profile: signatory, place, kata pengantar and logo."""

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from survey import report_profiles
from survey.entry_dates import EARLIEST
from survey.admin.forms import collapse
from survey.typed_text import clean_text

FOREWORD_MAX = 5000


def _length(maximum: int) -> Length:
    return Length(max=maximum, message=f"Paling banyak {maximum} karakter.")


def _paragraphs(value):
    """Keep paragraphs (blank lines) but trim each line and drop NULs."""
    if not isinstance(value, str):
        return value
    lines = [" ".join(line.split()) for line in clean_text(value).replace("\r", "").split("\n")]
    return "\n".join(lines).strip()


class ReportProfileForm(FlaskForm):
    """Who signs the unit's report and what its front matter says; all fields optional."""

    head_name = StringField("Nama kepala unit", filters=[collapse],
                            validators=[Optional(), _length(200)],
                            description="Dengan gelar, seperti tertulis di bawah tanda tangan.")
    head_nip = StringField("NIP", filters=[lambda v: v.replace(" ", "") if v else v],
                           validators=[Optional(), Regexp(report_profiles.NIP.pattern, message=(
                               "NIP terdiri atas 18 angka, tanpa spasi atau tanda baca."))],
                           description="18 angka, contoh: 197501012000031001")
    head_position = StringField("Jabatan", filters=[collapse],
                                validators=[Optional(), _length(200)],
                                description="Kosongkan untuk memakai \u201cKepala <nama "
                                            "unit>\u201d.")
    place = StringField("Tempat penandatanganan", filters=[collapse],
                        validators=[Optional(), _length(100)],
                        description="Kosongkan untuk memakai nama kabupaten/kota unit.")
    signed_on = DateField("Tanggal penandatanganan", validators=[Optional()],
                          description="Kosongkan untuk memakai tanggal laporan dibuat.")
    foreword = TextAreaField("Kata pengantar", filters=[_paragraphs],
                             validators=[Optional(), _length(FOREWORD_MAX)],
                             render_kw={"rows": 10},
                             description="Pisahkan paragraf dengan baris kosong. Kosongkan "
                                         "untuk memakai teks bawaan di bawah ini.")
    logo = FileField("Logo (PNG atau JPEG, paling besar 1 MB)")
    drop_logo = BooleanField("Hapus logo yang tersimpan")

    def validate_signed_on(self, field):
        """Keep the signing date between 2000 and the end of next year."""
        latest = date(date.today().year + 1, 12, 31)
        if field.data and not EARLIEST <= field.data <= latest:
            raise ValidationError(f"Isi tanggal antara {EARLIEST:%d-%m-%Y} dan "
                                  f"{latest:%d-%m-%Y}.")

    def validate_logo(self, field):
        """Check the sent logo; keep the cleaned image for the view."""
        self.clean_logo = None
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            return
        body = upload.read(report_profiles.LOGO_MAX_BYTES + 1)
        try:
            self.clean_logo = report_profiles.clean_logo(body)
        except report_profiles.LogoProblem as problem:
            raise ValidationError(str(problem)) from None
