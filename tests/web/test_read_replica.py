"""A PostgreSQL streaming replica for reads (survey/read_replica.py), against a real one.

Needs the replica of .ci/with-postgres-replica (REPLICA_DATABASE_URL):
    .ci/with-postgres-replica .venv/bin/pytest -q tests/web/test_read_replica.py
The data are committed (a replica sees nothing of a rolled-back test transaction) in a scratch
database of their own on the primary, which the replica copies like everything else.
"""

import logging
import os
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InternalError
from sqlalchemy.orm import Session

from survey import audit, create_app, db
from survey.models import Agency, AuditEvent, Response, ServicePoint, ServiceUnit, utcnow
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.conftest import migrated_database
from tests.web.test_form import form_data

REPLICA = os.environ.get("REPLICA_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not REPLICA.startswith("postgresql") or not os.environ.get("DATABASE_URL"),
    reason="needs a streaming replica: .ci/with-postgres-replica")
CATCH_UP_SECONDS = 30
ANSWERS = {f"U{n}": 3 for n in range(1, 10)}


def on_server(url: str, database: str) -> str:
    """Return `url` naming another database on the same server."""
    return make_url(url).set(drivername="postgresql+psycopg", database=database) \
        .render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Yield (primary URL, replica URL, primary engine, replica admin engine), caught up."""
    with migrated_database(tmp_path_factory.mktemp("replica")) as primary_url:
        name = make_url(primary_url).database
        primary = create_engine(on_server(primary_url, name))
        replica = create_engine(on_server(REPLICA, "postgres"), isolation_level="AUTOCOMMIT")
        try:
            _seed(primary)
            catch_up(primary, replica)
            yield primary_url, on_server(REPLICA, name), primary, replica
        finally:
            with replica.connect() as connection:  # a paused replica would never drop the copy
                connection.execute(text("SELECT pg_wal_replay_resume()"))
            primary.dispose()
            replica.dispose()


def _seed(primary) -> None:
    """Commit a unit in Surabaya with one service point and one answer an hour ago."""
    with Session(primary) as session:
        agency = Agency(name="Pemerintah Kota Replika")
        session.add(agency)
        session.flush()
        unit = ServiceUnit(slug="unit-replika", name="Dinas Replika", agency_id=agency.id,
                           region_code="35.78")
        session.add(unit)
        session.flush()
        session.add(ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-replika"))
        insert_rows(session, [response_values(
            unit, questionnaire_id=default_questionnaire(session).id,
            submitted_at=utcnow() - timedelta(hours=1), channel="link", answers=ANSWERS,
            client_uuid=uuid.uuid4())])
        session.commit()


def catch_up(primary, replica) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with primary.connect() as connection:
        target = connection.scalar(text("SELECT pg_current_wal_insert_lsn()::text"))
    deadline = time.monotonic() + CATCH_UP_SECONDS
    with replica.connect() as connection:
        while not connection.scalar(text("SELECT pg_last_wal_replay_lsn() >= CAST(:t AS pg_lsn)"),
                                    {"t": target}):
            assert time.monotonic() < deadline, f"replica still behind {target}"
            time.sleep(0.05)


@contextmanager
def replay_paused(primary, replica):
    """Stop the replica's replay for the block (it lags), then let it catch up."""
    with replica.connect() as connection:
        connection.execute(text("SELECT pg_wal_replay_pause()"))
        # The pause takes effect at the next WAL record: write one that changes nothing.
        while connection.scalar(text("SELECT pg_get_wal_replay_pause_state()")) != "paused":
            with primary.begin() as writer:
                writer.execute(text("SELECT pg_logical_emit_message(false, 'suara', 'pause')"))
            time.sleep(0.02)
    try:
        yield
    finally:
        with replica.connect() as connection:
            connection.execute(text("SELECT pg_wal_replay_resume()"))
        catch_up(primary, replica)


def make_app(primary_url: str, read_url: str, cache_dir) -> Flask:
    return create_app({"TESTING": True, "DATABASE_URL": primary_url,
                       "SUARA_READ_DATABASE_URL": read_url, "SECRET_KEY": "test-secret",
                       "SUARA_BASE_URL": "http://suara.test", "CACHE_DIR": str(cache_dir)})


@pytest.fixture(scope="module")
def app(servers, tmp_path_factory):
    primary_url, replica_url, _, _ = servers
    app = make_app(primary_url, replica_url, tmp_path_factory.mktemp("cache"))
    yield app
    app.extensions["suara.db"].engine.dispose()
    app.extensions["suara.db"].replica.engine.dispose()


def respondents(client) -> int:
    response = client.get("/api/v1/units/unit-replika/ikm")
    assert response.status_code == 200
    return response.get_json()["respondents"]


