"""Sign in, sign out, change one's password, get a personal API token."""

from urllib.parse import urlsplit

from flask import (Blueprint, flash, g, redirect, render_template, request, session,
                   url_for)
from werkzeug.security import check_password_hash

from survey import access, audit, db
from survey.auth import accounts
from survey.auth.forms import LoginForm, PasswordForm

blueprint = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Return a local address to go on to after signing in, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def landing(user) -> str:
    """Return the page a user starts on: their unit, or their scope's ranking."""
    scope = access.user_scope(user)
    if scope.kind == "unit":
        return url_for("reports.unit", slug=scope.value)
    return url_for("reports.scope", scope=str(scope))


@blueprint.route("/masuk", methods=("GET", "POST"))
@access.public
def login():
    """Show the sign-in form; sign a user in."""
    form = LoginForm()
    problem = None
    if form.validate_on_submit():
        result = accounts.sign_in(db.session(), form.email.data, form.password.data,
                                  request.remote_addr)
        problem = result.problem
        if result.user:
            session.clear()
            session.permanent = True
            session["uid"], session["v"] = result.user.id, result.user.session_version
            g.user = result.user
            audit.record(db.session(), "login")
        db.session().commit()
        if result.user:
            return redirect(_safe_next(request.args.get("next")) or landing(result.user), 303)
    return render_template("auth/login.html", form=form, problem=problem), 200 if not problem else 401


@blueprint.post("/keluar")
@access.signed_in
def logout():
    """Sign out."""
    audit.record(db.session(), "logout")
    db.session().commit()
    session.clear()
    flash("Anda sudah keluar.")
    return redirect(url_for("auth.login"), 303)


@blueprint.route("/akun", methods=("GET", "POST"))
@access.signed_in
def account():
    """Let a user change their password."""
    form = PasswordForm()
    problem = None
    if form.validate_on_submit():
        user = g.user
        problem = (None if check_password_hash(user.password_hash, form.current.data)
                   else "Kata sandi sekarang salah.") \
            or accounts.password_problem(form.new.data, user.email)
        if not problem:
            accounts.set_password(user, form.new.data)
            session["v"] = user.session_version
            audit.record(db.session(), "password_changed", user.email)
            db.session().commit()
            flash("Kata sandi sudah diganti. Sesi lain dengan kata sandi lama sudah berakhir.")
            return redirect(url_for("auth.account"), 303)
    return render_template("auth/account.html", form=form, problem=problem)


@blueprint.post("/akun/token")
@access.signed_in
def api_token():
    """Issue a new personal API token (the old one stops working) and show it once."""
    token = accounts.new_api_token(g.user)
    audit.record(db.session(), "api_token_issued", g.user.email)
    db.session().commit()
    return render_template("auth/token.html", token=token)
