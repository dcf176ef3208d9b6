"""Fixtures of the web tests: a small, seeded data set of units and responses."""

import random
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from survey import create_app, prepared, rollups
from survey.db import make_engine
from survey.models import Agency, Response, ServicePoint, ServiceUnit
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.conftest import migrated_database

# Units: (slug, region, answer bias). Jayapura is in WIT (UTC+9), Makassar in WITA (UTC+8).
UNITS = [("unit-sby", "35.78", 0.6), ("unit-sda", "35.15", -0.3),
         ("unit-mks", "73.71", 0.1), ("unit-jpr", "91.71", -0.8)]


def _answers(rng: random.Random, bias: float) -> dict:
    base = rng.gauss(3 + bias, 0.6)
    return {f"U{i}": min(4, max(1, round(base + rng.gauss(0, 0.5)))) for i in range(1, 10)}


@contextmanager
def shared_point_app(tmp_path_factory, token: str, **config):
    """Yield (app, engine, point) on a migrated database of its own that several threads write
    to for real (not a rolled-back transaction): one open point of a unit in Surabaya (35.78,
    made a year ago); `config` added to the app's."""
    with migrated_database(tmp_path_factory.mktemp(token)) as url:
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            agency = Agency(name="Pemerintah Kota Uji")
            session.add(agency)
            session.flush()
            unit = ServiceUnit(slug="unit-paralel", name="Unit Paralel", agency_id=agency.id,
                               region_code="35.78",
                               created_at=datetime.now(timezone.utc) - timedelta(days=365))
            session.add(unit)
            session.flush()
            point = ServicePoint(unit_id=unit.id, name="Loket 1", token=token)
            session.add(point)
            session.commit()
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "SUARA_BASE_URL": "http://suara.test",
                          "CACHE_DIR": str(tmp_path_factory.mktemp("cache")), **config})
        try:
            yield app, engine, point
        finally:
            app.extensions["suara.db"].engine.dispose()
            engine.dispose()


def make_agencies(session) -> tuple[Agency, Agency]:
    """Create the ministry "Kementerian Uji" and its office "Dinas Uji" (flushed)."""
    ministry = Agency(name="Kementerian Uji", kind="kementerian")
    session.add(ministry)
    session.flush()
    ministry.path = f"/{ministry.id}/"
    office = Agency(name="Dinas Uji", parent_id=ministry.id)
    session.add(office)
    session.flush()
    office.path = f"{ministry.path}{office.id}/"
    return ministry, office


@pytest.fixture
def dataset(session):
    """Create two agencies, four units in three provinces and ~400 responses over 2025."""
    rng = random.Random(20251)
    ministry, office = make_agencies(session)
    questionnaire = default_questionnaire(session)
    rows = []
    for slug, region, bias in UNITS:
        unit = ServiceUnit(slug=slug, name=f"Unit {slug}", region_code=region,
                           agency_id=office.id if slug != "unit-jpr" else ministry.id)
        session.add(unit)
        session.flush()
        for _ in range(rng.randint(60, 140)):
            at = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randint(0, 525_000))
            rows.append(response_values(unit, questionnaire_id=questionnaire.id, submitted_at=at,
                                        channel="link", answers=_answers(rng, bias),
                                        client_uuid=uuid.UUID(int=rng.getrandbits(128))))
    # The semester edge in WIT: 30 June 20:00 UTC is already 1 July 05:00 in Jayapura.
    jpr = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-jpr")).one()
    rows.append(response_values(jpr, questionnaire_id=questionnaire.id,
                                submitted_at=datetime(2025, 6, 30, 20, tzinfo=timezone.utc),
                                channel="qr", answers={f"U{i}": 1 for i in range(1, 10)},
                                client_uuid=uuid.uuid4()))
    insert_rows(session, rows)
    # One response a person excluded after review, one merely flagged (still counted).
    first, second = session.scalars(select(Response).order_by(Response.id).limit(2))
    first.excluded, first.flagged = True, True
    rollups.remove_rows(session, [rollups.as_row(first)])
    second.flagged = True
    session.commit()
    return {"ministry": ministry.id, "office": office.id}


ROLES = ("admin", "ministry", "agency", "region", "unit")


@pytest.fixture
def users(session, dataset):
    """Create one user per role, bound to the dataset: ministry, office, Jawa Timur, unit-sby."""
    from survey.auth.accounts import hash_password
    from survey.models import User

    sby = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    scopes = {"admin": {}, "ministry": {"agency_id": dataset["ministry"]},
              "agency": {"agency_id": dataset["office"]}, "region": {"region_code": "35"},
              "unit": {"unit_id": sby.id}}
    password = hash_password("kata-sandi-uji-123")
    made = {role: User(email=f"{role}@uji.go.id", name=f"Pengguna {role}", role=role,
                       password_hash=password, **scope) for role, scope in scopes.items()}
    session.add_all(made.values())
    session.commit()
    return made


def sign_in(client, user) -> None:
    """Put a user's session in the test client's cookie (the sign-in form has its own tests)."""
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["v"] = user.id, user.session_version


@pytest.fixture
def web(app, client, tmp_path, monkeypatch):
    """Return a test client with a cache of its own: each test's data differ."""
    monkeypatch.setitem(app.config, "CACHE_DIR", str(tmp_path / "cache"))
    return client


@pytest.fixture
def admin(web, users):
    """Return the test client (with its own cache) signed in as an administrator."""
    sign_in(web, users["admin"])
    return web


@pytest.fixture
def statements(connection, monkeypatch):
    """Count the SQL statements the app runs on the test connection, those sent straight to
    the driver (survey/prepared.py) included: one per execute or executemany."""
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    run = prepared._run

    def recorded(connection, sql, parameters, method):
        seen.append(sql)
        return run(connection, sql, parameters, method)

    monkeypatch.setattr(prepared, "_run", recorded)
    event.listen(connection, "before_cursor_execute", listener)
    yield seen
    event.remove(connection, "before_cursor_execute", listener)
