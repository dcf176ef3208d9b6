"""The audit log viewer: everything for administrators, the own scope's part for others."""

from datetime import datetime, timezone

from survey import audit
from survey.models import AuditEvent
from tests.web.conftest import sign_in
from tests.web.test_admin_units import unit


def add_events(session, users):
    """Record one event on each of unit-sby and unit-mks, a login and a user change."""
    sby, mks = unit(session, "unit-sby"), unit(session, "unit-mks")
    rows = [
        AuditEvent(action="unit_renamed", target="unit:unit-sby", unit_id=sby.id,
                   user_id=users["agency"].id, email="agency@uji.go.id",
                   detail={"name": ["Lama", "Baru"]}, at=datetime(2025, 3, 1, tzinfo=timezone.utc)),
        AuditEvent(action="point_created", target="point:9", unit_id=mks.id,
                   user_id=users["agency"].id, email="agency@uji.go.id",
                   detail={"name": "Loket Makassar"}, at=datetime(2025, 4, 1, tzinfo=timezone.utc)),
        AuditEvent(action="login", user_id=users["unit"].id, email="unit@uji.go.id",
                   at=datetime(2025, 5, 1, tzinfo=timezone.utc)),
        AuditEvent(action="user_changed", target="user:region@uji.go.id",
                   user_id=users["admin"].id, email="admin@uji.go.id",
                   detail={"role": ["agency", "region"]},
                   at=datetime(2025, 6, 1, tzinfo=timezone.utc)),
    ]
    session.add_all(rows)
    session.commit()


def test_an_administrator_sees_every_event_with_its_changes(client, users, session):
    add_events(session, users)
    sign_in(client, users["admin"])
    page = client.get("/admin/audit").text
    assert "4 kejadian." in page
    assert "name: Lama → Baru" in page and "role: agency → region" in page
    assert "unit diganti nama" in page and "Unit unit-sby" in page


def test_a_unit_head_sees_their_units_events_and_their_own_only(client, users, session):
    add_events(session, users)
    sign_in(client, users["unit"])
    page = client.get("/admin/audit").text
    assert "2 kejadian." in page
    assert "unit:unit-sby" in page and "unit@uji.go.id" in page
    assert "Loket Makassar" not in page and "region@uji.go.id" not in page
    # Asking for another unit's events by address shows nothing of it.
    assert "0 kejadian." in client.get("/admin/audit?unit=unit-mks").text


def test_events_are_filtered_by_action_date_and_unit(client, users, session):
    add_events(session, users)
    sign_in(client, users["agency"])
    assert "2 kejadian." in client.get("/admin/audit").text
    assert "1 kejadian." in client.get("/admin/audit?action=point_created").text
    page = client.get("/admin/audit?since=2025-03-15&until=2025-04-01").text
    assert "1 kejadian." in page and "Loket Makassar" in page
    assert "1 kejadian." in client.get("/admin/audit?unit=unit-sby").text


def test_a_bad_filter_is_explained_and_ignored(client, users, session):
    add_events(session, users)
    sign_in(client, users["admin"])
    page = client.get("/admin/audit?since=kemarin&action=tidak_ada").text
    assert "Isi tanggal yang benar." in page and "Pilih salah satu dari daftar." in page
    assert "4 kejadian." in page


def test_the_log_is_paged_newest_first(client, users, session):
    sign_in(client, users["admin"])
    with client.application.test_request_context():
        for number in range(60):
            audit.record(session, "population_set", f"population:{number}",
                         detail={"population": [None, number]})
    session.commit()
    first = client.get("/admin/audit?action=population_set").text
    assert "60 kejadian." in first and "Halaman 1 dari 2" in first
    assert "population:59" in first and "population:9<" not in first
    second = client.get("/admin/audit?action=population_set&page=2").text
    assert "population:9<" in second and "population:59" not in second
    assert 'href="/admin/audit?page=1&amp;action=population_set"' in second
