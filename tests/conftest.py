"""Fixtures: a scratch database per test run (SQLite, or PostgreSQL when DATABASE_URL says so),
migrated once; every test runs in a transaction that is rolled back."""

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from survey import create_app, memo, migrate
from survey.db import make_engine
from survey.regions import bundled_csv, load_regions


@contextmanager
def scratch_database(tmp_dir):
    """Yield the URL of a new empty database, dropped afterwards.

    On PostgreSQL it is created next to the database DATABASE_URL names, which is never touched.
    """
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_dir / f'{uuid.uuid4().hex}.db'}"
        return
    name = f"suara_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server_url).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migrated_database(tmp_dir):
    """Yield the URL of a new database, migrated, with the regions loaded and committed."""
    with scratch_database(tmp_dir) as url:
        engine = make_engine(url)
        try:
            migrate.upgrade(engine)
            with engine.begin() as connection:
                load_regions(Session(bind=connection), bundled_csv())
        finally:
            engine.dispose()
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return a migrated scratch database with the regions loaded."""
    with migrated_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({"TESTING": True, "DATABASE_URL": database_url,
                      "SECRET_KEY": "test-secret", "SUARA_BASE_URL": "http://suara.test",
                      "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
                      # Rolled-back test data never reach a replica (tests/web/test_read_replica.py).
                      "SUARA_READ_DATABASE_URL": ""})
    yield app
    app.extensions["suara.db"].engine.dispose()


@pytest.fixture
def connection(app):
    """Bind the app's sessions to one connection whose transaction is rolled back."""
    database = app.extensions["suara.db"]
    memo.forget_all(app)  # rows kept from an earlier test's rolled-back data
    with database.engine.connect() as connection:
        transaction = connection.begin()
        database.sessionmaker.configure(bind=connection,
                                        join_transaction_mode="create_savepoint")
        try:
            yield connection
        finally:
            database.sessionmaker.configure(bind=database.engine, join_transaction_mode="conservative_savepoint")
            transaction.rollback()


@pytest.fixture
def session(app, connection):
    """Return a session on the test connection; requests and commands open their own on it."""
    with app.extensions["suara.db"].sessionmaker() as session:
        yield session


@pytest.fixture
def client(app, connection):
    return app.test_client()


@pytest.fixture
def runner(app, connection):
    return app.test_cli_runner()
