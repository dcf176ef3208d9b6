"""Accounts (administrators only): roles bound to scopes, activity, password resets, audit."""

import itertools
import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from survey.admin.accounts import Binding, scope_problem
from survey.models import ROLES, User
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, post, unit


def account(session, email) -> User:
    session.expire_all()
    return session.scalars(select(User).where(User.email == email)).one()


def shown_password(page: str) -> str:
    return re.search(r'<p class="token">([^<]+)</p>', page).group(1)


@pytest.mark.parametrize("role", ["ministry", "agency", "region", "unit"])
def test_only_administrators_reach_account_pages(client, users, session, role):
    sign_in(client, users[role])
    target = users["unit"].id
    assert client.get(f"/admin/users/{target}").status_code == 403
    for address, data in ((f"/admin/users/{target}", {"name": "X", "role": "admin"}),
                          (f"/admin/users/{target}/state", {"active": "0"}),
                          (f"/admin/users/{target}/password", {"password": ""}),
                          ("/admin/users/new", {"email": "x@uji.go.id", "name": "X",
                                                "role": "admin"})):
        assert post(client, address, data).status_code == 403, address
    changed = account(session, "unit@uji.go.id")
    assert (changed.name, changed.role, changed.active, changed.session_version) == (
        "Pengguna unit", "unit", True, 1)
    assert session.scalars(select(User).where(User.email == "x@uji.go.id")).first() is None
    assert events(session) == []


def test_the_account_list_shows_roles_and_scopes(client, users):
    sign_in(client, users["admin"])
    page = client.get("/admin/users?q=uji").text
    assert "5 akun." in page
    assert "Kepala unit layanan" in page and "Unit unit-sby" in page and "Dinas Uji" in page
    assert client.get(f"/admin/users/{users['region'].id}").status_code == 200
    assert client.get("/admin/users/999999").status_code == 404


def test_an_administrator_creates_a_unit_head_with_a_generated_password(client, users,
                                                                        session):
    sign_in(client, users["admin"])
    response = post(client, "/admin/users/new", {
        "email": " Kepala.SDA@Uji.go.id ", "name": "Kepala SDA", "role": "unit",
        "agency_id": "", "region_code": "", "unit_slug": "unit-sda", "password": ""})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    password = shown_password(response.text)
    created = account(session, "kepala.sda@uji.go.id")
    assert (created.role, created.unit_id, created.active) == (
        "unit", unit(session, "unit-sda").id, True)
    assert check_password_hash(created.password_hash, password) and len(password) >= 10
    event = events(session, "user_created")[0]
    assert (event.user_id, event.unit_id, event.target) == (
        users["admin"].id, created.unit_id, "user:kepala.sda@uji.go.id")
    assert event.detail["role"] == "unit" and password not in str(event.detail)


def test_a_typed_temporary_password_is_checked(client, users, session):
    sign_in(client, users["admin"])
    response = post(client, "/admin/users/new", {
        "email": "baru@uji.go.id", "name": "Baru", "role": "admin", "password": "pendek"})
    assert response.status_code == 422 and "Kata sandi minimal 10 karakter." in response.text
    response = post(client, "/admin/users/new", {
        "email": "baru@uji.go.id", "name": "Baru", "role": "admin",
        "password": "sandi-sementara-1"})
    assert shown_password(response.text) == "sandi-sementara-1"
    assert account(session, "baru@uji.go.id").role == "admin"


@pytest.mark.parametrize("form, message", [
    ({"role": "region"}, "Peran Pemerintah daerah (wilayah) memerlukan kode wilayah."),
    ({"role": "ministry", "unit_slug": "unit-sby"},
     "Peran Kementerian/lembaga memerlukan instansi."),
    ({"role": "admin", "region_code": "35", "unit_slug": "unit-sby"},
     "Peran Administrator berlaku nasional, tanpa cakupan: kosongkan kode wilayah dan "
     "unit layanan."),
    ({"role": "unit", "unit_slug": "unit-sby", "region_code": "35"},
     "Peran Kepala unit layanan hanya memakai unit layanan: kosongkan kode wilayah."),
    ({"role": "unit", "unit_slug": "tidak-ada"}, "Tidak ada unit layanan &#39;tidak-ada&#39;."),
    ({"role": "region", "region_code": "99.99"}, "Pilih salah satu dari daftar."),
    ({"role": "agency", "email": "unit@uji.go.id", "agency_id": "{office}"},
     "Sudah ada akun dengan e-mail unit@uji.go.id."),
    ({"role": "agency", "email": "bukan-email", "agency_id": "{office}"},
     "Alamat e-mail tidak sah."),
])
def test_a_role_needs_exactly_its_scope_with_a_clear_message(client, users, session, dataset,
                                                             form, message):
    sign_in(client, users["admin"])
    data = {"email": "baru@uji.go.id", "name": "Baru"} | {
        key: value.format(**dataset) for key, value in form.items()}
    response = post(client, "/admin/users/new", data)
    assert response.status_code == 422
    assert message in response.text
    assert session.scalars(select(User).where(User.email == "baru@uji.go.id")).first() is None


SCOPES = {"agency_id": "agency", "region_code": "35", "unit_id": "unit"}


@pytest.mark.parametrize("role, fields", [
    (role, fields) for role in ROLES
    for size in range(4) for fields in itertools.combinations(SCOPES, size)])
def test_the_scope_check_agrees_with_the_database_constraint(session, dataset, role, fields):
    values = {"agency_id": dataset["office"], "region_code": "35",
              "unit_id": unit(session, "unit-sby").id}
    chosen = {field: values[field] for field in fields}
    problem = scope_problem(Binding(role, **chosen))
    nested = session.begin_nested()
    session.add(User(email="cek@uji.go.id", name="Cek", password_hash="x", role=role, **chosen))
    try:
        session.flush()
        stored = True
    except IntegrityError:
        stored = False
    nested.rollback()
    assert (problem is None) == stored, problem


