"""The application behind `suara`'s commands: created only when a command runs, so that
`suara --help` loads neither Flask's app nor SQLAlchemy (DESIGN.md §8: any CLI start within 1 s)."""

from contextlib import nullcontext

import click


class AppCommand(click.Command):
    """A command that runs inside the application's context, created when it runs."""

    def invoke(self, ctx: click.Context):
        with _app_context(ctx):
            return super().invoke(ctx)


class AppGroup(click.Group):
    """A group whose commands and subgroups are AppCommand and AppGroup."""

    command_class = AppCommand
    group_class = type  # subgroups of the same class


def _app_context(ctx: click.Context):
    """Return the context of the application: the one already pushed, the one a test runner
    passes (Flask's ScriptInfo), else a new one from the environment's settings."""
    from flask import has_app_context
    from flask.cli import ScriptInfo

    if has_app_context():
        return nullcontext()
    info = ctx.find_object(ScriptInfo)
    if info is not None:
        return info.load_app().app_context()
    from survey import create_app

    return create_app().app_context()


def app_config(name: str):
    """Return a setting of the running command's application."""
    from flask import current_app

    return current_app.config[name]


def app_engine():
    """Return the database engine of the running command's application."""
    from survey import db

    return db.database().engine


def read_session():
    """Return the request-scoped database session."""
    from survey import db

    return db.session()


def write_session():
    """Return the database session, ready to write."""
    from survey import db

    return db.for_writing(db.session())
