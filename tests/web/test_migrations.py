"""Alembic migrations are the only source of the schema: they must equal the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from survey import migrate
from survey.db import Base, make_engine
from tests.conftest import scratch_database


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
