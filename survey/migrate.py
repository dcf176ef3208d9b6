"""Alembic, driven from the application: the migrations are the only source of the schema."""

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from survey import ROOT


def alembic_config(engine: Engine) -> Config:
    """Return an Alembic config that runs the project's migrations on an engine."""
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to a revision."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to a revision."""
    command.downgrade(alembic_config(engine), revision)


def revision(engine: Engine, message: str, autogenerate: bool = True) -> None:
    """Write a new migration, compared against the models when autogenerate is set."""
    command.revision(alembic_config(engine), message=message, autogenerate=autogenerate)


def current(engine: Engine) -> None:
    """Print the revision the database is at."""
    command.current(alembic_config(engine))