def count_on(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_pages_read_the_replica_and_show_older_figures_while_it_lags(app, servers):
    _, _, primary, replica = servers
    client = app.test_client()
    before = respondents(client)
    with replay_paused(primary, replica):
        with Session(primary) as session:
            unit = session.scalars(select(ServiceUnit)
                                   .where(ServiceUnit.slug == "unit-replika")).one()
            insert_rows(session, [response_values(
                unit, questionnaire_id=default_questionnaire(session).id,
                submitted_at=utcnow() - timedelta(minutes=30), channel="qr", answers=ANSWERS,
                client_uuid=uuid.uuid4())])
            session.add(ServiceUnit(slug="unit-baru-replika", name="Dinas Baru Replika",
                                    agency_id=unit.agency_id, region_code="35.78"))
            session.commit()
        # The primary has the answer and the unit; the pages still show the replica's figures.
        assert respondents(client) == before
        assert "Dinas Baru Replika" not in client.get("/?q=Replika").text
        assert client.get("/api/v1/units/unit-baru-replika/ikm").status_code == 404
    # Replayed: the one answer written above is counted, the new unit is listed.
    assert respondents(client) == before + 1
    assert "Dinas Baru Replika" in client.get("/?q=Replika").text


def test_a_sent_form_is_written_on_the_primary_and_read_back_from_it(app, servers):
    _, _, primary, replica = servers
    sender, other = app.test_client(), app.test_client()
    before, point = respondents(sender), _point(primary)
    with replay_paused(primary, replica):
        stored = count_on(primary, Response)
        sent = sender.post("/s/tok-replika/kirim", data=form_data(app, point))
        assert sent.status_code == 303
        assert count_on(primary, Response) == stored + 1  # on the primary, while replay is paused
        assert sender.get_cookie("suara_primary_until") is not None
        # This browser reads the primary: its answer is counted; another still reads the replica.
        assert sender.get(sent.headers["Location"]).status_code == 200
        assert respondents(sender) == before + 1
        assert respondents(other) == before
        assert other.get_cookie("suara_primary_until") is None
    assert respondents(other) == before + 1


def _point(primary) -> ServicePoint:
    with Session(primary) as session:
        return session.scalars(select(ServicePoint)
                               .where(ServicePoint.token == "tok-replika")).one()


def test_the_window_ends_and_a_forged_cookie_is_ignored(servers, tmp_path):
    primary_url, replica_url, primary, replica = servers
    app = make_app(primary_url, replica_url, tmp_path)
    app.config["SUARA_READ_AFTER_WRITE_SECONDS"] = 1
    client = app.test_client()
    point = _point(primary)
    before = respondents(client)
    try:
        with replay_paused(primary, replica):
            sent = client.post("/s/tok-replika/kirim", data=form_data(app, point))
            assert sent.status_code == 303
            assert respondents(client) == before + 1
            time.sleep(2.1)  # the one-second window (set above) is over: the replica again
            assert respondents(client) == before
            client.set_cookie("suara_primary_until", "1.forged.signature")
            assert respondents(client) == before
    finally:
        app.extensions["suara.db"].engine.dispose()
        app.extensions["suara.db"].replica.engine.dispose()


def test_a_get_reads_the_replica_whose_transactions_refuse_writes(app, servers):
    _, _, primary, replica = servers
    with app.test_request_context("/", method="GET"):
        session = db.session()
        assert session.get_bind() is app.extensions["suara.db"].replica.engine
        with pytest.raises(InternalError, match="read-only transaction"):
            session.execute(insert(AuditEvent).values(action="test.replica_write"))
        session.rollback()


def test_a_get_that_writes_writes_on_the_primary(app, servers):
    _, _, primary, replica = servers
    with replay_paused(primary, replica):
        before = count_on(primary, AuditEvent)
        with app.test_request_context("/", method="GET"):
            session = db.session()
            assert session.scalar(select(func.count()).select_from(ServiceUnit)) >= 1
            audit.record_now(session, "test.download", "replica")  # an audited download's write
            assert session.get_bind() is app.extensions["suara.db"].engine
        assert count_on(primary, AuditEvent) == before + 1


def test_posts_read_and_write_the_primary(app, servers):
    with app.test_request_context("/s/tok-replika/kirim", method="POST"):
        assert db.session().get_bind() is app.extensions["suara.db"].engine


def test_an_unreachable_replica_leaves_the_pages_to_the_primary(servers, tmp_path, caplog):
    primary_url, _, _, _ = servers
    name = make_url(primary_url).database
    nowhere = f"postgresql+psycopg://postgres@/{name}?host={tmp_path}/no-server&port=5432"
    app = make_app(primary_url, nowhere, tmp_path)
    client = app.test_client()
    try:
        with caplog.at_level(logging.WARNING, logger=app.logger.name):
            home = client.get("/?q=Replika")
            app.extensions["suara.db"].replica.down_until = 0.0  # tried again at once: fails again
            ikm = client.get("/api/v1/units/unit-replika/ikm")
        assert (home.status_code, ikm.status_code) == (200, 200)
        assert "Dinas Replika" in home.text
        unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(unreachable) == 1  # logged once for both requests, both of which tried it
    finally:
        app.extensions["suara.db"].engine.dispose()
        app.extensions["suara.db"].replica.engine.dispose()