def test_changing_role_and_scope_is_audited_old_and_new(client, users, session, dataset):
    sign_in(client, users["admin"])
    target = users["agency"]
    response = post(client, f"/admin/users/{target.id}", {
        "name": "Analis Jatim", "role": "region", "region_code": "35", "agency_id": "",
        "unit_slug": ""})
    assert response.status_code == 303
    changed = account(session, "agency@uji.go.id")
    assert (changed.name, changed.role, changed.region_code, changed.agency_id) == (
        "Analis Jatim", "region", "35", None)
    event = events(session, "user_changed")[0]
    assert event.detail == {"name": ["Pengguna agency", "Analis Jatim"],
                            "role": ["agency", "region"], "agency_id": [dataset["office"], None],
                            "region_code": [None, "35"]}
    # The new scope applies at once.
    sign_in(client, changed)
    assert client.get("/admin/units/unit-mks").status_code == 403
    assert client.get("/admin/units/unit-sda").status_code == 200


def test_an_administrator_cannot_demote_or_deactivate_themselves(client, users, session):
    sign_in(client, users["admin"])
    me = users["admin"].id
    response = post(client, f"/admin/users/{me}", {"name": "Saya", "role": "region",
                                                   "region_code": "35"})
    assert response.status_code == 422
    assert "Anda tidak dapat mengubah peran akun Anda sendiri." in response.text
    response = post(client, f"/admin/users/{me}/state", {"active": "0"})
    assert response.status_code == 422
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.text
    assert account(session, "admin@uji.go.id").active is True
    assert events(session) == []


def test_a_deactivated_account_is_signed_out_and_can_come_back(app, client, users, session):
    other = app.test_client()
    sign_in(other, users["region"])
    assert other.get("/admin/").status_code == 200
    sign_in(client, users["admin"])
    target = users["region"].id
    assert post(client, f"/admin/users/{target}/state", {"active": "0"}).status_code == 303
    assert other.get("/admin/").status_code == 302
    assert events(session)[-1].action == "user_deactivated"
    assert events(session)[-1].detail == {"active": [True, False]}
    assert post(client, f"/admin/users/{target}/state", {"active": "1"}).status_code == 303
    assert account(session, "region@uji.go.id").active is True
    assert events(session)[-1].action == "user_reactivated"


def test_a_password_reset_ends_the_accounts_sessions_and_is_shown_once(app, client, users,
                                                                      session):
    other = app.test_client()
    sign_in(other, users["unit"])
    assert other.get("/admin/").status_code == 200
    sign_in(client, users["admin"])
    target = users["unit"]
    response = post(client, f"/admin/users/{target.id}/password", {"password": ""})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    password = shown_password(response.text)
    changed = account(session, "unit@uji.go.id")
    assert check_password_hash(changed.password_hash, password)
    assert other.get("/admin/").status_code == 302  # the old session ended
    event = events(session, "password_reset")[0]
    assert (event.unit_id, event.target) == (changed.unit_id, "user:unit@uji.go.id")
    assert event.detail["generated"] is True and password not in str(event.detail)
    assert password not in client.get(f"/admin/users/{target.id}").text
    response = post(client, f"/admin/users/{target.id}/password",
                    {"password": "unit@uji.go.id"})
    assert response.status_code == 422
    assert "Kata sandi tidak boleh sama dengan alamat e-mail." in response.text


def test_ending_all_sessions_ends_cookies_and_the_api_token_and_is_audited(app, client, users,
                                                                          session):
    from survey.auth.accounts import new_api_token

    target = users["unit"]
    api_token = new_api_token(target)
    session.commit()
    bearer = {"Authorization": f"Bearer {api_token}"}
    other = app.test_client()
    sign_in(other, target)
    assert other.get("/akun").status_code == 200
    assert app.test_client().get("/akun", headers=bearer).status_code == 200
    sign_in(client, users["admin"])
    assert 'action="/admin/users/%d/sessions"' % target.id in client.get(
        f"/admin/users/{target.id}").text
    response = post(client, f"/admin/users/{target.id}/sessions", {})
    assert response.status_code == 303
    assert other.get("/akun").status_code == 302
    assert app.test_client().get("/akun", headers=bearer).status_code == 302
    event = events(session, "sessions_ended")[0]
    assert (event.target, event.unit_id) == ("user:unit@uji.go.id", target.unit_id)
    # Version 1 from the model's default, moved on once.
    assert event.detail == {"session_version": 2, "api_token": True}
    assert client.get("/akun").status_code == 200  # the administrator's own session goes on


def test_ending_sessions_needs_the_forms_csrf_token(client, users, session):
    sign_in(client, users["admin"])
    assert client.post(f"/admin/users/{users['unit'].id}/sessions").status_code == 400
    assert events(session, "sessions_ended") == []


@pytest.mark.parametrize("action, form", [("state", {"active": "0"}),
                                          ("password", {"password": ""})])
def test_deactivation_and_a_reset_end_the_api_token(app, client, users, session, action, form):
    from survey.auth.accounts import new_api_token

    api_token = new_api_token(users["unit"])
    session.commit()
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert app.test_client().get("/akun", headers=bearer).status_code == 200
    sign_in(client, users["admin"])
    assert post(client, f"/admin/users/{users['unit'].id}/{action}", form).status_code in (200, 303)
    assert app.test_client().get("/akun", headers=bearer).status_code == 302
    assert account(session, "unit@uji.go.id").api_token_hash is None
