"""The `suara` console command: a Flask CLI group."""

from pathlib import Path

import click
from flask.cli import FlaskGroup

from survey import create_app, db


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli():
    """SUARA: Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""


def main() -> None:
    """Run the `suara` command."""
    cli(prog_name="suara")


@cli.group("db")
def db_group():
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Apply migrations up to REVISION (default: head)."""
    from survey import migrate

    migrate.upgrade(db.database().engine, revision)
    click.echo(f"Basis data diperbarui ke revisi {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    """Revert migrations down to REVISION."""
    from survey import migrate

    migrate.downgrade(db.database().engine, revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not compare against the models.")
def db_revision(message, empty):
    """Write a new migration; read and fix it by hand afterwards."""
    from survey import migrate

    migrate.revision(db.database().engine, message, autogenerate=not empty)


@cli.group("regions")
def regions_group():
    """Provinces and regencies/cities (Kemendagri codes)."""


@regions_group.command("load")
@click.argument("csv_path", required=False, type=click.Path(exists=True, dir_okay=False))
def regions_load(csv_path):
    """Load regions from CSV_PATH (default: the list shipped with SUARA). Idempotent."""
    from survey.regions import bundled_csv, load_regions

    session = db.session()
    added, updated = load_regions(session, Path(csv_path) if csv_path else bundled_csv())
    session.commit()
    click.echo(f"Wilayah: {added} ditambahkan, {updated} diperbarui.")


@cli.command("demo")
def demo():
    """Load the demo ministry, agencies, units and responses. Idempotent."""
    from survey.demo import load_demo

    session = db.session()
    summary = load_demo(session)
    session.commit()
    click.echo(summary.describe())


@cli.group("units")
def units_group():
    """Service units."""


@units_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def units_import(path):
    """Create or update service units from a CSV or XLSX file (all or nothing)."""
    from survey.unit_import import import_units

    _run_import(lambda session: import_units(session, Path(path)))


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--unit", "unit_slug", required=True, help="Slug of the service unit.")
def responses_import(path, unit_slug):
    """Import paper questionnaires typed into a CSV or XLSX file (all or nothing)."""
    from survey.response_import import import_responses

    _run_import(lambda session: import_responses(session, Path(path), unit_slug))


def _run_import(run) -> None:
    """Run an import in one transaction; print its errors and exit 1 if any row is bad."""
    from survey.tabular import ImportFailed

    session = db.session()
    try:
        result = run(session)
    except ImportFailed as failure:
        session.rollback()
        for line in failure.lines():
            click.echo(line, err=True)
        raise SystemExit(1)
    session.commit()
    click.echo(result.describe())
