"""The `suara` console command: a Flask CLI group."""

from pathlib import Path

import click
from flask import current_app
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

    session = db.for_writing(db.session())
    added, updated = load_regions(session, Path(csv_path) if csv_path else bundled_csv())
    session.commit()
    click.echo(f"Wilayah: {added} ditambahkan, {updated} diperbarui.")


@cli.command("demo")
def demo():
    """Load the demo ministry, agencies, units and responses. Idempotent."""
    from survey.demo import load_demo

    session = db.for_writing(db.session())
    summary = load_demo(session)
    session.commit()
    click.echo(summary.describe(current_app.config["SUARA_BASE_URL"]))


@cli.group("rollups")
def rollups_group():
    """Rollups: the per unit and month statistics every aggregate reads."""


def _scope_option(function):
    return click.option("--scope", "scope_text", default="national", show_default=True,
                        help="national, region:CODE, agency:ID or unit:SLUG")(function)


@rollups_group.command("rebuild")
@_scope_option
def rollups_rebuild(scope_text):
    """Recompute the rollups of a scope from the raw responses."""
    from survey import rollups
    from survey.scopes import parse_scope

    session = db.for_writing(db.session())
    written = rollups.rebuild(session, parse_scope(scope_text))
    session.commit()
    click.echo(f"Rollup {scope_text}: {written} baris unit×bulan dihitung ulang.")


@rollups_group.command("verify")
@_scope_option
def rollups_verify(scope_text):
    """Check that the rollups of a scope equal the raw responses; exit 1 if not."""
    from survey import rollups
    from survey.scopes import parse_scope

    wrong = rollups.differences(db.session(), parse_scope(scope_text))
    if wrong:
        for unit_id, month in wrong[:50]:
            click.echo(f"berbeda: unit {unit_id}, bulan {month:%Y-%m}", err=True)
        click.echo(f"Rollup {scope_text}: {len(wrong)} baris unit×bulan berbeda dari data mentah. "
                   "Jalankan `suara rollups rebuild`.", err=True)
        raise SystemExit(1)
    click.echo(f"Rollup {scope_text}: sama persis dengan data mentah.")


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


@cli.command("posters")
@click.option("--unit", "unit_slug", required=True, help="Slug of the service unit.")
@click.option("--out", "out_dir", required=True, help="Folder to write the files into.",
              type=click.Path(file_okay=False, writable=True, path_type=Path))
@click.option("--base-url", help="Public address of SUARA (default: SUARA_BASE_URL).")
def posters(unit_slug, out_dir, base_url):
    """Write a QR poster (PDF) and its code (SVG, PNG) for each active service point of a unit."""
    from survey.posters import poster_pdf, poster_stem, qr_png, qr_svg, survey_address
    from survey.queries import unit_by_slug

    unit = unit_by_slug(db.session(), unit_slug)
    if unit is None:
        raise click.BadParameter(f"tidak ada unit layanan {unit_slug!r}", param_hint="--unit")
    base = base_url or current_app.config["SUARA_BASE_URL"]
    points = [point for point in unit.points if point.active]
    out_dir.mkdir(parents=True, exist_ok=True)
    for point in points:
        name = poster_stem(unit.slug, point.name, point.token)
        qr_url = survey_address(base, point.token)
        (out_dir / f"{name}.pdf").write_bytes(
            poster_pdf(unit.name, point.name, unit.agency.name, point.token, base))
        (out_dir / f"{name}.svg").write_bytes(qr_svg(qr_url))
        (out_dir / f"{name}.png").write_bytes(qr_png(qr_url, scale=20))
        click.echo(f"{name}.pdf  {survey_address(base, point.token, qr=False)}")
    click.echo(f"Poster: {len(points)} titik layanan ditulis ke {out_dir}.")


def _run_import(run) -> None:
    """Run an import in one transaction; print its errors and exit 1 if any row is bad."""
    from survey.tabular import ImportFailed

    session = db.for_writing(db.session())
    try:
        result = run(session)
    except ImportFailed as failure:
        session.rollback()
        for line in failure.lines():
            click.echo(line, err=True)
        raise SystemExit(1)
    session.commit()
    click.echo(result.describe())
