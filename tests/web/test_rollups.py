"""Rollups stay equal to the raw responses through inserts, exclusions, restorations, imports,
concurrent writers and the migration that creates them; aggregates read them exactly."""

import multiprocessing
import random
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from survey import migrate, periods, queries, rollups
from survey.cli import cli
from survey.db import for_writing, make_engine
from survey.models import Agency, Period, Response, Rollup, ServiceUnit
from survey.periods import Period as PeriodRange
from survey.regions import bundled_csv, load_regions
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from tests.conftest import scratch_database


def make_units(session, count=3):
    agency = Agency(name=f"Instansi {uuid.uuid4().hex[:6]}", path="/")
    session.add(agency)
    session.flush()
    agency.path = f"/{agency.id}/"
    units = [ServiceUnit(slug=f"u-{uuid.uuid4().hex[:8]}", name=f"Unit {i}", agency_id=agency.id,
                         region_code=("35.78", "73.71", "91.71")[i % 3]) for i in range(count)]
    session.add_all(units)
    session.flush()
    return units


def rows_for(session, units, answers_list, days):
    questionnaire = default_questionnaire(session).id
    return [response_values(units[i % len(units)], questionnaire_id=questionnaire,
                            submitted_at=datetime(2025, 1, 1, 3, tzinfo=timezone.utc)
                            + timedelta(days=day, hours=(i * 7) % 20),
                            channel="link", answers=dict(zip([f"U{e}" for e in range(1, 10)], a)),
                            client_uuid=uuid.uuid4())
            for i, (a, day) in enumerate(zip(answers_list, days))]


answers = st.lists(st.integers(1, 4), min_size=9, max_size=9)
batch = st.lists(st.tuples(answers, st.integers(0, 500)), min_size=1, max_size=15)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(batch, min_size=1, max_size=4), data=st.data())
def test_rollups_equal_the_raw_data_after_any_sequence_of_changes(session, batches, data):
    nested = session.begin_nested()
    try:
        units = make_units(session)
        for rows in batches:
            insert_rows(session, rows_for(session, units, [a for a, _ in rows],
                                          [d for _, d in rows]))
            stored = session.scalars(select(Response).where(
                Response.unit_id.in_([u.id for u in units]))).all()
            for response in data.draw(st.lists(st.sampled_from(stored), max_size=4, unique=True)):
                # A person excludes, or restores what was excluded.
                change = rollups.add_rows if response.excluded else rollups.remove_rows
                response.excluded = not response.excluded
                change(session, [rollups.as_row(response)])
            session.flush()
            scope = Scope("agency", str(units[0].agency_id))
            assert rollups.differences(session, scope) == []
        # Aggregates from the rollups equal a direct count over the raw rows.
        period = PeriodRange(date(2025, 1, 1), date(2026, 12, 31), "x", "x")
        groups = queries.aggregate(session, scope, [period])
        counted = (groups[0].sums.n, groups[0].sums.element_sums[2]) if groups else (0, None)
        raw = session.execute(select(func.count(), func.sum(Response.u3)).where(
            Response.unit_id.in_([u.id for u in units]), Response.excluded.is_(False))).one()
        assert counted == tuple(raw)
    finally:
        nested.rollback()
        # Row ids are reused after a rollback: forget the objects loaded in this example.
        session.expunge_all()


def test_a_custom_range_reads_its_edge_days_from_the_responses(session):
    units = make_units(session, 1)
    days = list(range(0, 120, 3))  # 1 January .. 28 April 2025
    insert_rows(session, rows_for(session, units, [[(d % 4) + 1] * 9 for d in days], days))
    session.add(Period(unit_id=units[0].id, label="kampanye", name="Kampanye",
                       starts_on=date(2025, 1, 15), ends_on=date(2025, 3, 10)))
    session.flush()
    period = PeriodRange(date(2025, 1, 15), date(2025, 3, 10), "kampanye", "Kampanye")
    (group,) = queries.aggregate(session, Scope("unit", units[0].slug), [period])
    raw = session.execute(select(func.count(), func.sum(Response.u1)).where(
        Response.unit_id == units[0].id,
        Response.submitted_on.between(date(2025, 1, 15), date(2025, 3, 10)))).one()
    assert (group.sums.n, group.sums.element_sums[0]) == tuple(raw)
    assert periods.month_span(date(2025, 1, 15), date(2025, 3, 10)) == (
        date(2025, 2, 1), date(2025, 2, 1),
        [(date(2025, 1, 15), date(2025, 1, 31)), (date(2025, 3, 1), date(2025, 3, 10))])


