"""Database faults told apart: a busy database (try again) from a read-only or full one that
will not clear (nothing was saved, the service has a fault, the log names the cause)."""

import logging
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from survey import faults
from tests.web.test_auth import PASSWORD, csrf_token
from tests.web.test_form import form_data, point  # noqa: F401 (a fixture)


@pytest.fixture
def read_only(connection):
    """Make the test's real database refuse every write from now on, as a read-only file or a
    PostgreSQL standby would (SQLITE_READONLY; SQLSTATE 25006)."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA query_only = ON")
        yield
        connection.exec_driver_sql("PRAGMA query_only = OFF")
    else:
        connection.exec_driver_sql("SET transaction_read_only = on")  # until the rollback
        yield


def test_a_citizen_reads_that_the_answer_was_not_saved_and_the_log_names_the_cause(
        app, client, point, read_only, caplog):  # noqa: F811
    client.get("/s/tok-uji-1")
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        response = client.post("/s/tok-uji-1/kirim", data=form_data(app, point))
    assert response.status_code == 503
    assert "Jawaban Anda belum tersimpan" in response.text
    assert "gangguan teknis" in response.text and "sudah tercatat" in response.text
    assert "sibuk" not in response.text  # not the page of a passing load
    assert response.headers["Retry-After"] == str(faults.FAULT_RETRY_AFTER)
    [line] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "read-only database" in line.getMessage() and "/s/tok-uji-1/kirim" in line.getMessage()


def test_signing_in_on_a_read_only_database_answers_the_staff_fault_page(
        app, client, users, read_only):
    token = csrf_token(client)
    response = client.post("/masuk", data={"email": "unit@uji.go.id", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 503
    assert "Perubahan Anda belum tersimpan" in response.text
    assert "hanya-baca" in response.text and "disk penuh" in response.text


def _sqlite_engine(path):
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x BLOB)"))
    return engine


def test_a_full_sqlite_database_is_a_lasting_fault(tmp_path):
    engine = _sqlite_engine(tmp_path / "full.db")
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
        connection.exec_driver_sql(f"PRAGMA max_page_count = {pages}")  # no room to grow
        with pytest.raises(OperationalError) as raised:
            connection.execute(text("INSERT INTO t VALUES (zeroblob(100000))"))
    engine.dispose()
    assert isinstance(raised.value.orig, sqlite3.OperationalError)
    assert faults.lasting_cause(raised.value) == "disk full"


def test_a_locked_sqlite_database_is_only_busy(tmp_path):
    engine = _sqlite_engine(tmp_path / "busy.db")
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with engine.connect() as connection, pytest.raises(OperationalError) as raised:
            connection.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
    assert "locked" in str(raised.value.orig)
    assert faults.lasting_cause(raised.value) is None
