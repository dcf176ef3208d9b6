"""Views (administrators only): accounts, their roles and scopes, activity and passwords."""

from flask import abort, flash, g, redirect, render_template, url_for

from survey import access, db
from survey.admin import accounts, forms, listings, pages


@access.admin_only
def users():
    """List the accounts, searchable by e-mail or name, a page at a time."""
    search = pages.search_text()
    return render_template("admin/users.html", search=search, roles=accounts.ROLE_LABELS,
                           page=listings.users(db.session(), search, pages.page_number()))


def _password_page(user, password: str, created: bool):
    """Show a new password once (no cache keeps it: survey/security.py)."""
    return render_template("admin/password.html", user=user, password=password,
                           created=created)


@access.admin_only
def new_user():
    """Create an account bound to the scope its role needs; show its first password once."""
    session = db.session()
    form = forms.NewUserForm(session, acting=g.user)
    if not form.validate_on_submit():
        return render_template("admin/user_new.html", form=form), pages.status_of(form)
    password = form.password.data or accounts.temporary_password()
    user = accounts.create_user(session, form.email.data, form.name.data, form.binding(),
                                password)
    session.commit()
    return _password_page(user, password, created=True)


def _user_or_404(user_id: int):
    return listings.user_by_id(db.session(), user_id) or abort(404)


def _user_page(user, form=None, state_form=None, reset_form=None, status: int = 200):
    """Render an account's page, with a form sent back with problems in place of a blank one."""
    session = db.session()
    form = form or forms.ScopeFields(session, formdata=None, data=forms.user_data(user))
    return render_template(
        "admin/user_edit.html", user=user, form=form, roles=accounts.ROLE_LABELS,
        state_form=state_form or forms.UserStateForm(formdata=None),
        reset_form=reset_form or forms.PasswordResetForm(formdata=None)), status


@access.admin_only
def edit_user(user_id: int):
    """Show an account; change its name, role and scope."""
    session, user = db.session(), _user_or_404(user_id)
    form = forms.ScopeFields(session, data=forms.user_data(user), acting=g.user, editing=user)
    if not form.validate_on_submit():
        return _user_page(user, form=form, status=pages.status_of(form))
    changes = accounts.update_user(session, user, form.name.data, form.binding())
    session.commit()
    flash(f"Akun {user.email} diubah." if changes else "Tidak ada perubahan.")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@access.admin_only
def user_state(user_id: int):
    """Deactivate an account (its sessions end at once) or reactivate it."""
    session, user = db.session(), _user_or_404(user_id)
    form = forms.UserStateForm(acting=g.user, editing=user)
    if not form.validate_on_submit():
        return _user_page(user, state_form=form, status=422)
    if accounts.set_active(session, user, form.active.data == "1"):
        session.commit()
        flash(f"Akun {user.email} {'aktif kembali' if user.active else 'dinonaktifkan'}.")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@access.admin_only
def end_sessions(user_id: int):
    """End every session and the API token of an account (a stolen cookie or token dies)."""
    session, user = db.session(), _user_or_404(user_id)
    if not forms.EndSessionsForm().validate_on_submit():
        abort(400)
    accounts.end_all_sessions(session, user)
    session.commit()
    flash(f"Semua sesi dan token API akun {user.email} sudah berakhir.")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


@access.admin_only
def reset_password(user_id: int):
    """Give an account a temporary password (typed or generated) and end its sessions."""
    session, user = db.session(), _user_or_404(user_id)
    form = forms.PasswordResetForm(email=user.email)
    if not form.validate_on_submit():
        return _user_page(user, reset_form=form, status=422)
    password = form.password.data or accounts.temporary_password()
    accounts.reset_password(session, user, password, generated=not form.password.data)
    session.commit()
    return _password_page(user, password, created=False)
