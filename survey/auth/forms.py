"""Forms of the account pages (flask-wtf, CSRF-protected through the session)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

REQUIRED = "Wajib diisi."


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[InputRequired(REQUIRED), Length(max=254)])
    password = PasswordField("Kata sandi", validators=[InputRequired(REQUIRED), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField("Kata sandi sekarang", validators=[InputRequired(REQUIRED)])
    new = PasswordField("Kata sandi baru", validators=[InputRequired(REQUIRED), Length(max=200)])
    confirm = PasswordField("Ulangi kata sandi baru", validators=[
        InputRequired(REQUIRED), EqualTo("new", "Kedua kata sandi baru tidak sama.")])
