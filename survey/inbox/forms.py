"""Forms of the inbox and the follow-up plans (flask-wtf, CSRF-protected).

Labels, hints and messages are keys of survey/inbox/strings.py, shown in the request's locale.
"""

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (BooleanField, DateField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, TextAreaField, widgets)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from analysis.elements import ELEMENTS
from analysis.tagging import Rule
from survey import periods
from survey.i18n import STRINGS, current_locale, t
from survey.inbox.listing import Filters
from survey.models import CASE_STATUSES, FOLLOW_UP_STATUSES
from survey.typed_text import clean_text

REQUIRED = "inbox.error.required"
CHOOSE = "inbox.error.choose"
ANSWER_MAX, TEXT_MAX, OWNER_MAX = 5000, 2000, 200
# WTForms' own messages that these forms can show, by their key here.
WTFORMS_MESSAGES = {"Not a valid date value.": "inbox.error.date"}


def _length(maximum: int) -> Length:
    return Length(max=maximum, message="inbox.error.too_long")


def element_choices(blank: bool = False) -> list[SelectChoice]:
    """Return the nine elements as choices, named in the request's locale."""
    locale = current_locale()
    choices = [SelectChoice(e.code, f"{e.code} {e.name(locale)}") for e in ELEMENTS]
    return [SelectChoice("", t("inbox.all")), *choices] if blank else choices


def _statuses(codes, prefix: str, blank: bool = False) -> list[SelectChoice]:
    choices = [SelectChoice(code, t(f"{prefix}.{code}")) for code in codes]
    return [SelectChoice("", t("inbox.all")), *choices] if blank else choices


class LocalisedForm(FlaskForm):
    """A form whose label, hint and message keys are shown in the request's locale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        table = STRINGS[current_locale()]
        for field in self:
            field.label.text = table.get(field.label.text, field.label.text)
            field.description = table.get(field.description, field.description)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        table = STRINGS[current_locale()]
        for field in self:
            field.errors = [table.get(WTFORMS_MESSAGES.get(error, error), error)
                            for error in field.errors]
        return valid


def _select(label: str, **kwargs) -> SelectField:
    return SelectField(label, invalid_choice_message=CHOOSE, invalid_value_message=CHOOSE,
                       **kwargs)


class FilterForm(LocalisedForm):
    """The inbox's filters, read from the address (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = _select("inbox.field.status", validators=[Optional()])
    tag = _select("inbox.field.tag", validators=[Optional()])
    q = StringField("inbox.field.search", filters=[clean_text], validators=[_length(100)])
    # The periods with answers are offered (`offer_periods`); one named in an address is also
    # taken, or named back as unknown.
    period = SelectField("inbox.field.period", validate_choice=False,
                         filters=[clean_text], validators=[_length(40)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _statuses(CASE_STATUSES, "inbox.status", blank=True)
        self.tag.choices = element_choices(blank=True)

    def offer_periods(self, listed: list[periods.Period]) -> None:
        """Offer every period, the listed ones and the one asked for (if it is another)."""
        choices = [("", t("inbox.period.all"))] + [(p.label, p.name) for p in listed]
        asked = self.period.data
        if asked and asked not in {value for value, _ in choices}:
            choices.append((asked, asked))
        self.period.choices = choices

    def chosen(self, session: Session, unit_id: int) -> Filters:
        """Return the filters of the valid fields (after validation); others are ignored."""
        period = None
        if self.period.data and not self.period.errors:
            try:
                period = periods.resolve(session, self.period.data, unit_id)
            except periods.UnknownPeriod:
                self.period.errors = [t("inbox.error.period")]
        return Filters(None if self.status.errors else self.status.data or None,
                       None if self.tag.errors else self.tag.data or None,
                       "" if self.q.errors else " ".join((self.q.data or "").split()), period)


class TagsForm(LocalisedForm):
    tags = SelectMultipleField("inbox.field.tags", validate_choice=True,
                               widget=widgets.ListWidget(prefix_label=False),
                               option_widget=widgets.CheckboxInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags.choices = element_choices()


class StatusForm(LocalisedForm):
    status = _select("inbox.field.status", validators=[InputRequired(CHOOSE)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = _statuses(CASE_STATUSES, "inbox.status")


class ReplyForm(LocalisedForm):
    body = TextAreaField("inbox.field.reply", filters=[clean_text],
                         validators=[DataRequired(REQUIRED), _length(ANSWER_MAX)])


class PublicAnswerForm(LocalisedForm):
    suggestion = TextAreaField("inbox.field.public_suggestion", filters=[clean_text],
                               description="inbox.hint.public_suggestion",
                               validators=[Optional(), _length(TEXT_MAX)])
    answer = TextAreaField("inbox.field.public_answer", filters=[clean_text],
                           description="inbox.hint.public_answer",
                           validators=[Optional(), _length(TEXT_MAX)])


class RuleForm(LocalisedForm):
    element = _select("inbox.field.element", validators=[InputRequired(CHOOSE)])
    keyword = StringField("inbox.field.keyword", description="inbox.hint.keyword",
                          validators=[DataRequired(REQUIRED)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.element.choices = element_choices()

    def validate_keyword(self, field) -> None:
        try:
            Rule.of("U1", field.data)
        except ValueError:
            raise ValidationError("inbox.error.keyword") from None

    def rule(self) -> Rule:
        """Return the rule the form describes (after validation)."""
        return Rule.of(self.element.data, self.keyword.data)


class FollowUpForm(LocalisedForm):
    """One action of a follow-up plan: element, action, owner, due date, status, evidence."""

    element_code = _select("rtl.field.element", validators=[InputRequired(CHOOSE)])
    action = TextAreaField("rtl.field.action", filters=[clean_text],
                           validators=[DataRequired(REQUIRED), _length(TEXT_MAX)])
    owner = StringField("rtl.field.owner", filters=[clean_text],
                        validators=[DataRequired(REQUIRED), _length(OWNER_MAX)])
    due = DateField("rtl.field.due", validators=[InputRequired("inbox.error.date")])
    status = _select("rtl.field.status", validators=[InputRequired(CHOOSE)])
    evidence = TextAreaField("rtl.field.evidence", filters=[clean_text],
                             description="rtl.hint.evidence",
                             validators=[Optional(), _length(TEXT_MAX)])
    published = BooleanField("rtl.field.published", description="rtl.hint.published")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.element_code.choices = element_choices()
        self.status.choices = _statuses(FOLLOW_UP_STATUSES, "rtl.status")

    def values(self) -> dict:
        """Return the action's column values."""
        return {"element_code": self.element_code.data, "action": self.action.data,
                "owner": self.owner.data, "due": self.due.data, "status": self.status.data,
                "evidence": self.evidence.data or None, "published": self.published.data}
