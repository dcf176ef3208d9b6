"""Prepared statements store and read exactly what SQLAlchemy's own execution would, and the
driver's errors reach callers as SQLAlchemy's."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, case, exc, func, insert, literal, select, text
from sqlalchemy.orm import Session

from survey.db import make_engine
from survey.models import Response
from survey.prepared import Prepared
from survey.public import abuse
from survey.responses import default_questionnaire, response_values
from tests.web.test_form import point  # noqa: F401  (the point fixture)

TABLE = Response.__table__
COMPARED = [column.key for column in TABLE.c if column.key not in ("id", "client_uuid")]


def row_for(session, point, **profile):
    # WITA (UTC+8) seconds before local midnight: the submission date is the next day.
    at = datetime(2026, 3, 31, 23, 59, 30, 123456, tzinfo=timezone(timedelta(hours=8)))
    return response_values(point.unit, questionnaire_id=default_questionnaire(session).id,
                           submitted_at=at, channel="qr", point_id=point.id,
                           answers={f"U{n}": (n % 4) + 1 for n in range(1, 10)},
                           client_uuid=uuid.uuid4(), gender="P", age=41, education="D4-S1",
                           occupation="PNS", service_type="KTP-el", suggestion="Antre lama\n",
                           client_key="k" * 32, extra={"answers": {"X1": 3}}, **profile)


def stored(session, client_uuid):
    response = session.scalars(select(Response).where(Response.client_uuid == client_uuid)).one()
    return {key: getattr(response, key) for key in COMPARED}


def test_an_insert_stores_what_sqlalchemy_would(session, point):
    ours, theirs = row_for(session, point), row_for(session, point)
    theirs["created_at"] = ours["created_at"]
    Prepared(insert(TABLE), list(ours)).execute_many(session, [ours])
    session.execute(insert(TABLE), theirs)
    session.expire_all()
    mine = stored(session, ours["client_uuid"])
    assert mine == stored(session, theirs["client_uuid"])
    assert mine["submitted_at"] == datetime(2026, 3, 31, 15, 59, 30, 123456, tzinfo=timezone.utc)
    assert str(mine["submitted_on"]) == "2026-03-31"
    assert mine["extra"] == {"answers": {"X1": 3}}


def test_the_screening_counts_read_what_sqlalchemy_reads(session, point):
    rows = [row_for(session, point) for _ in range(3)]
    rows[1]["client_key"] = "other-device-key".ljust(32, "0")
    for row in rows:
        row["answer_key"] = abuse.answer_key(row)
    Prepared(insert(TABLE), list(rows[0])).execute_many(session, rows)
    now = rows[0]["created_at"] + timedelta(seconds=1)
    values = {"point_id": point.id, "client_key": rows[0]["client_key"],
              "answer_key": rows[0]["answer_key"], "since": now - abuse.LIMIT_WINDOW,
              "burst": now - abuse.BURST_WINDOW, "identical": now - abuse.IDENTICAL_WINDOW}
    expected = tuple(session.execute(abuse.RECENT.statement, values).one())
    assert expected == (3, 2, 2, 3)
    assert tuple(abuse.RECENT.execute(session, values).fetchone()) == expected


def test_a_statement_with_literals_reads_what_sqlalchemy_reads(session, point):
    rows = [row_for(session, point) for _ in range(3)]
    rows[1]["u1"] = 4
    Prepared(insert(TABLE), list(rows[0])).execute_many(session, rows)
    # case() writes its 1 and 0 into the statement as values of their own.
    statement = select(func.sum(case((TABLE.c.u1 == bindparam("u1"), 1), else_=0)),
                       func.sum(case((TABLE.c.u1 != bindparam("u1"), 10), else_=0)))
    expected = tuple(session.execute(statement, {"u1": 2}).one())
    assert expected == (2, 10)
    assert tuple(Prepared(statement).execute(session, {"u1": 2}).fetchone()) == expected


def test_a_value_named_twice_in_a_statement_is_converted_once(session, point):
    row = row_for(session, point)
    Prepared(insert(TABLE), list(row)).execute_many(session, [row])
    def at():  # a parameter of its own each time, of one name: one value, converted once
        return bindparam("at", type_=Response.submitted_at.type)

    both = Prepared(select(func.count()).select_from(TABLE).where(
        TABLE.c.client_uuid == bindparam("client_uuid", type_=TABLE.c.client_uuid.type),
        TABLE.c.submitted_at <= at(), TABLE.c.created_at > at()))
    values = {"client_uuid": row["client_uuid"], "at": row["submitted_at"]}
    assert both.execute(session, values).fetchone()[0] == 1


def test_a_duplicate_raises_sqlalchemys_integrity_error(session, point):
    row = row_for(session, point)
    statement = Prepared(insert(TABLE), list(row))
    statement.execute_many(session, [row])
    session.commit()
    twin = {**row_for(session, point), "client_uuid": row["client_uuid"]}
    with pytest.raises(exc.IntegrityError):
        statement.execute_many(session, [twin])
    session.rollback()
    count = select(Response.id).where(Response.client_uuid == row["client_uuid"])
    assert len(session.scalars(count).all()) == 1


def test_an_insert_without_a_column_that_has_a_default_is_refused(session, point):
    row = row_for(session, point)
    del row["created_at"], row["excluded"]
    with pytest.raises(ValueError, match="created_at, excluded|excluded, created_at"):
        Prepared(insert(TABLE), list(row)).execute_many(session, [row])


def test_a_lost_connection_is_reported_and_replaced(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a server connection to lose: PostgreSQL only")
    engine = make_engine(database_url)
    one = Prepared(select(literal(1)))
    try:
        with engine.connect() as doomed, engine.connect() as killer:
            session = Session(bind=doomed)
            pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            with pytest.raises(exc.OperationalError) as lost:
                one.execute(session, {})
            assert lost.value.connection_invalidated
            session.close()
        with engine.connect() as fresh:
            assert one.execute(Session(bind=fresh), {}).fetchone() == (1,)
    finally:
        engine.dispose()
