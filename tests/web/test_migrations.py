"""Alembic migrations are the only source of the schema: they must equal the models."""

import uuid
from datetime import datetime, timedelta, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from survey import migrate
from survey.db import Base, make_engine
from survey.models import Response, ServicePoint
from survey.public import abuse
from survey.regions import bundled_csv, load_regions
from survey.responses import default_questionnaire, response_values
from tests.conftest import scratch_database
from tests.web.test_rollups import make_units


def schema_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_on_an_empty_database_gives_exactly_the_models(tmp_path):
    with scratch_database(tmp_path) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        assert schema_differences(engine) == []
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(tmp_path):
    with scratch_database(tmp_path) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert schema_differences(engine) == []
        engine.dispose()


def test_the_default_questionnaire_is_the_regulations_nine_elements_in_order(session):
    rows = session.execute(text(
        "SELECT element_code, position FROM questionnaire_item i "
        "JOIN questionnaire q ON q.id = i.questionnaire_id "
        "WHERE q.unit_id IS NULL ORDER BY position")).all()
    assert rows == [(f"U{n}", n) for n in range(1, 10)]


def test_the_screening_migration_keys_the_answers_it_may_still_compare(tmp_path):
    # 0024 gives the answers of the last two hours at a point the key the screening now
    # compares, the same string as abuse.answer_key; older and staff-typed ones keep none.
    with scratch_database(tmp_path) as url:
        engine = make_engine(url)
        migrate.upgrade(engine, "0023")
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            unit = make_units(session, 1)[0]
            point = ServicePoint(unit_id=unit.id, name="Loket 1", token=uuid.uuid4().hex)
            session.add(point)
            session.flush()
            questionnaire = default_questionnaire(session).id
            now = datetime.now(timezone.utc)

            def row(point_id, minutes_ago, **profile):
                values = response_values(
                    unit, questionnaire_id=questionnaire, point_id=point_id,
                    submitted_at=now - timedelta(minutes=minutes_ago), channel="qr",
                    answers={f"U{e}": e % 4 + 1 for e in range(1, 10)},
                    client_uuid=uuid.uuid4(), **profile)
                return {**values, "created_at": values["submitted_at"]}

            profile = {"gender": None, "age": None, "education": None, "occupation": None}
            rows = [row(point.id, 10, **{**profile, "gender": "P", "age": 41,
                                         "education": "D4-S1", "occupation": "PNS"}),
                    row(point.id, 20, **profile), row(point.id, 180, **{**profile, "gender": "L"}),
                    row(None, 10, **{**profile, "gender": "L"})]
            session.execute(Response.__table__.insert(), rows)
            session.commit()
        migrate.upgrade(engine)
        with Session(engine) as session:
            keys = session.scalars(select(Response.answer_key).order_by(Response.id)).all()
        assert keys == ["234123412|P|41|D4-S1|PNS", "234123412||||", None, None]
        assert keys[:2] == [abuse.answer_key(rows[0]), abuse.answer_key(rows[1])]
        engine.dispose()
