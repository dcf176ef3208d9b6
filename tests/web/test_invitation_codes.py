"""Single-use invitation codes: issued by a unit's staff, opened (marked once), answered once
through the point's usual form and counted in rollup_invited; a used, expired or unknown code
stores nothing; two phones sending one code at once store one answer; the printed sheet's QR
codes are read back by a real decoder (zxing-cpp) from the PDF as poppler renders it."""

import subprocess
import threading
import uuid
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey import rollups
from survey.invitations import codes
from survey.models import Invitation, Response, RollupInvited, ServicePoint, utcnow
from survey.scopes import Scope
from tests.web.conftest import shared_point_app, sign_in
from tests.web.test_admin_units import events, points, post  # noqa: F401  (points: a fixture)
from tests.web.test_form import form_data
from tests.web.test_posters import render

BASE = "http://suara.test"  # SUARA_BASE_URL of the test app (tests/conftest.py)


def issue(session, point, count=1, **kwargs) -> list[Invitation]:
    """Issue printed codes of a point and commit; return them."""
    made = codes.issue(session, point, count, source="sheet", now=kwargs.pop("now", utcnow()),
                       **kwargs)
    session.commit()
    return made


def invited(session) -> list[Response]:
    """Return the answers sent with an invitation."""
    return list(session.scalars(select(Response).where(Response.invitation_id.is_not(None))))


def send(client, app, point, code, **overrides):
    return client.post(f"/u/{code}/kirim", data=form_data(app, point, **overrides))


def test_a_drawn_code_already_taken_is_drawn_again(session, points, monkeypatch):
    [taken] = issue(session, points["unit-sby"])
    draws = iter([taken.code, taken.code, "BBBBCCCC", "DDDDEEEE"])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    # Two wanted: the taken code twice (one set), then a fresh draw for the one still missing.
    assert codes.unused_codes(session, 2) == ["BBBBCCCC", "DDDDEEEE"]


# --- The answering page ------------------------------------------------------------------------

def test_the_first_opening_is_marked_once_and_shows_the_points_usual_form(
        client, session, points):
    point = points["unit-sby"]
    [invitation] = issue(session, point)
    page = client.get(f"/u/{invitation.code}")
    assert page.status_code == 200
    assert f'action="/u/{invitation.code}/kirim"' in page.text
    assert 'name="U9"' in page.text and "<script" not in page.text
    assert page.headers["Cache-Control"] == "private, no-cache"
    session.refresh(invitation)
    first = invitation.opened_at
    assert first is not None and invitation.answered_at is None
    # Opened again, typed in lower case with its dash: the same code, still its first opening.
    assert client.get(f"/u/{codes.shown(invitation.code).lower()}").status_code == 200
    session.refresh(invitation)
    assert invitation.opened_at == first


def test_an_answer_is_stored_once_with_its_invitation_and_counted_in_rollup_invited(
        app, client, session, points):
    point = points["unit-sby"]
    [invitation] = issue(session, point)
    response = send(client, app, point, invitation.code)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/s/{point.token}/terima-kasih")
    assert client.get(response.headers["Location"]).status_code == 200
    [answer] = invited(session)
    assert (answer.invitation_id, answer.point_id, answer.channel) == (invitation.id, point.id,
                                                                       "qr")
    session.refresh(invitation)
    assert invitation.answered_at is not None
    scope = Scope("unit", "unit-sby")
    assert rollups.differences(session, scope, rollups.INVITED_TABLE) == []
    # One invited answer: the month's row of rollup_invited counts it alone.
    assert session.scalar(select(func.sum(RollupInvited.n)).where(
        RollupInvited.unit_id == point.unit_id, RollupInvited.months == 1)) == 1


def test_a_personal_links_answer_has_the_link_channel(app, client, session, points):
    point = points["unit-sby"]
    [invitation] = codes.issue(session, point, 1, source="message", now=utcnow())
    session.commit()
    assert send(client, app, point, invitation.code).status_code == 303
    assert [answer.channel for answer in invited(session)] == ["link"]


def test_a_code_sent_with_another_points_form_is_refused_as_unknown(app, client, session,
                                                                     points):
    [invitation] = issue(session, points["unit-sby"])
    other = next(point for slug, point in points.items() if slug != "unit-sby")
    # The form was signed for the other point: the claim finds no such code there.
    assert send(client, app, other, invitation.code).status_code == 404
    assert invited(session) == []
    session.refresh(invitation)
    assert invitation.answered_at is None


