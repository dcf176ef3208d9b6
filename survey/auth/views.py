"""Sign in, sign out, change one's password, get a personal API token."""

import re
from datetime import timedelta
from math import ceil

from flask import (Blueprint, flash, g, redirect, render_template, request, session,
                   url_for)
from werkzeug.security import check_password_hash

from survey import access, audit, db
from survey.auth import accounts, throttle
from survey.auth.forms import LoginForm, PasswordForm
from survey.auth.signin_gate import LOGIN_PATH

blueprint = Blueprint("auth", __name__)

MAX_NEXT = 512
# A local path and query of printable URL characters: no scheme, no host (//host, /\host),
# no backslash, space, control character or fragment; anything else: the landing page.
_LOCAL = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*")


def safe_next(target: str | None) -> str | None:
    """Return a local address to go on to after signing in, or None for the landing page."""
    if not target or len(target) > MAX_NEXT or not _LOCAL.fullmatch(target):
        return None
    return target


def landing(user) -> str:
    """Return the page a user starts on: their unit, or their scope's ranking."""
    scope = access.user_scope(user)
    if scope.kind == "unit":
        return url_for("reports.unit", slug=scope.value)
    return url_for("reports.scope", scope=str(scope))


@blueprint.route(LOGIN_PATH, methods=("GET", "POST"))
@access.public
def login():
    """Show the sign-in form; sign a user in (the hash runs outside any transaction)."""
    target, form = safe_next(request.args.get("next")), LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    with throttle.one_try_at_a_time(request.remote_addr) as free:
        if not free:
            return _refused(form, throttle.BUSY)
        db_session = db.session(writing=False)
        attempt = accounts.check(db_session, form.email.data, form.password.data,
                                 request.remote_addr)
        if attempt.wait:
            return _refused(form, attempt.wait)  # throttled: no hash ran, nothing to write
        with db.writing_turn(db_session):
            accounts.record(db_session, attempt)
            if attempt.user:
                g.user = attempt.user
                audit.record(db_session, "login")
            db_session.commit()
    if not attempt.user:
        return _refused(form, attempt.wait)
    _start_session(attempt.user)  # only once the sign-in is on record
    return redirect(target or landing(attempt.user), 303)


def _start_session(user) -> None:
    session.clear()
    session.permanent = True
    session["uid"], session["v"] = user.id, user.session_version


def _refused(form, wait: timedelta):
    """Answer a refused try: one message whatever the reason; 429 while throttled."""
    page = render_template("auth/login.html", form=form, problem=accounts.REFUSED)
    if not wait:
        return page, 401
    return page, 429, {"Retry-After": str(max(1, ceil(wait.total_seconds())))}


@blueprint.post("/keluar")
@access.signed_in
def logout():
    """Sign out: every session and the API token of the account end, copied cookies too."""
    accounts.end_sessions(g.user)
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
            flash("Kata sandi sudah diganti. Sesi lain dan token API dengan kata sandi lama "
                  "sudah berakhir.")
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
