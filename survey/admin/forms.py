"""Forms of the administration pages (flask-wtf, CSRF-protected), with messages in Indonesian.

Forms that check against stored data (a free slug, a known period, a unit's point names) take
the session; the lists they offer come from survey/admin/listings.py.
"""

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (DateField, EmailField, FieldList, Form, FormField, HiddenField,
                     IntegerField, PasswordField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                Regexp, ValidationError)

from survey import periods
from survey.admin import listings
from survey.admin.accounts import ROLE_LABELS, Binding, scope_problem
from survey.admin.questionnaires import ItemText
from survey.admin.units import RESERVED_SLUGS, STATUSES
from survey.auth.accounts import password_problem
from survey.entry_dates import EARLIEST
from survey.models import Agency
from survey.queries import unit_by_slug
from survey.scopes import NATIONAL, Scope
from survey.typed_text import clean_text
from survey.unit_import import NAME_MAX, SLUG, SLUG_MAX

REQUIRED = "Wajib diisi."
CHOOSE = "Pilih salah satu dari daftar."
WHOLE = "Isi bilangan bulat."
DATE = "Isi tanggal yang benar."
LABEL_MAX, TEXT_MAX, POPULATION_MAX = 120, 1000, 2_000_000_000
PERIOD_LABEL = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


def collapse(value):
    """Make runs of white space single, trim the ends, drop NULs (None stays None)."""
    return " ".join(clean_text(value).split()) if isinstance(value, str) else value


def lower(value):
    return clean_text(value).lower() if isinstance(value, str) else value


def optional_int(value) -> int | None:
    """Coerce a select's value: the blank option is None."""
    return None if value in (None, "", "None") else int(value)


def bounded_day(form, field) -> None:
    """Keep a date between 1 January 2000 and the end of next year (DESIGN.md §7a)."""
    latest = periods.latest_day()
    if field.data and not EARLIEST <= field.data <= latest:
        raise ValidationError(f"Isi tanggal antara {EARLIEST:%d-%m-%Y} dan {latest:%d-%m-%Y}.")


def _length(maximum: int) -> Length:
    return Length(max=maximum, message=f"Paling banyak {maximum} karakter.")


def _name(label: str, **kwargs) -> StringField:
    return StringField(label, filters=[collapse],
                       validators=[DataRequired(REQUIRED), _length(NAME_MAX)], **kwargs)


def _select(label: str, coerce=str, required: bool = True, **kwargs) -> SelectField:
    return SelectField(label, coerce=coerce, invalid_choice_message=CHOOSE,
                       invalid_value_message=CHOOSE,
                       validators=[InputRequired(CHOOSE) if required else Optional()], **kwargs)


class AgencyChoice:
    """Mix-in: an `agency_id` select whose chosen Agency is kept as `self.agency`."""

    agency: Agency | None = None
    session: Session

    def validate_agency_id(self, field):
        self.agency = self.session.get(Agency, field.data) if field.data else None