def test_a_used_code_is_refused_politely_with_nothing_stored(app, client, session, points):
    point = points["unit-sby"]
    [invitation] = issue(session, point)
    first = form_data(app, point)
    assert client.post(f"/u/{invitation.code}/kirim", data=first).status_code == 303
    # The same answer sent again (a double tap, a retry after a lost reply): success, once.
    assert client.post(f"/u/{invitation.code}/kirim", data=first).status_code == 303
    again = send(client, app, point, invitation.code)
    assert again.status_code == 410 and "sudah dipakai" in again.text
    page = client.get(f"/u/{invitation.code}")
    assert page.status_code == 410 and "Kode survei sudah dipakai" in page.text
    english = client.get(f"/u/{invitation.code}?lang=en")
    assert english.status_code == 410 and "already been used" in english.text
    assert len(invited(session)) == 1


def test_an_expired_code_is_refused_with_nothing_stored(app, client, session, points):
    point = points["unit-sby"]
    # Issued two hours ago, valid one hour (codes.MIN_VALID).
    [invitation] = issue(session, point, now=utcnow() - timedelta(hours=2),
                         valid_for=codes.MIN_VALID)
    page = client.get(f"/u/{invitation.code}")
    assert page.status_code == 410 and "sudah tidak berlaku" in page.text
    sent = send(client, app, point, invitation.code)
    assert sent.status_code == 410 and "sudah tidak berlaku" in sent.text
    assert invited(session) == []
    session.refresh(invitation)
    assert invitation.opened_at is None and invitation.answered_at is None


@pytest.mark.parametrize("code", ["ABCD2345", "hello", "AB3D-EF7O"])
def test_an_unknown_or_malformed_code_is_not_found(app, client, session, points, code):
    page = client.get(f"/u/{code}")
    assert page.status_code == 404 and "Kode survei tidak dikenal" in page.text
    assert send(client, app, points["unit-sby"], code).status_code == 404
    assert invited(session) == []


def test_a_code_of_a_closed_point_shows_the_closed_survey(client, session, points):
    point = points["unit-sby"]
    [invitation] = issue(session, point)
    point.active = False
    session.commit()
    page = client.get(f"/u/{invitation.code}")
    assert page.status_code == 410 and "Survei ditutup" in page.text


def test_an_answer_from_another_site_is_refused(app, client, session, points):
    point = points["unit-sby"]
    [invitation] = issue(session, point)
    sent = client.post(f"/u/{invitation.code}/kirim", data=form_data(app, point),
                       headers={"Origin": "https://elsewhere.example"})
    assert sent.status_code == 403 and invited(session) == []


# --- One code, two phones at the same moment ----------------------------------------------------

@pytest.fixture(scope="module")
def shared_app(tmp_path_factory):
    """An app on a database that two threads write to for real (not a rolled-back transaction)."""
    with shared_point_app(tmp_path_factory, "tokparalel1") as (app, engine, _point):
        yield app, engine


