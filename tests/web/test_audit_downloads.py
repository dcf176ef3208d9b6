"""A download's audit row is written in a writing turn: on SQLite, a request that has only read
cannot begin to write once another writer has committed (it failed with "database is locked",
a 500 for about one report download in a hundred while citizens' answers were being stored)."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from survey import audit, create_app, db
from survey.models import AuditEvent
from tests.conftest import migrated_database


@pytest.fixture
def scratch_app(tmp_path):
    """An app on a database of its own: its commits are real, so other tests never see them."""
    with migrated_database(tmp_path) as url:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "CACHE_DIR": str(tmp_path)})
        yield app
        app.extensions["suara.db"].engine.dispose()


def _read_then_other_writer_commits(app):
    """Begin the request's read, then let another connection store a row and commit."""
    session = db.session()  # a GET: a reading transaction
    session.scalar(select(func.count()).select_from(AuditEvent))
    with app.extensions["suara.db"].engine.begin() as other:
        other.execute(AuditEvent.__table__.insert().values(action="login", at=func.now()))
    return session


def test_a_download_is_audited_after_another_writer_committed(scratch_app):
    with scratch_app.test_request_context("/unduh"):
        session = _read_then_other_writer_commits(scratch_app)
        audit.record_now(session, "export", "skm-figures.csv")
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 2


def test_without_the_turn_the_same_write_fails_on_sqlite(scratch_app):
    if scratch_app.extensions["suara.db"].engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL: a reading transaction may go on to write")
    with scratch_app.test_request_context("/unduh"):
        session = _read_then_other_writer_commits(scratch_app)
        audit.record(session, "export", "skm-figures.csv")
        with pytest.raises(OperationalError, match="locked"):
            session.commit()
        session.rollback()
