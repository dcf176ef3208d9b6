"""Staff-entered answers: typed in audited batches within their dates, counted apart in
rollup_staff, shown to the level above as a share; scans of the sheets kept as evidence."""

import io
import re
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from survey import entry_batches, figures, migrate, queries, rollups
from survey.cli import cli
from survey.db import make_engine
from survey.demo import load_demo
from survey.models import AuditEvent, BatchScan, EntryBatch, Response, ServiceUnit
from survey.periods import Period
from survey.regions import bundled_csv, load_regions
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from survey.staff import scans
from tests.conftest import scratch_database
from tests.web.conftest import sign_in
from tests.web.test_rollups import make_units

PAGE = "/dasbor/unit/unit-sby/kertas"
REGISTERED = datetime(2024, 1, 1, tzinfo=timezone.utc)


def csrf(client, address=PAGE):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


@pytest.fixture
def sby(session, users):
    """unit-sby, registered in 2024 so that sheets of 2025 may be typed in; its staff signed in."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    unit.created_at = REGISTERED
    session.commit()
    return unit


def open_batch(client, **overrides):
    data = {"csrf_token": csrf(client), "channel": "paper", "sheet_numbers": "001-002",
            "sheets_declared": "2", "first_day": "2025-11-01", "last_day": "2025-11-30",
            "note": "", **overrides}
    return client.post(PAGE, data=data)


def sheet(client, address, day="2025-11-03"):
    return client.post(address, data={
        "csrf_token": csrf(client), "client_uuid": str(uuid.uuid4()), "answered_on": day,
        **{f"U{i}": "4" for i in range(1, 10)}})


def count(session, model, *where):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model).where(*where))


def staff_rows(session, unit):
    return count(session, Response, Response.unit_id == unit.id, Response.batch_id.is_not(None))


@pytest.mark.parametrize("first, last, message", [
    ("2025-11-01", (date.today() + timedelta(days=2)).isoformat(), "belum terjadi"),
    ("2023-12-01", "2023-12-31", "terlalu awal"),  # before the unit was registered (2024)
    ("1999-12-01", "1999-12-31", "terlalu awal"),
    ("2025-11-30", "2025-11-01", "tidak boleh sebelum"),
])
def test_a_batch_outside_the_date_bounds_is_refused_and_nothing_stored(client, session, users,
                                                                      sby, first, last, message):
    sign_in(client, users["unit"])
    response = open_batch(client, first_day=first, last_day=last)
    assert response.status_code == 200 and message in response.text
    assert count(session, EntryBatch) == 0
    assert count(session, AuditEvent, AuditEvent.action == "batch.open") == 0


def test_a_sheet_outside_the_batch_range_is_refused(client, session, users, sby):
    sign_in(client, users["unit"])
    address = open_batch(client).headers["Location"]
    response = sheet(client, address, "2025-12-01")
    assert response.status_code == 200
    assert "Tanggal 01-12-2025 di luar rentang batch ini (01-11-2025 s.d. 30-11-2025)." \
        in response.text
    assert staff_rows(session, sby) == 0


def test_a_batch_takes_no_more_sheets_than_declared(client, session, users, sby):
    sign_in(client, users["unit"])
    address = open_batch(client).headers["Location"]  # 2 sheets declared
    assert [sheet(client, address).status_code for _ in range(2)] == [303, 303]
    third = sheet(client, address)
    assert third.status_code == 409 and "sudah berisi 2 lembar" in third.text
    assert staff_rows(session, sby) == 2


def test_opening_and_closing_a_batch_are_audited_with_counts(client, session, users, sby):
    sign_in(client, users["unit"])
    address = open_batch(client, sheets_declared="5", sheet_numbers="001-005").headers["Location"]
    batch_id = int(address.rsplit("/", 1)[1])
    for _ in range(3):
        sheet(client, address)
    client.post(f"{address}/tutup", data={"csrf_token": csrf(client)})
    session.expire_all()
    batch = session.get(EntryBatch, batch_id)
    assert (batch.user_id, batch.channel, batch.closed_at is not None) == (
        users["unit"].id, "paper", True)
    events = session.scalars(select(AuditEvent).where(AuditEvent.target == f"batch:{batch_id}")
                             .order_by(AuditEvent.id)).all()
    assert [(e.action, e.user_id, e.unit_id) for e in events] == [
        ("batch.open", users["unit"].id, sby.id), ("batch.close", users["unit"].id, sby.id)]
    assert (events[0].detail["sheets_declared"], events[0].detail["sheet_numbers"]) == (
        5, "001-005")
    assert (events[1].detail["sheets_declared"], events[1].detail["sheets_entered"]) == (5, 3)
    assert sheet(client, address).status_code == 409  # a closed batch takes nothing
    assert staff_rows(session, sby) == 3


# --- rollup_staff -------------------------------------------------------------------------

CHANNELS = ("qr", "link", "kiosk", "paper", "interview")


def mixed_rows(session, units, draws):
    questionnaire = default_questionnaire(session).id
    return [response_values(units[i % len(units)], questionnaire_id=questionnaire,
                            submitted_at=datetime(2025, 1, 1, 5, tzinfo=timezone.utc)
                            + timedelta(days=day), channel=channel,
                            answers={f"U{e}": a for e, a in enumerate(answers, 1)},
                            client_uuid=uuid.uuid4())
            for i, (answers, day, channel) in enumerate(draws)]


draw = st.tuples(st.lists(st.integers(1, 4), min_size=9, max_size=9), st.integers(0, 500),
                 st.sampled_from(CHANNELS))


def direct_staff_counts(session, units):
    """n and Σ totals of counted staff-entered responses per unit, by a GROUP BY on the rows."""
    total = sum((getattr(Response, f"u{e}") for e in range(2, 10)), Response.u1)
    return dict((unit_id, (n, t)) for unit_id, n, t in session.execute(
        select(Response.unit_id, func.count(), func.sum(total))
        .where(Response.unit_id.in_([u.id for u in units]), Response.excluded.is_(False),
               Response.channel.in_(("paper", "interview"))).group_by(Response.unit_id)))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(draw, min_size=1, max_size=12), min_size=1, max_size=3),
       data=st.data())
def test_rollup_staff_equals_a_group_by_after_inserts_exclusions_restorations(session, batches,
                                                                               data):
    nested = session.begin_nested()
    try:
        units = make_units(session)
        scope = Scope("agency", str(units[0].agency_id))
        for draws in batches:
            insert_rows(session, mixed_rows(session, units, draws))
            stored = session.scalars(select(Response).where(
                Response.unit_id.in_([u.id for u in units]))).all()
            for response in data.draw(st.lists(st.sampled_from(stored), max_size=4, unique=True)):
                change = rollups.add_rows if response.excluded else rollups.remove_rows
                response.excluded = not response.excluded
                change(session, [rollups.as_row(response)])
            session.flush()
            assert rollups.differences(session, scope, rollups.STAFF_TABLE) == []
            assert rollups.differences(session, scope) == []
            table = rollups.STAFF_TABLE
            semesters = {unit_id: (int(n), int(t)) for unit_id, n, t in session.execute(
                select(table.c.unit_id, func.sum(table.c.n), func.sum(table.c.t))
                .where(table.c.months == 6, table.c.unit_id.in_([u.id for u in units]))
                .group_by(table.c.unit_id)) if n}
            assert semesters == direct_staff_counts(session, units)
    finally:
        nested.rollback()
        session.expunge_all()


def expected_sums(rows) -> queries.Sums:
    """Sufficient statistics counted in Python over response rows (the definition)."""
    answers = [[row[f"u{e}"] for e in range(1, 10)] for row in rows]
    return queries.Sums(
        len(answers), tuple(sum(a[e] for a in answers) for e in range(9)),
        tuple(tuple(sum(a[e] == v for a in answers) for v in (1, 2, 3, 4)) for e in range(9)),
        sum(sum(a) for a in answers), sum(sum(a) ** 2 for a in answers))


@pytest.mark.parametrize("period", [
    Period(date(2025, 1, 1), date(2025, 12, 31), "2025", "2025"),
    Period(date(2025, 1, 15), date(2025, 8, 20), "x", "x"),  # edge days from the raw rows
])
def test_citizen_only_ikm_equals_the_ikm_of_citizen_rows_alone(session, period):
    units = make_units(session, 1)
    draws = [([(i * 7 + e) % 4 + 1 for e in range(9)], (i * 13) % 365, CHANNELS[i % 5])
             for i in range(60)]
    rows = mixed_rows(session, units, draws)
    insert_rows(session, rows)
    excluded = session.scalars(select(Response).where(Response.unit_id == units[0].id,
                                                      Response.channel == "qr").limit(1)).one()
    excluded.excluded = True
    rollups.remove_rows(session, [rollups.as_row(excluded)])
    session.flush()
    found = queries.channel_sums(session, Scope("unit", units[0].slug), period)
    inside = [row for row in rows if period.starts_on <= row["submitted_on"] <= period.ends_on
              and row["client_uuid"] != excluded.client_uuid]
    citizen = [row for row in inside if row["channel"] not in ("paper", "interview")]
    assert found.citizen == expected_sums(citizen)
    assert found.staff == expected_sums([row for row in inside if row not in citizen])
    assert figures.pooled("u", "u", found.citizen).konversi \
        == figures.pooled("u", "u", expected_sums(citizen)).konversi
    assert 0 < found.citizen.n < found.all.n == len(inside)


def test_staff_counts_group_units_and_their_agency(session):
    units = make_units(session, 2)
    # unit 0: 3 paper + 2 interview + 4 qr; unit 1: 6 link only.
    draws = ([([3] * 9, 10, "paper")] * 3 + [([3] * 9, 10, "interview")] * 2
             + [([3] * 9, 10, "qr")] * 4)
    insert_rows(session, mixed_rows(session, [units[0]], draws)
                + mixed_rows(session, [units[1]], [([2] * 9, 10, "link")] * 6))
    session.flush()
    scope, period = Scope("agency", str(units[0].agency_id)), Period(
        date(2025, 1, 1), date(2025, 6, 30), "2025-S1", "2025-S1")
    assert queries.staff_counts(session, scope, period) == {units[0].slug: 5}
    assert queries.staff_counts(session, scope, period, "agency") == {str(units[0].agency_id): 5}


# --- The level above: the share column and the jump alert ----------------------------------

def test_the_scope_page_shows_the_staff_share_and_the_jump_alert(client, session, users):
    units = make_units(session, 2)
    units[0].name, units[1].name = "Unit Melonjak", "Unit Tenang"
    day_s1, day_s2 = 40, 200  # 10 February and 20 July 2025
    # Melonjak: S1 10 link; S2 10 link + 10 paper → 0 % to 50 %, 10 staff-entered: an alert.
    # Tenang: S1 10 link; S2 10 link + 5 paper → 0 % to 33,3 %, but only 5: no alert.
    draws = {0: [([4] * 9, day_s1, "link")] * 10 + [([4] * 9, day_s2, "link")] * 10
             + [([4] * 9, day_s2, "paper")] * 10,
             1: [([3] * 9, day_s1, "link")] * 10 + [([3] * 9, day_s2, "link")] * 10
             + [([3] * 9, day_s2, "interview")] * 5}
    for i, unit_draws in draws.items():
        insert_rows(session, mixed_rows(session, [units[i]], unit_draws))
    session.commit()
    sign_in(client, users["admin"])
    page = client.get(f"/dasbor/?scope=agency:{units[0].agency_id}&period=2025-S2&group_by=unit")
    assert page.status_code == 200
    assert "Entri petugas" in page.text
    assert "50,0 % (10)" in page.text and "33,3 % (5)" in page.text  # 10/20 and 5/15
    alerts = page.text.split('id="jump-h"')[1].split("</section>")[0]
    assert "naik ≥ 20 poin persentase" in alerts
    assert "Unit Melonjak" in alerts and "Unit Tenang" not in alerts


def test_the_unit_page_shows_the_ikm_of_all_answers_and_of_citizens_only(client, session, users,
                                                                        sby):
    sign_in(client, users["unit"])
    address = open_batch(client, sheets_declared="3").headers["Location"]
    for _ in range(3):
        assert sheet(client, address).status_code == 303
    page = client.get("/dasbor/unit/unit-sby?period=2025-S2")
    assert "IKM semua jawaban" in page.text
    assert "IKM jawaban warga saja (tanpa entri petugas)" in page.text
    sums = queries.channel_sums(session, Scope("unit", "unit-sby"), Period(
        date(2025, 7, 1), date(2025, 12, 31), "2025-S2", "2025-S2"))
    assert sums.staff.n == 3 and sums.citizen.n == sums.all.n - 3
    for n in (sums.all.n, sums.citizen.n):
        assert f'<td class="num">{n}</td>' in page.text


# --- Scans ---------------------------------------------------------------------------------

@pytest.fixture
def scan_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_SCAN_DIR", str(tmp_path))
    return tmp_path


def upload(client, address, content, name):
    return client.post(f"{address}/pindaian", data={"csrf_token": csrf(client),
                                                   "scan": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_a_pdf_scan_is_kept_under_a_random_name_and_served_to_the_level_above(
        client, session, users, sby, scan_folder):
    sign_in(client, users["unit"])
    address = open_batch(client).headers["Location"]
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    assert "Pindaian tersimpan." in upload(client, address, pdf, "lembar 001-002.pdf").text
    [scan] = session.scalars(select(BatchScan)).all()
    assert scan.media_type == "application/pdf" and scan.size == len(pdf)
    assert [p.name for p in scan_folder.iterdir()] == [scan.stored_name]
    assert "lembar" not in scan.stored_name
    sign_in(client, users["agency"])  # the level above the unit
    with client.get(f"{address}/pindaian/{scan.id}") as got:
        assert got.status_code == 200 and got.data == pdf
    actions = session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("batch.scan%")).order_by(AuditEvent.id)).all()
    assert actions == ["batch.scan", "batch.scan_download"]


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "lembar.pdf", "bukan PDF, JPEG atau PNG"),
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "besar.pdf", "lebih dari 5 MB"),
])
def test_a_scan_that_is_not_a_small_pdf_jpeg_or_png_is_refused(client, session, users, sby,
                                                               scan_folder, content, name,
                                                               message):
    sign_in(client, users["unit"])
    address = open_batch(client).headers["Location"]
    assert message in upload(client, address, content, name).text
    assert count(session, BatchScan) == 0 and list(scan_folder.iterdir()) == []


# --- The import of paper files ------------------------------------------------------------

def test_an_imported_file_is_one_audited_closed_batch(runner, session, sby, tmp_path):
    path = tmp_path / "kertas.csv"
    path.write_text("submitted_at,gender,age,education,occupation,service_type,"
                    "u1,u2,u3,u4,u5,u6,u7,u8,u9,suggestion\n"
                    "2025-03-14,,,,,,4,4,4,4,4,4,4,4,4,\n2025-03-20,,,,,,3,3,3,3,3,3,3,3,3,\n",
                    encoding="utf-8")
    result = runner.invoke(cli, ["import", str(path), "--unit", "unit-sby"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    [batch] = session.scalars(select(EntryBatch)).all()
    assert (batch.sheets_declared, batch.first_day, batch.last_day, batch.channel) == (
        2, date(2025, 3, 14), date(2025, 3, 20), "paper")
    assert batch.closed_at is not None and staff_rows(session, sby) == 2
    assert session.scalars(select(AuditEvent.action).where(
        AuditEvent.target == f"batch:{batch.id}").order_by(AuditEvent.id)).all() == [
        "batch.open", "batch.close"]
    assert rollups.differences(session, Scope("unit", "unit-sby"), rollups.STAFF_TABLE) == []


def test_the_migration_fills_rollup_staff_from_existing_responses(tmp_path):
    with scratch_database(tmp_path) as url:
        engine = make_engine(url)
        migrate.upgrade(engine, "0008")
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            units = make_units(session, 2)
            draws = [([(i % 4) + 1] * 9, i * 10, CHANNELS[i % 5]) for i in range(30)]
            session.execute(Response.__table__.insert(), mixed_rows(session, units, draws))
            # The first paper answer excluded: not counted, as in rollup.
            session.execute(text("UPDATE response SET excluded = true WHERE id = "
                                 "(SELECT min(id) FROM response WHERE channel = 'paper')"))
            session.commit()
        migrate.upgrade(engine)
        with Session(engine) as session:
            # 12 staff-entered answers (i % 5 in 3, 4 of 30), one of them excluded.
            assert session.scalar(select(func.sum(rollups.STAFF_TABLE.c.n)).where(
                rollups.STAFF_TABLE.c.months == 6)) == 11
            assert rollups.differences(session, NATIONAL, rollups.STAFF_TABLE) == []
        engine.dispose()


def test_the_demos_paper_answers_belong_to_closed_audited_batches(session):
    load_demo(session)
    paper = select(func.count()).select_from(Response).where(Response.channel == "paper")
    assert session.scalar(paper) > 0
    assert session.scalar(paper.where(Response.batch_id.is_(None))) == 0
    assert session.scalar(select(func.count()).select_from(EntryBatch).where(
        EntryBatch.closed_at.is_(None))) == 0
    # Each batch holds exactly the sheets it declared.
    declared, typed = session.execute(select(func.sum(EntryBatch.sheets_declared),
                                             select(func.count()).select_from(Response).where(
                                                 Response.batch_id.is_not(None))
                                             .scalar_subquery())).one()
    assert declared == typed
    assert rollups.differences(session, NATIONAL, rollups.STAFF_TABLE) == []


@pytest.mark.parametrize("role", ("admin", "ministry", "agency", "region", "unit"))
def test_a_batch_and_its_scans_are_seen_by_exactly_those_who_see_its_unit(
        app, client, session, users, role, scan_folder):
    mks = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-mks")).one()
    batch = entry_batches.open_batch(session, mks, None, channel="interview",
                                     sheet_numbers="W-01", sheets_declared=1,
                                     first_day=date(2025, 5, 1), last_day=date(2025, 5, 2),
                                     note=None)
    with app.app_context():  # the scan folder is the app's
        scan = scans.store(session, batch, io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), None)
    session.commit()
    sign_in(client, users[role])
    allowed = role in {"admin", "ministry", "agency"}  # unit-mks: Makassar, the office's unit
    address = f"/dasbor/unit/unit-mks/kertas/{batch.id}"
    assert client.get(address).status_code == (200 if allowed else 403)
    with client.get(f"{address}/pindaian/{scan.id}") as got:
        assert got.status_code == (200 if allowed else 403)
    # Through the address of a unit one sees, another unit's batch is not found.
    assert client.get(f"/dasbor/unit/unit-sby/kertas/{batch.id}").status_code == 404