def test_one_code_sent_from_two_phones_at_once_stores_one_answer(shared_app):
    app, engine = shared_app
    with Session(engine) as session:
        point = session.scalars(select(ServicePoint)).one()
        [invitation] = codes.issue(session, point, 1, source="sheet", now=utcnow())
        session.commit()
        code, invitation_id = invitation.code, invitation.id
        posts = [form_data(app, point) for _ in range(2)]  # two phones: two client_uuids
    start, statuses = threading.Barrier(2), []

    def phone(data):
        client = app.test_client()
        start.wait()
        statuses.append(client.post(f"/u/{code}/kirim", data=data).status_code)

    threads = [threading.Thread(target=phone, args=(data,)) for data in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [303, 410]
    with Session(engine) as session:
        stored = session.scalars(select(Response.client_uuid).where(
            Response.invitation_id == invitation_id)).all()
        assert len(stored) == 1 and stored[0] in {uuid.UUID(data["client_uuid"]) for data in posts}
        assert rollups.differences(session, Scope("unit", "unit-paralel"),
                                   rollups.INVITED_TABLE) == []


# --- The home page's code box ----------------------------------------------------------------

def test_a_code_typed_on_the_home_page_opens_its_survey(client, dataset):
    home = client.get("/")
    assert "Punya kode survei?" in home.text and 'name="kode"' in home.text
    typed = client.get("/?kode=ab3d-ef7h+")
    assert typed.status_code == 303 and typed.headers["Location"] == "/u/AB3DEF7H"


def test_a_malformed_code_is_explained_on_the_home_page(client, dataset):
    page = client.get("/?kode=AB0D-EF1H")  # 0 and 1 are in no code
    assert page.status_code == 200
    assert "tidak dapat kami baca" in page.text and 'aria-invalid="true"' in page.text


# --- Issuing and printing --------------------------------------------------------------------

def point_page(point) -> str:
    return f"/admin/units/unit-sby/points/{point.id}/invitations"


def test_the_units_staff_issue_codes_for_a_chosen_time_audited(client, session, users, points):
    point = points["unit-sby"]
    sign_in(client, users["unit"])
    assert client.get(point_page(point)).status_code == 200
    sent = post(client, f"{point_page(point)}/issue",
                {"count": "3", "valid_amount": "2", "valid_unit": "hari"})
    assert sent.status_code == 303
    made = session.scalars(select(Invitation).where(Invitation.point_id == point.id)).all()
    assert len(made) == 3 and {invitation.source for invitation in made} == {"sheet"}
    assert {invitation.expires_at - invitation.issued_at for invitation in made} == {
        timedelta(days=2)}
    [event] = events(session, "invitations_issued")
    assert event.detail["count"] == 3 and event.unit_id == point.unit_id


@pytest.mark.parametrize(("count", "amount", "unit"), [
    ("0", "2", "hari"), ("1001", "2", "hari"),  # codes.MAX_PER_ISSUE is 1000
    ("5", "91", "hari"), ("5", "0", "jam"),  # codes.MIN_VALID 1 hour, MAX_VALID 90 days
    ("5", "2", "minggu"), ("lima", "2", "hari")])
def test_an_issue_out_of_bounds_is_refused(client, session, users, points, count, amount, unit):
    point = points["unit-sby"]
    sign_in(client, users["unit"])
    sent = post(client, f"{point_page(point)}/issue",
                {"count": count, "valid_amount": amount, "valid_unit": unit})
    assert sent.status_code == 422
    assert session.scalar(select(func.count()).select_from(Invitation)) == 0


# Users (tests/web/conftest.py): ministry and agency hold unit-sby and unit-mks, region
# (Jawa Timur) unit-sby only, unit is unit-sby's staff.
@pytest.mark.parametrize(("role", "allowed"), [
    ("admin", {"unit-sby", "unit-mks"}), ("ministry", {"unit-sby", "unit-mks"}),
    ("agency", {"unit-sby", "unit-mks"}), ("region", {"unit-sby"}), ("unit", {"unit-sby"})])
def test_only_staff_whose_scope_holds_the_unit_reach_its_codes(client, session, users, points,
                                                              role, allowed):
    made = {slug: issue(session, point)[0] for slug, point in points.items()}
    sign_in(client, users[role])
    for slug, point in points.items():
        page = f"/admin/units/{slug}/points/{point.id}/invitations"
        expected = 200 if slug in allowed else 403
        assert client.get(page).status_code == expected, (role, slug)
        assert client.get(f"{page}/{made[slug].id}/lembar.pdf").status_code == expected
        sent = post(client, f"{page}/issue", {"count": "1", "valid_amount": "1",
                                              "valid_unit": "hari"})
        assert sent.status_code == (303 if slug in allowed else 403)
    # Another unit's point under this unit's address is not found.
    if "unit-mks" in allowed:
        other = f"/admin/units/unit-sby/points/{points['unit-mks'].id}/invitations"
        assert client.get(other).status_code == 404


def test_visitors_are_sent_to_sign_in(client, points):
    page = client.get(point_page(points["unit-sby"]))
    assert page.status_code == 302 and page.headers["Location"].startswith("/masuk?next=")


def pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(next(line.split()[1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def decoded(image: Image.Image) -> set[str]:
    return {barcode.text for barcode in
            zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}


def test_the_sheet_of_slips_decodes_to_the_issued_codes_answering_addresses(
        app, client, session, users, points, tmp_path):
    point = points["unit-sby"]
    made = issue(session, point, 22)  # 21 slips a page (3 columns, 7 rows): two pages
    # An answered code is not printed again.
    assert send(client, app, point, made[-1].code).status_code == 303
    sign_in(client, users["unit"])
    sheet = client.get(f"{point_page(point)}/{made[0].id}/lembar.pdf")
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    assert pages(sheet.data, tmp_path) == 1  # 21 codes left
    # 150 dpi, an ordinary office printer's draft quality.
    assert decoded(render(sheet.data, tmp_path, 150)) == {
        f"{BASE}/u/{invitation.code}" for invitation in made[:21]}
    text = subprocess.run(["pdftotext", "-", "-"], input=sheet.data, capture_output=True,
                          check=True).stdout.decode()
    assert codes.shown(made[0].code) in text and "Pindai kode QR" in text
    [event] = events(session, "invitations_printed")
    assert event.detail == {"point": "Loket 1", "first_id": made[0].id, "layout": "lembar",
                            "count": 21}


def test_the_thermal_tickets_hold_one_code_a_page(client, session, users, points, tmp_path):
    point = points["unit-sby"]
    made = issue(session, point, 3)
    sign_in(client, users["unit"])
    tickets = client.get(f"{point_page(point)}/{made[0].id}/tiket.pdf")
    assert tickets.status_code == 200 and pages(tickets.data, tmp_path) == 3
    # 203 dpi, the resolution of 58 mm thermal printers.
    assert decoded(render(tickets.data, tmp_path, 203)) == {f"{BASE}/u/{made[0].code}"}
    assert client.get(f"{point_page(point)}/{made[0].id + 99}/tiket.pdf").status_code == 404
