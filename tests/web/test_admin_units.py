"""Administration of units and service points: scoped lists, changes, posters, audit entries."""

import re

import pytest
from sqlalchemy import func, select

from survey.models import Agency, AuditEvent, ServicePoint, ServiceUnit
from tests.web.conftest import ROLES, sign_in
from tests.web.test_auth import csrf_token


def post(client, address, data=None, **kwargs):
    """POST a form with the session's CSRF token, as a browser would."""
    return client.post(address, data={"csrf_token": csrf_token(client, "/akun"), **(data or {})},
                       **kwargs)


def events(session, action=None) -> list[AuditEvent]:
    """Return the audit events (of one action), oldest first."""
    query = select(AuditEvent).order_by(AuditEvent.id)
    return list(session.scalars(query if action is None else query.where(
        AuditEvent.action == action)))


def unit(session, slug) -> ServiceUnit:
    session.expire_all()
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()


@pytest.fixture
def points(session, dataset):
    """Give unit-sby and unit-mks one service point each; return them by unit slug."""
    made = {slug: ServicePoint(unit_id=unit(session, slug).id, name="Loket 1",
                               token=f"tok{slug[-3:]}2345")
            for slug in ("unit-sby", "unit-mks")}
    session.add_all(made.values())
    session.commit()
    return made


def test_each_user_lists_only_the_units_in_their_scope(client, users):
    expected = {"admin": 4, "ministry": 4, "agency": 3, "region": 2, "unit": 1}
    for role, count in expected.items():
        sign_in(client, users[role])
        page = client.get("/admin/")
        assert page.status_code == 200
        assert f"{count} unit." in page.text, role
    assert "Unit unit-mks" not in page.text and "Unit unit-sby" in page.text


def test_units_are_searched_by_name_and_paged(client, users, session, dataset):
    session.add_all(ServiceUnit(slug=f"puskesmas-{n:02d}", name=f"Puskesmas {n:02d}",
                                region_code="35.78", agency_id=dataset["office"])
                    for n in range(30))
    session.commit()
    sign_in(client, users["region"])
    first = client.get("/admin/?q=puskesmas")
    assert "30 unit dengan nama atau alamat berisi “puskesmas”" in first.text
    assert "Halaman 1 dari 2" in first.text and "Puskesmas 24" in first.text
    second = client.get("/admin/?q=puskesmas&page=2")
    assert "Puskesmas 25" in second.text and "Puskesmas 24" not in second.text
    # A search term is text, not a pattern.
    assert "0 unit" in client.get("/admin/?q=%25").text


def test_an_agency_analyst_creates_a_unit_in_their_subtree(client, users, session, dataset):
    sign_in(client, users["agency"])
    response = post(client, "/admin/units/new", {
        "name": "  Puskesmas \x00  Kenjeran ", "slug": "", "agency_id": dataset["office"],
        "region_code": "35.78"})
    assert response.status_code == 303
    created = unit(session, "puskesmas-kenjeran")
    assert (created.name, created.agency_id, created.region_code, created.status) == (
        "Puskesmas Kenjeran", dataset["office"], "35.78", "active")
    assert response.headers["Location"] == "/admin/units/puskesmas-kenjeran"
    event = events(session, "unit_created")[0]
    assert (event.user_id, event.unit_id, event.target) == (
        users["agency"].id, created.id, "unit:puskesmas-kenjeran")
    assert event.detail["agency_id"] == dataset["office"] and event.detail["region_code"] == "35.78"


def test_a_new_unit_needs_an_agency_and_region_the_user_may_use(client, users, session, dataset):
    sign_in(client, users["agency"])
    response = post(client, "/admin/units/new", {
        "name": "Kantor Lain", "slug": "unit-sby", "agency_id": dataset["ministry"],
        "region_code": "35.78"})
    assert response.status_code == 422
    assert "Alamat &#39;unit-sby&#39; sudah dipakai unit lain." in response.text
    assert "Pilih salah satu dari daftar." in response.text  # the ministry is above the office
    sign_in(client, users["region"])
    response = post(client, "/admin/units/new", {
        "name": "Kantor Lain", "agency_id": dataset["office"], "region_code": "73.71"})
    assert response.status_code == 422 and "Pilih salah satu dari daftar." in response.text
    assert session.scalar(select(func.count()).select_from(ServiceUnit)) == 4
    assert events(session, "unit_created") == []


def test_a_unit_head_may_not_create_units(client, users, session, dataset):
    sign_in(client, users["unit"])
    response = post(client, "/admin/units/new", {
        "name": "Kantor Baru", "agency_id": dataset["office"], "region_code": "35.78"})
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(ServiceUnit)) == 4
    assert "Tambah unit" not in client.get("/admin/").text


