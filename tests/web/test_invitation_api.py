"""The invitation API of queue machines and counter applications: a point's staff make a key
(shown once, kept as a keyed hash, audited); POST /api/v1/invitations with it issues one code
of that point; no key, a wrong key or a revoked one answers 401; the rate is bounded."""

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from survey.invitations import api_keys, codes
from survey.kiosks.devices import keyed
from survey.models import Invitation, InvitationApiKey, Response, utcnow
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, points, post  # noqa: F401  (points: a fixture)
from tests.web.test_form import form_data

BASE = "http://suara.test"  # SUARA_BASE_URL of the test app (tests/conftest.py)
KEY = re.compile(r'aria-label="Kunci API"><code>(suara_[A-Za-z0-9_-]+)</code>')


def keys_page(point) -> str:
    return f"/admin/units/unit-sby/points/{point.id}/invitations"


def make_key(client, users, point, name="Mesin antrean lantai 1") -> str:
    """Have the unit's staff make a key for a point; return the key as shown once."""
    sign_in(client, users["unit"])
    page = post(client, f"{keys_page(point)}/keys", {"name": name})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    return KEY.search(page.text).group(1)


def ask(client, key: str | None):
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return client.post("/api/v1/invitations", headers=headers)


def test_a_key_issues_one_code_of_its_point(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    # Only the keyed hash is stored, never the key.
    [row] = session.scalars(select(InvitationApiKey)).all()
    assert row.key_hash == keyed(app.config["SECRET_KEY"], key) and key not in row.key_hash
    before = utcnow()
    machine = app.test_client()  # the queue machine: no session, no CSRF token
    answer = ask(machine, key)
    assert answer.status_code == 201
    body = answer.get_json()
    assert set(body) == {"code", "shown", "url", "expires_at"}
    assert codes.normalised(body["code"]) == body["code"] and body["shown"] == codes.shown(
        body["code"])
    assert body["url"] == f"{BASE}/u/{body['code']}"
    [invitation] = session.scalars(select(Invitation)).all()
    assert (invitation.code, invitation.point_id, invitation.source) == (body["code"], point.id,
                                                                         "api")
    # Valid codes.VALID_FOR (14 days) from its issue.
    expires = datetime.fromisoformat(body["expires_at"])
    assert before + codes.VALID_FOR <= expires <= utcnow() + codes.VALID_FOR
    session.refresh(row)
    assert row.last_used_at is not None
    [event] = events(session, "invitation_key_created")
    assert event.detail == {"point_id": point.id, "name": "Mesin antrean lantai 1"}
    # The citizen answers with it: one invited answer.
    assert machine.post(f"/u/{body['code']}/kirim",
                        data=form_data(app, point)).status_code == 303
    assert session.scalar(select(Response.invitation_id).where(
        Response.invitation_id.is_not(None))) == invitation.id


def test_no_key_a_wrong_key_or_a_revoked_key_is_refused(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    machine = app.test_client()
    for wrong in (None, "", "suara_" + "x" * 43, key + "x", "y" * 500):
        answer = ask(machine, wrong)
        assert answer.status_code == 401, wrong
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert machine.post("/api/v1/invitations",
                        headers={"Authorization": f"Basic {key}"}).status_code == 401
    [row] = session.scalars(select(InvitationApiKey)).all()
    assert post(client, f"{keys_page(point)}/keys/{row.id}/revoke").status_code == 303
    assert ask(machine, key).status_code == 401
    [event] = events(session, "invitation_key_revoked")
    assert event.target == f"invitation_key:{row.id}"
    assert session.scalars(select(Invitation)).all() == []


def test_only_staff_whose_scope_holds_the_unit_make_or_revoke_keys(client, session, users,
                                                                   points):
    other = points["unit-mks"]
    key = make_key(client, users, points["unit-sby"])
    [row] = session.scalars(select(InvitationApiKey)).all()
    sign_in(client, users["unit"])
    assert post(client, f"/admin/units/unit-mks/points/{other.id}/invitations/keys").status_code \
        == 403
    # A key of unit-sby's point revoked through unit-mks's address: 403 before any lookup.
    assert post(client, f"/admin/units/unit-mks/points/{other.id}/invitations/keys/{row.id}"
                        "/revoke").status_code == 403
    assert ask(client, key).status_code == 201


def test_the_rate_of_a_point_is_bounded(app, client, session, users, points, monkeypatch):
    key = make_key(client, users, points["unit-sby"])
    monkeypatch.setattr(api_keys, "RATE_LIMIT", 2)
    machine = app.test_client()
    assert [ask(machine, key).status_code for _ in range(3)] == [201, 201, 429]
    refused = ask(machine, key)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    # Codes issued more than an hour ago (api_keys.RATE_WINDOW) no longer count.
    for invitation in session.scalars(select(Invitation)):
        invitation.issued_at -= api_keys.RATE_WINDOW + timedelta(seconds=1)
    session.commit()
    assert ask(machine, key).status_code == 201


def test_a_key_of_a_closed_point_issues_nothing(app, client, session, users, points):
    point = points["unit-sby"]
    key = make_key(client, users, point)
    point.active = False
    session.commit()
    assert ask(app.test_client(), key).status_code == 410
    assert session.scalars(select(Invitation)).all() == []