@pytest.mark.parametrize("start, end, spans, edges", [
    ("2026-01-01", "2026-06-30", [(6, "2026-01-01", "2026-01-01")], []),  # a semester: one row
    ("2025-01-01", "2025-12-31", [(6, "2025-01-01", "2025-07-01")], []),  # a year: two
    ("2026-01-01", "2026-03-31", [(1, "2026-01-01", "2026-03-01")], []),  # a quarter: months
    ("2025-11-01", "2026-08-31", [(1, "2025-11-01", "2025-12-01"), (6, "2026-01-01", "2026-01-01"),
                                  (1, "2026-07-01", "2026-08-01")], []),
    ("2026-02-15", "2026-12-31", [(1, "2026-03-01", "2026-06-01"), (6, "2026-07-01", "2026-07-01")],
     [("2026-02-15", "2026-02-28")]),
    ("2026-03-05", "2026-03-20", [], [("2026-03-05", "2026-03-20")]),
])
def test_a_range_reads_whole_semesters_then_whole_months_then_days(start, end, spans, edges):
    day = date.fromisoformat
    assert periods.rollup_spans(day(start), day(end)) == (
        [(months, day(a), day(b)) for months, a, b in spans], [(day(a), day(b)) for a, b in edges])


def test_a_range_of_days_months_and_a_semester_counts_every_response_once(session):
    units = make_units(session, 1)
    # One response a day from 2025-01-01 for 500 days (the helper's days count from then).
    insert_rows(session, rows_for(session, units, [[(d % 4) + 1] * 9 for d in range(500)],
                                  range(500)))
    session.flush()
    start, end = date(2025, 5, 20), date(2026, 2, 10)  # days, months, 2025-S2, a month, days
    period = PeriodRange(start, end, "kampanye", "Kampanye")
    (group,) = queries.aggregate(session, Scope("unit", units[0].slug), [period])
    raw = session.execute(select(func.count(), func.sum(Response.u1)).where(
        Response.unit_id == units[0].id, Response.submitted_on.between(start, end))).one()
    assert (group.sums.n, group.sums.element_sums[0]) == tuple(raw)
    assert raw[0] > 250  # about one a day over the 267 days


def test_verify_finds_a_wrong_rollup_and_rebuild_mends_it(runner, session):
    units = make_units(session, 2)
    insert_rows(session, rows_for(session, units, [[3] * 9] * 10, range(0, 100, 10)))
    session.commit()
    assert runner.invoke(cli, ["rollups", "verify"]).exit_code == 0
    session.execute(update(Rollup.__table__).where(
        Rollup.__table__.c.unit_id == units[0].id).values(n=999))
    session.commit()
    broken = runner.invoke(cli, ["rollups", "verify"])
    assert broken.exit_code == 1 and "berbeda" in broken.output
    rebuilt = runner.invoke(cli, ["rollups", "rebuild", "--scope", f"unit:{units[0].slug}"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert runner.invoke(cli, ["rollups", "verify"]).exit_code == 0


def _writer(url: str, unit_id: int, seed: int, transactions: int) -> None:
    """Insert responses of one unit and month in many small transactions (another process)."""
    engine = make_engine(url)
    rng = random.Random(seed)
    with Session(engine) as session:
        for _ in range(transactions):
            unit = for_writing(session).get(ServiceUnit, unit_id)
            rows = rows_for(session, [unit], [[rng.randint(1, 4) for _ in range(9)]
                                              for _ in range(3)], [10, 11, 12])
            insert_rows(session, rows)
            session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A database that several processes write to for real (not a rolled-back transaction)."""
    with scratch_database(tmp_path_factory.mktemp("shared")) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            session.commit()
        yield url, engine
        engine.dispose()


def test_concurrent_writers_keep_the_rollups_exact(shared_database):
    url, engine = shared_database
    with Session(engine) as session:
        (unit,) = make_units(session, 1)
        session.commit()
        unit_id = unit.id
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(url, unit_id, seed, 25)) for seed in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [worker.exitcode for worker in workers] == [0, 0, 0, 0]
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Response).where(
            Response.unit_id == unit_id))
        assert stored == 4 * 25 * 3
        assert rollups.differences(session, NATIONAL) == []


def test_the_migration_fills_rollups_from_existing_responses(tmp_path):
    with scratch_database(tmp_path) as url:
        engine = make_engine(url)
        migrate.upgrade(engine, "0004")
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            units = make_units(session, 2)
            rows = rows_for(session, units, [[(i % 4) + 1] * 9 for i in range(30)], range(0, 300, 10))
            session.execute(Response.__table__.insert(), rows)  # before rollups existed
            session.execute(text("UPDATE response SET excluded = true WHERE id = "
                                 "(SELECT min(id) FROM response)"))
            session.commit()
        migrate.upgrade(engine)
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Rollup.__table__)) > 0
            assert rollups.differences(session, NATIONAL) == []
        engine.dispose()
