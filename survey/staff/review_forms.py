"""Forms of the review of answers: a hand flag, an exclusion proposal, a decision on it."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from survey.models import EXCLUSION_REASONS, EXCLUSION_TEXT_MAX
from survey.typed_text import clean_text

FLAG_REASON_MAX = 200  # response.flag_reason
# The reasons a proposal may name, in the order the form offers them.
REASON_LABELS = dict(zip(EXCLUSION_REASONS, ("Duplikat", "Entri uji coba", "Di luar layanan",
                                              "Terskrip/otomatis")))
CHOICE_MESSAGE = "Pilih salah satu pilihan yang tersedia."
DECISIONS = {"approve": True, "refuse": False}


class FlagForm(FlaskForm):
    """Flag an answer by hand: why, in a sentence."""

    reason = StringField("Alasan tanda", filters=[clean_text], validators=[
        DataRequired("Tulis alasan tanda."),
        Length(max=FLAG_REASON_MAX, message=f"Alasan paling banyak {FLAG_REASON_MAX} karakter.")])


class ProposalForm(FlaskForm):
    """Propose to exclude (or restore) a flagged answer: a reason from the list and an account."""

    reason = StringField("Alasan", validators=[
        InputRequired("Pilih alasan."), AnyOf(EXCLUSION_REASONS, CHOICE_MESSAGE)])
    text = TextAreaField("Keterangan", filters=[clean_text], validators=[
        DataRequired("Tulis keterangan usulan."),
        Length(max=EXCLUSION_TEXT_MAX,
               message=f"Keterangan paling banyak {EXCLUSION_TEXT_MAX} karakter.")])


class DecisionForm(FlaskForm):
    """Approve or refuse a proposal; a refusal says why."""

    decision = StringField("Keputusan", validators=[
        InputRequired("Pilih keputusan."), AnyOf(tuple(DECISIONS), CHOICE_MESSAGE)])
    note = TextAreaField("Catatan", filters=[clean_text], validators=[
        Length(max=EXCLUSION_TEXT_MAX,
               message=f"Catatan paling banyak {EXCLUSION_TEXT_MAX} karakter.")])

    def validate_note(self, field) -> None:
        if self.decision.data == "refuse" and not field.data:
            raise ValidationError("Tulis alasan penolakan.")

    def approves(self) -> bool:
        """Tell whether the decision is an approval."""
        return DECISIONS[self.decision.data]


class PlainForm(FlaskForm):
    """A button with nothing to fill in: only the CSRF token is checked."""