class UnitForm(AgencyChoice, FlaskForm):
    """A new unit: its name, address (slug), agency and region, within the user's scope."""

    name = _name("Nama unit")
    slug = StringField("Alamat singkat (slug)", filters=[lower],
                       description="Huruf kecil, angka dan tanda hubung; kosongkan untuk "
                                   "dibuat dari nama.",
                       validators=[Optional(), _length(SLUG_MAX), Regexp(
                           SLUG, message="Hanya huruf kecil, angka dan tanda hubung "
                                         "(contoh: puskesmas-kenjeran).")])
    agency_id = _select("Instansi", coerce=optional_int)
    region_code = _select("Wilayah")

    def __init__(self, session: Session, scope: Scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.agency_id.choices = listings.agency_choices(
            session, listings.usable_agencies(session, scope), blank=True)
        self.region_code.choices = listings.region_choices(session, scope, blank=True)

    def validate_slug(self, field):
        if field.data in RESERVED_SLUGS:
            raise ValidationError(f"Alamat '{field.data}' dipakai sistem: pilih yang lain.")
        if field.data and unit_by_slug(self.session, field.data) is not None:
            raise ValidationError(f"Alamat '{field.data}' sudah dipakai unit lain.")


class UnitEditForm(AgencyChoice, FlaskForm):
    """A unit's name, agency (a move keeps its history) and status."""

    name = _name("Nama unit")
    agency_id = _select("Instansi", coerce=optional_int)
    status = _select("Status", choices=[SelectChoice(code, label.capitalize())
                                        for code, label in STATUSES.items()])

    def __init__(self, session: Session, scope: Scope, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.agency_id.choices = listings.agency_choices(
            session, listings.usable_agencies(session, scope))


class PointForm(FlaskForm):
    """A service point's name, unique within its unit."""

    name = _name("Nama titik layanan", description="Contoh: Loket 1, Ruang Tunggu Poli Umum")

    def __init__(self, *args, taken: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.taken = taken

    def validate_name(self, field):
        if field.data in self.taken:
            raise ValidationError(f"Nama '{field.data}' sudah dipakai titik lain di unit ini.")


class PointStateForm(FlaskForm):
    active = _select("Status", choices=[SelectChoice("1", "aktif"),
                                        SelectChoice("0", "nonaktif")])


class PopulationForm(FlaskForm):
    """The number of services a unit delivered in a period (the survey's population)."""

    label = StringField("Periode", filters=[collapse], description="Contoh: 2026-S1, 2026-Q3, "
                        "2026 atau label periode khusus",
                        validators=[DataRequired(REQUIRED), _length(40)])
    population = IntegerField("Jumlah layanan", invalid_value_message=WHOLE, validators=[
        InputRequired(WHOLE), NumberRange(1, POPULATION_MAX,
                                          f"Isi 1 sampai {POPULATION_MAX:,}".replace(",", "."))])

    def __init__(self, session: Session, unit_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session, self.unit_id, self.period = session, unit_id, None

    def validate_label(self, field):
        try:
            self.period = periods.resolve(self.session, field.data, self.unit_id)
        except periods.UnknownPeriod:
            raise ValidationError(f"Periode '{field.data}' tidak dikenal: gunakan 2026, 2026-S1, "
                                  "2026-Q3, 2026-03 atau label periode khusus unit ini.") from None


class PeriodForm(FlaskForm):
    """A unit's named custom date range; saving an existing label changes that range."""

    label = StringField("Label", filters=[collapse], description="Contoh: 2026-ramadan",
                        validators=[DataRequired(REQUIRED), _length(40), Regexp(
                            PERIOD_LABEL, message="Hanya huruf, angka, titik, garis bawah dan "
                                                  "tanda hubung, tanpa spasi.")])
    name = _name("Nama", description="Contoh: Survei Ramadan 2026")
    starts_on = DateField("Mulai", invalid_value_message=DATE,
                          validators=[InputRequired(DATE)])
    ends_on = DateField("Sampai dengan", invalid_value_message=DATE,
                        validators=[InputRequired(DATE)])

    def validate_label(self, field):
        try:
            standard = periods.parse(field.data)
        except periods.UnknownPeriod:
            return
        raise ValidationError(f"'{field.data}' sudah berarti periode baku ({standard.name}): "
                              "pilih label lain.")

    def validate_ends_on(self, field):
        """Keep a range within 2000 .. the end of next year, in order, at most three years."""
        problem = (periods.range_problem(self.starts_on.data, field.data)
                   if self.starts_on.data and field.data else None)
        if problem:
            raise ValidationError(problem)


class ItemTextForm(Form):
    """The words of one item; blank English falls back to the Indonesian text."""

    text_id = TextAreaField("Pertanyaan", filters=[collapse],
                            validators=[DataRequired(REQUIRED), _length(TEXT_MAX)])
    text_en = TextAreaField("Pertanyaan (bahasa Inggris)", filters=[collapse],
                            validators=[Optional(), _length(TEXT_MAX)])
    labels_id = FieldList(StringField("Jawaban", filters=[collapse], validators=[
        DataRequired(REQUIRED), _length(LABEL_MAX)]), min_entries=4, max_entries=4)
    labels_en = FieldList(StringField("Jawaban (bahasa Inggris)", filters=[collapse], validators=[
        Optional(), _length(LABEL_MAX)]), min_entries=4, max_entries=4)

    def item_text(self) -> ItemText:
        labels_id = tuple(self.labels_id.data)
        return ItemText(self.text_id.data, self.text_en.data or self.text_id.data, labels_id,
                        tuple(en or id_ for en, id_ in zip(self.labels_en.data, labels_id)))


class EditItemForm(ItemTextForm):
    code = HiddenField()
    position = IntegerField("Urutan", invalid_value_message=WHOLE,
                            validators=[InputRequired(WHOLE),
                                        NumberRange(1, 99, "Isi 1 sampai 99.")])


class DraftForm(FlaskForm):
    """A draft questionnaire's titles and the words and order of every item."""

    title_id = _name("Judul")
    title_en = StringField("Judul (bahasa Inggris)", filters=[collapse],
                           validators=[Optional(), _length(NAME_MAX)])
    items = FieldList(FormField(EditItemForm))

    def __init__(self, *args, codes: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = list(codes)

    def validate_items(self, field):
        if sorted(entry.code.data for entry in field.entries) != sorted(self.codes):
            raise ValidationError("Draf ini sudah berubah di halaman lain: muat ulang halaman.")

    def titles(self) -> tuple[str, str]:
        return self.title_id.data, self.title_en.data or self.title_id.data

    def texts(self) -> dict[str, ItemText]:
        return {entry.code.data: entry.form.item_text() for entry in self.items.entries}

    def order(self) -> list[str]:
        """Return the codes by the order numbers given, ties kept in page order."""
        entries = sorted(enumerate(self.items.entries),
                         key=lambda pair: (pair[1].position.data, pair[0]))
        return [entry.code.data for _, entry in entries]


def draft_data(draft) -> dict:
    """Return a DraftForm's data for a stored draft."""
    return {"title_id": draft.title_id, "title_en": draft.title_en, "items": [
        {"code": item.element_code, "position": item.position, "text_id": item.text_id,
         "text_en": item.text_en, "labels_id": item.labels_id, "labels_en": item.labels_en}
        for item in sorted(draft.items, key=lambda i: i.position)]}


class NewItemForm(FlaskForm):
    item = FormField(ItemTextForm)


class CopyForm(FlaskForm):
    source = IntegerField(invalid_value_message=CHOOSE, validators=[InputRequired(CHOOSE)])


class ScopeFields(AgencyChoice, FlaskForm):
    """An account's name, role and the scope the role is bound to (app_user's CHECK)."""

    name = _name("Nama")
    role = _select("Peran", choices=[SelectChoice(code, label)
                                     for code, label in ROLE_LABELS.items()])
    agency_id = _select("Instansi (kementerian/lembaga, instansi/dinas)", coerce=optional_int,
                        required=False)
    region_code = _select("Kode wilayah (pemerintah daerah)", coerce=lambda v: v or None,
                          required=False)
    unit_slug = StringField("Unit layanan (slug, untuk kepala unit)", filters=[lower],
                            validators=[Optional(), _length(SLUG_MAX)])

    def __init__(self, session: Session, *args, acting=None, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session, self.acting, self.editing, self.unit = session, acting, editing, None
        self.agency_id.choices = listings.agency_choices(
            session, listings.usable_agencies(session, NATIONAL), blank=True)
        self.region_code.choices = listings.region_choices(session, NATIONAL, blank=True)

    def validate_unit_slug(self, field):
        if field.data:
            self.unit = unit_by_slug(self.session, field.data)
            if self.unit is None:
                raise ValidationError(f"Tidak ada unit layanan '{field.data}'.")

    def validate_role(self, field):
        if self.editing is not None and self.editing is self.acting \
                and field.data != self.editing.role:
            raise ValidationError("Anda tidak dapat mengubah peran akun Anda sendiri.")

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        problem = scope_problem(self.binding())
        if problem:
            self.role.errors.append(problem)
        return problem is None

    def binding(self) -> Binding:
        return Binding(self.role.data, self.agency_id.data, self.region_code.data,
                       self.unit.id if self.unit else None)


class NewUserForm(ScopeFields):
    email = EmailField("E-mail", filters=[lower], validators=[
        DataRequired(REQUIRED), _length(254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Alamat e-mail tidak sah.")])
    password = PasswordField("Kata sandi sementara", validators=[Optional(), _length(200)],
                             description="Kosongkan agar dibuatkan otomatis.")

    def validate_email(self, field):
        if listings.user_by_email(self.session, field.data) is not None:
            raise ValidationError(f"Sudah ada akun dengan e-mail {field.data}.")

    def validate_password(self, field):
        _check_password(field, self.email.data or "")


def _check_password(field, email: str) -> None:
    problem = field.data and password_problem(field.data, email)
    if problem:
        raise ValidationError(problem)


def user_data(user) -> dict:
    """Return a ScopeFields form's data for a stored account."""
    return {"name": user.name, "role": user.role, "agency_id": user.agency_id,
            "region_code": user.region_code, "unit_slug": user.unit.slug if user.unit else ""}


class PasswordResetForm(FlaskForm):
    password = PasswordField("Kata sandi sementara", validators=[Optional(), _length(200)],
                             description="Kosongkan agar dibuatkan otomatis.")

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def validate_password(self, field):
        _check_password(field, self.email)


class EndSessionsForm(FlaskForm):
    """A button only: its CSRF token is the whole form."""


class UserStateForm(FlaskForm):
    active = _select("Status", choices=[SelectChoice("1", "aktif"),
                                        SelectChoice("0", "nonaktif")])

    def __init__(self, *args, acting=None, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting, self.editing = acting, editing

    def validate_active(self, field):
        if field.data == "0" and self.editing is self.acting:
            raise ValidationError("Anda tidak dapat menonaktifkan akun Anda sendiri.")


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the address (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    action = _select("Tindakan", required=False)
    since = DateField("Dari tanggal", invalid_value_message=DATE,
                      validators=[Optional(), bounded_day])
    until = DateField("Sampai tanggal", invalid_value_message=DATE,
                      validators=[Optional(), bounded_day])
    unit = StringField("Unit (slug)", filters=[lower], validators=[Optional(), _length(SLUG_MAX)])

    def __init__(self, actions: list[str], labels: dict[str, str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", "Semua")] + [
            SelectChoice(action, labels.get(action, action)) for action in actions]

    def chosen(self) -> listings.AuditFilter:
        """Return the filters that are valid; invalid ones are shown as errors and ignored."""
        valid = {name: field.data or None for name, field in self._fields.items()
                 if not field.errors}
        return listings.AuditFilter(valid.get("action"), valid.get("since"),
                                    valid.get("until"), valid.get("unit"))