def test_renaming_moving_and_archiving_a_unit_is_audited_old_and_new(client, users, session,
                                                                     dataset):
    sign_in(client, users["ministry"])
    before = unit(session, "unit-sda")
    response = post(client, "/admin/units/unit-sda/edit", {
        "name": "UPT Sidoarjo", "agency_id": dataset["ministry"], "status": "archived"})
    assert response.status_code == 303
    after = unit(session, "unit-sda")
    assert (after.id, after.name, after.agency_id, after.status) == (
        before.id, "UPT Sidoarjo", dataset["ministry"], "archived")
    renamed, moved, archived = events(session)[-3:]
    assert (renamed.action, renamed.detail) == ("unit_renamed",
                                                {"name": ["Unit unit-sda", "UPT Sidoarjo"]})
    assert moved.action == "unit_moved" and moved.detail == {
        "agency_id": [dataset["office"], dataset["ministry"]],
        "agency": ["Dinas Uji", "Kementerian Uji"]}
    assert (archived.action, archived.detail) == ("unit_archived",
                                                  {"status": ["active", "archived"]})
    assert {event.unit_id for event in (renamed, moved, archived)} == {after.id}
    assert "Unit UPT Sidoarjo: nama diganti, dipindah ke instansi lain, diarsipkan." in \
        client.get("/admin/units/unit-sda").text


def test_a_moved_unit_keeps_its_responses(client, users, session, dataset):
    from survey.models import Response

    sda = unit(session, "unit-sda")
    count = session.scalar(select(func.count()).where(Response.unit_id == sda.id))
    sign_in(client, users["admin"])
    post(client, "/admin/units/unit-sda/edit", {"name": sda.name, "status": "active",
                                                 "agency_id": dataset["ministry"]})
    assert session.scalar(select(func.count()).where(Response.unit_id == sda.id)) == count > 0
    # The agency analyst no longer covers it; the ministry still does.
    sign_in(client, users["agency"])
    assert client.get("/admin/units/unit-sda").status_code == 403


def test_a_region_analyst_may_only_move_a_unit_to_an_agency_present_in_the_region(
        client, users, session, dataset):
    other = Agency(name="Kementerian Lain", path="/")
    session.add(other)
    session.commit()
    sign_in(client, users["region"])
    response = post(client, "/admin/units/unit-sby/edit", {
        "name": "Unit unit-sby", "agency_id": other.id, "status": "active"})
    assert response.status_code == 422
    assert unit(session, "unit-sby").agency_id == dataset["office"]


@pytest.mark.parametrize("role", ["unit", "region"])
def test_who_may_not_govern_a_unit_is_refused_and_nothing_changes(client, users, session,
                                                                  dataset, role):
    # The unit head may not change their own unit; the region analyst not one in Papua.
    slug = "unit-sby" if role == "unit" else "unit-jpr"
    sign_in(client, users[role])
    response = post(client, f"/admin/units/{slug}/edit", {
        "name": "Diubah", "agency_id": dataset["office"], "status": "closed"})
    assert response.status_code == 403
    changed = unit(session, slug)
    assert (changed.name, changed.status) == (f"Unit {slug}", "active")
    assert events(session) == []


def test_the_unit_page_offers_the_unit_head_points_but_not_the_unit_itself(client, users,
                                                                           points):
    sign_in(client, users["unit"])
    page = client.get("/admin/units/unit-sby").text
    assert "Tambah titik layanan" in page and "http://suara.test/s/toksby2345" in page
    assert "Ubah nama, instansi atau status" not in page
    sign_in(client, users["agency"])
    assert "Ubah nama, instansi atau status" in client.get("/admin/units/unit-sby").text


def test_a_unit_head_adds_renames_and_deactivates_a_point_audited(client, users, session,
                                                                 points):
    sign_in(client, users["unit"])
    sby = unit(session, "unit-sby")
    assert post(client, "/admin/units/unit-sby/points", {"name": "Ruang Tunggu"}).status_code \
        == 303
    added = session.scalars(select(ServicePoint).where(ServicePoint.name == "Ruang Tunggu")).one()
    assert added.unit_id == sby.id and added.active and re.fullmatch(r"[2-9a-z]{10}", added.token)
    address = f"/admin/units/unit-sby/points/{added.id}"
    assert post(client, address, {f"p{added.id}-name": "Ruang Tunggu Poli"}).status_code == 303
    assert post(client, f"{address}/state", {"active": "0"}).status_code == 303
    session.expire_all()
    assert (added.name, added.active, added.token) == ("Ruang Tunggu Poli", False, added.token)
    created, renamed, deactivated = events(session)
    assert [e.action for e in (created, renamed, deactivated)] == [
        "point_created", "point_renamed", "point_deactivated"]
    assert {e.unit_id for e in (created, renamed, deactivated)} == {sby.id}
    assert {e.user_id for e in (created, renamed, deactivated)} == {users["unit"].id}
    assert renamed.detail == {"name": ["Ruang Tunggu", "Ruang Tunggu Poli"]}
    assert deactivated.detail["active"] == [True, False]
    # Deactivated, never deleted: it can come back.
    assert post(client, f"{address}/state", {"active": "1"}).status_code == 303
    assert events(session)[-1].action == "point_reactivated"


