"""Enrolled kiosks: a unit enrols a tablet with a one-time code, /k/ serves only enrolled
tablets of its point, revocation shuts one out, answers carry their tablet (all audited)."""

import re
from datetime import timedelta

from sqlalchemy import select

from survey.kiosks import devices
from survey.models import KioskDevice, Response, utcnow
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, points, post  # noqa: F401  (points: a fixture)
from tests.web.test_form import form_data

def stored(session) -> list[Response]:
    """Return the kiosk answers (the dataset holds answers of other channels)."""
    return list(session.scalars(select(Response).where(Response.channel == "kiosk")
                                .order_by(Response.id)))


CODE = re.compile(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


def start_enrolment(client, session, users, point, name="Tablet ruang tunggu") -> str:
    """Have the unit's staff issue an enrolment code for a point; return it as shown."""
    sign_in(client, users["unit"])
    page = post(client, f"/admin/units/unit-sby/points/{point.id}/kiosks", {"name": name})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    return CODE.search(page.text).group(1)


def enrol(app, code: str):
    """Open the enrolment page on a new tablet (its own browser) and send the code."""
    tablet = app.test_client()
    form = tablet.get(f"/k/daftar?kode={code}")
    assert form.status_code == 200 and f'value="{code}"' in form.text
    return tablet, tablet.post("/k/daftar", data={"kode": code.lower().replace("-", " ")})


def test_an_unenrolled_browser_is_refused_politely_and_told_how_to_enrol(
        app, client, session, points):
    token = points["unit-sby"].token
    for response in (client.get(f"/k/{token}"),
                     client.post(f"/k/{token}", data=form_data(app, points["unit-sby"]))):
        assert response.status_code == 403
        assert "Tablet ini belum terdaftar sebagai kios" in response.text
        assert "Daftarkan tablet kios" in response.text
        assert f'href="/s/{token}"' in response.text  # citizens may still use their phones
    assert stored(session) == []


def test_a_tablet_enrolled_with_the_code_answers_and_its_answers_are_counted(
        app, client, session, users, points):
    point = points["unit-sby"]
    code = start_enrolment(client, session, users, point)
    tablet, enrolled = enrol(app, code)
    assert enrolled.status_code == 303 and enrolled.headers["Location"] == f"/k/{point.token}"
    cookie = tablet.get_cookie(devices.KEY_COOKIE, path="/k/")
    [device] = session.scalars(select(KioskDevice)).all()
    # Only the keyed hash of the tablet's key is kept; the code is spent.
    assert device.key_hash == devices.keyed(app.config["SECRET_KEY"], cookie.value)
    assert (device.code_hash, device.name, device.enrolled_by) == (
        None, "Tablet ruang tunggu", users["unit"].id)
    assert tablet.get(f"/k/{point.token}").status_code == 200
    for n in range(2):
        assert tablet.post(f"/k/{point.token}", data=form_data(
            app, point, age=str(30 + n))).status_code == 303
    assert [(row.channel, row.kiosk_id) for row in stored(session)] == [("kiosk", device.id)] * 2
    assert [e.action for e in events(session) if e.action.startswith("kiosk")] == [
        "kiosk_code_issued", "kiosk_enrolled"]
    page = client.get("/admin/units/unit-sby").text
    assert re.search(r"<td>Tablet ruang tunggu</td>.*?<td class=\"num\">2</td>", page, re.S)
    # The code was for one tablet only.
    assert enrol(app, code)[1].status_code == 422


def test_an_expired_or_unknown_code_enrols_nothing(app, client, session, users, points):
    code = start_enrolment(client, session, users, points["unit-sby"])
    device = session.scalars(select(KioskDevice)).one()
    device.code_expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    for typed in (code, "ABCD-EFGH"):
        tablet, response = enrol(app, typed)
        assert response.status_code == 422
        assert "Kode ini tidak berlaku" in response.text
        assert tablet.get_cookie(devices.KEY_COOKIE, path="/k/") is None


def test_a_revoked_tablet_is_refused_and_its_queued_answers_are_not_stored(
        app, client, session, users, points):
    point = points["unit-sby"]
    tablet, _ = enrol(app, start_enrolment(client, session, users, point))
    queued = form_data(app, point)  # answered while offline, before the revocation
    device = session.scalars(select(KioskDevice)).one()
    assert post(client, f"/admin/units/unit-sby/kiosks/{device.id}/revoke").status_code == 303
    assert [e.target for e in events(session, "kiosk_revoked")] == [f"kiosk:{device.id}"]
    page = tablet.get(f"/k/{point.token}")
    assert page.status_code == 403 and "Pendaftaran tablet ini sudah dicabut" in page.text
    assert tablet.post(f"/k/{point.token}", data=queued).status_code == 403
    assert stored(session) == []


def test_a_tablet_of_another_point_is_refused(app, client, session, users, points):
    tablet, _ = enrol(app, start_enrolment(client, session, users, points["unit-sby"]))
    assert tablet.get(f"/k/{points['unit-mks'].token}").status_code == 403


def test_an_enrolled_tablet_is_exempt_from_the_address_limit(app, client, session, users, points):
    # One tablet serves the whole counter, from one address and browser, without the
    # citizen's device cookie: past the cookieless limit (10 an hour) it still stores.
    point = points["unit-sby"]
    tablet, _ = enrol(app, start_enrolment(client, session, users, point))
    for n in range(12):
        answers = {f"U{i}": str((i + n) % 4 + 1) for i in range(1, 10)}
        assert tablet.post(f"/k/{point.token}", data=form_data(
            app, point, age=str(20 + n), **answers)).status_code == 303
    assert [row.flagged for row in stored(session)] == [False] * 12


def test_staff_enrol_and_revoke_only_within_their_own_unit(app, client, session, users, points):
    # users["unit"] works at unit-sby; unit-mks's point and kiosk are out of reach.
    sign_in(client, users["unit"])
    other = points["unit-mks"]
    assert post(client, f"/admin/units/unit-mks/points/{other.id}/kiosks").status_code == 403
    assert post(client, f"/admin/units/unit-sby/points/{other.id}/kiosks").status_code == 404
    device = KioskDevice(point_id=other.id, name="Tablet lain", enrolled_at=utcnow(),
                         key_hash="0" * 64)
    session.add(device)
    session.commit()
    assert post(client, f"/admin/units/unit-sby/kiosks/{device.id}/revoke").status_code == 303
    session.refresh(device)
    assert device.revoked_at is None and events(session, "kiosk_revoked") == []