def test_point_names_are_unique_within_a_unit(client, users, session, points):
    sign_in(client, users["unit"])
    response = post(client, "/admin/units/unit-sby/points", {"name": "Loket 1"})
    assert response.status_code == 422
    assert "Nama &#39;Loket 1&#39; sudah dipakai titik lain di unit ini." in response.text
    response = post(client, "/admin/units/unit-sby/points", {"name": "  "})
    assert response.status_code == 422 and "Wajib diisi." in response.text
    assert events(session) == []


def test_a_unit_head_cannot_touch_another_units_points(client, users, session, points):
    sign_in(client, users["unit"])
    mks = points["unit-mks"]
    # Through the other unit's address: refused by the access rule.
    assert post(client, f"/admin/units/unit-mks/points/{mks.id}",
                {f"p{mks.id}-name": "Diambil"}).status_code == 403
    assert post(client, f"/admin/units/unit-mks/points/{mks.id}/state",
                {"active": "0"}).status_code == 403
    assert post(client, "/admin/units/unit-mks/points", {"name": "Baru"}).status_code == 403
    # Through their own unit's address with the other unit's point id: not found there.
    assert post(client, f"/admin/units/unit-sby/points/{mks.id}/state",
                {"active": "0"}).status_code == 404
    assert client.get(f"/admin/units/unit-sby/points/{mks.id}/poster.pdf").status_code == 404
    session.expire_all()
    assert (mks.name, mks.active) == ("Loket 1", True)
    assert session.scalar(select(func.count()).select_from(ServicePoint)) == 2
    assert events(session) == []


@pytest.mark.parametrize("role", ROLES)
def test_posters_follow_the_unit_access_rule(client, users, points, role):
    allowed = {"unit-sby": set(ROLES), "unit-mks": {"admin", "ministry", "agency"}}
    sign_in(client, users[role])
    for slug, point in points.items():
        response = client.get(f"/admin/units/{slug}/points/{point.id}/qr.svg")
        assert response.status_code == (200 if role in allowed[slug] else 403), slug


def test_posters_and_codes_are_downloaded_and_audited(client, users, session, points):
    sign_in(client, users["unit"])
    point = points["unit-sby"]
    base = f"/admin/units/unit-sby/points/{point.id}"
    pdf = client.get(f"{base}/poster.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"] == \
        'attachment; filename="unit-sby-loket-1-toksby2345.pdf"'
    svg = client.get(f"{base}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    png = client.get(f"{base}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    downloads = events(session, "poster_downloaded")
    assert [e.detail["kind"] for e in downloads] == ["poster.pdf", "qr.svg", "qr.png"]
    assert {(e.unit_id, e.user_id, e.target) for e in downloads} == {
        (point.unit_id, users["unit"].id, f"point:{point.id}")}
    assert client.get(f"{base}/qr.gif").status_code == 404


def test_the_qr_code_carries_the_apps_base_address(client, users, points):
    import io

    import zxingcpp
    from PIL import Image

    sign_in(client, users["admin"])
    point = points["unit-mks"]
    png = client.get(f"/admin/units/unit-mks/points/{point.id}/qr.png").data
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert [code.text for code in codes] == ["http://suara.test/q/tokmks2345"]


def test_an_inactive_point_has_no_poster(client, users, session, points):
    point = points["unit-sby"]
    point.active = False
    session.commit()
    sign_in(client, users["unit"])
    assert client.get(f"/admin/units/unit-sby/points/{point.id}/poster.pdf").status_code == 404
    assert events(session, "poster_downloaded") == []


def test_an_unknown_unit_is_not_found_for_the_admin_and_refused_to_others(client, users):
    sign_in(client, users["admin"])
    assert client.get("/admin/units/no-such-unit").status_code == 404
    sign_in(client, users["ministry"])
    assert client.get("/admin/units/no-such-unit").status_code == 403


def test_admin_pages_set_no_inline_script_or_style(client, users, points):
    sign_in(client, users["admin"])
    for address in ("/admin/", "/admin/units/unit-sby", "/admin/units/new",
                    "/admin/units/unit-sby/edit"):
        page = client.get(address).text
        assert "<script" not in page and "style=" not in page and "<style" not in page
        assert len(re.findall(r'name="(?:p\d+-)?csrf_token"', page)) == page.count('method="post"')
