"""The `suara` console command: a plain click group whose commands create the application
only when they run (survey/cli_context.py), so that `suara --help` answers at once."""

from pathlib import Path

import click

from survey.cli_context import AppGroup, app_config, app_engine, read_session, write_session
from survey.exchange.commands import exchange_group


@click.group(cls=AppGroup)
def cli():
    """SUARA: Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""


def main() -> None:
    """Run the `suara` command."""
    cli(prog_name="suara")


cli.add_command(exchange_group)


@cli.group("db")
def db_group():
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Apply migrations up to REVISION (default: head)."""
    from survey import migrate

    migrate.upgrade(app_engine(), revision)
    click.echo(f"Basis data diperbarui ke revisi {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    """Revert migrations down to REVISION."""
    from survey import migrate

    migrate.downgrade(app_engine(), revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not compare against the models.")
def db_revision(message, empty):
    """Write a new migration; read and fix it by hand afterwards."""
    from survey import migrate

    migrate.revision(app_engine(), message, autogenerate=not empty)


@cli.group("regions")
def regions_group():
    """Provinces and regencies/cities (Kemendagri codes)."""


@regions_group.command("load")
@click.argument("csv_path", required=False, type=click.Path(exists=True, dir_okay=False))
def regions_load(csv_path):
    """Load regions from CSV_PATH (default: the list shipped with SUARA). Idempotent."""
    from survey.regions import bundled_csv, load_regions

    session = write_session()
    added, updated = load_regions(session, Path(csv_path) if csv_path else bundled_csv())
    session.commit()
    click.echo(f"Wilayah: {added} ditambahkan, {updated} diperbarui.")


@cli.command("demo")
def demo():
    """Load the demo ministry, agencies, units and responses. Idempotent."""
    from survey.demo import load_demo

    session = write_session()
    summary = load_demo(session)
    session.commit()
    click.echo(summary.describe(app_config("SUARA_BASE_URL")))


@cli.group("inbox")
def inbox_group():
    """Suggestions and complaints: the contacts citizens left with them."""


@inbox_group.command("purge")
@click.option("--days", type=click.IntRange(min=0),
              help="Keep contacts this many days (default: SUARA_CONTACT_DAYS, 90).")
def inbox_purge(days):
    """Delete the contacts citizens left that are kept longer than the retention time."""
    from survey import audit
    from survey.inbox import contacts

    days = app_config("SUARA_CONTACT_DAYS") if days is None else days
    session = write_session()
    count = contacts.purge(session, days)
    audit.record(session, "contacts_purged", detail={"count": count, "days": days})
    session.commit()
    click.echo(f"Kontak warga dihapus: {count} (disimpan lebih dari {days} hari).")


@cli.group("invitations")
def invitations_group():
    """Invitations to answer: personal links sent by e-mail, SMS or WhatsApp."""


@invitations_group.command("send")
def invitations_send():
    """Send the invitations by message that are due, and at most one reminder each."""
    from flask import current_app

    from survey.invitations import messages
    from survey.models import utcnow

    session = write_session()
    done = messages.send_due(session, current_app.config, utcnow(), session.commit)
    click.echo(f"Undangan terkirim: {done['sent']}, pengingat: {done['reminded']}, "
               f"gagal: {done['failed']}, dicoba lagi nanti: {done['retrying']}, "
               f"tidak ingin dihubungi: {done['opted_out']}, "
               f"menunggu dikirim petugas: {done['manual']}.")


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
    from survey import instrument_store, rollups
    from survey.scopes import parse_scope

    session = write_session()
    written = rollups.rebuild(session, parse_scope(scope_text))
    written += instrument_store.rebuild(session, parse_scope(scope_text))
    session.commit()
    click.echo(f"Rollup {scope_text}: {written} baris (unit × bulan dan unit × semester) "
               "dihitung ulang.")


@rollups_group.command("verify")
@_scope_option
def rollups_verify(scope_text):
    """Check that the rollups of a scope equal the raw responses; exit 1 if not."""
    from survey import instrument_store, rollups
    from survey.scopes import parse_scope

    scope = parse_scope(scope_text)
    wrong = [difference for table in rollups.TABLES
             for difference in rollups.differences(read_session(), scope, table)]
    # The rollups of the Zona Integritas surveys (SPKP, SPAK) asked after the SKM.
    wrong += instrument_store.differences(read_session(), scope)
    if wrong:
        for unit_id, months, starts_on in wrong[:50]:
            span = (f"bulan {starts_on:%Y-%m}" if months == 1
                    else f"semester {starts_on.year}-S{1 if starts_on.month == 1 else 2}")
            click.echo(f"berbeda: unit {unit_id}, {span}", err=True)
        click.echo(f"Rollup {scope_text}: {len(wrong)} baris rollup (unit × bulan atau semester) "
                   "berbeda dari data mentah. Jalankan `suara rollups rebuild`.", err=True)
        raise SystemExit(1)
    received = rollups.received_units(read_session(), scope)
    click.echo(f"Rollup {scope_text}: sama persis dengan data mentah." + (
        f" {received} unit dari server lain tidak diperiksa: hanya angka ringkasan, "
        "tanpa data mentah." if received else ""))


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
@click.option("--format", "kind", default="auto", show_default=True,
              type=click.Choice(["auto", "suara", "google", "kobo", "official"]),
              help="SUARA's columns, a Google Forms CSV, a KoboToolbox XLSX or the official "
                   "pengolahan data sheet (auto: told by the header).")
@click.option("--mapping", "mapping_choice", default="saved", show_default=True,
              type=click.Choice(["saved", "guess"]),
              help="Other tools' columns: the mapping saved for this header, or the guess "
                   "(printed when none is saved), then saved.")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]),
              help="The day of every row of a sheet without times (official sheets).")
@click.option("--spkp-scale", type=click.Choice(["4", "6"]),
              help="Scale of the columns spkp1..spkp8 where no spkp_scale column says (4).")
@click.option("--spak-scale", type=click.Choice(["4", "6"]),
              help="Scale of the columns spak1..spak5 where no spak_scale column says (4).")
def responses_import(path, unit_slug, kind, mapping_choice, day, spkp_scale, spak_scale):
    """Import answers from a CSV or XLSX file (all or nothing, safe to repeat)."""
    from survey.history_import.command import import_file

    scales = {code: int(scale) for code, scale in (("spkp", spkp_scale), ("spak", spak_scale))
              if scale}
    _run_import(lambda session: import_file(
        session, Path(path), unit_slug, None if kind == "auto" else kind,
        mapping_choice == "saved", day.date() if day else None, scales))


@cli.command("posters")
@click.option("--unit", "unit_slug", required=True, help="Slug of the service unit.")
@click.option("--out", "out_dir", required=True, help="Folder to write the files into.",
              type=click.Path(file_okay=False, writable=True, path_type=Path))
@click.option("--base-url", help="Public address of SUARA (default: SUARA_BASE_URL).")
def posters(unit_slug, out_dir, base_url):
    """Write a QR poster (PDF) and its code (SVG, PNG) for each active service point of a unit."""
    from survey.posters import poster_pdf
    from survey.qr_codes import poster_stem, qr_png, qr_svg, survey_address
    from survey.queries import unit_by_slug

    unit = unit_by_slug(read_session(), unit_slug)
    if unit is None:
        raise click.BadParameter(f"tidak ada unit layanan {unit_slug!r}", param_hint="--unit")
    base = base_url or app_config("SUARA_BASE_URL")
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

    session = write_session()
    try:
        result = run(session)
    except ImportFailed as failure:
        session.rollback()
        for line in failure.lines():
            click.echo(line, err=True)
        raise SystemExit(1)
    session.commit()
    click.echo(result.describe())


# --- Reports and exports (survey/reports/documents.py, analysis/report) ---------------------

def _report_period(session, label: str | None, scope, unit_id: int | None = None):
    """Return the period of a --period option, or the latest semester with responses."""
    from survey import indices, periods

    try:
        return indices.requested_period(session, scope, label, unit_id)
    except periods.UnknownPeriod as error:
        raise click.BadParameter(str(error), param_hint="--period") from None


def _report_scope(session, text: str):
    """Return the scope of a --scope option and its name."""
    from survey.queries import scope_name
    from survey.scopes import BadScope, parse_scope

    try:
        scope = parse_scope(text)
    except BadScope as error:
        raise click.BadParameter(str(error), param_hint="--scope") from None
    name = scope_name(session, scope)
    if name is None:
        raise click.BadParameter(f"cakupan {text!r} tidak ditemukan", param_hint="--scope")
    return scope, name


PERIOD_HELP = "Period label: 2026-S1, 2026-Q2, 2026-03, 2026 (default: the latest semester)."
LOCALE = click.option("--locale", type=click.Choice(["id", "en"]), default="id",
                      show_default=True, help="Language of the report.")
METHOD = click.option("--method", type=click.Choice(["pooled", "mean_of_units"]),
                      default="pooled", show_default=True, help="Aggregation above a unit.")


@cli.group("report")
def report_group():
    """Reports (PDF) of a unit, a scope, or every regency of a scope."""


@report_group.command("unit")
@click.option("--unit", "unit_slug", required=True, help="Slug of the service unit.")
@click.option("--period", "period_label", help=PERIOD_HELP)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@LOCALE
@click.option("--convention", type=click.Choice(["exact", "w0111", "w011"]), default="exact",
              show_default=True, help="Element weight: exact 1/9, 0.111 or 0.11.")
@click.option("--signed-on", type=click.DateTime(["%Y-%m-%d"]),
              help="Date of the lembar pengesahan (default: today in the unit's time zone).")
def report_unit(unit_slug, period_label, output, locale, convention, signed_on):
    """Write a unit's report (Laporan Hasil SKM) of a period as PDF, or as DOCX when the
    output's name ends in .docx."""
    from analysis.report.unit_docx import unit_report_docx
    from analysis.report.unit_pdf import unit_report_pdf
    from survey.queries import unit_by_slug
    from survey.reports import documents
    from survey.scopes import Scope

    session = read_session()
    unit = unit_by_slug(session, unit_slug)
    if unit is None:
        raise click.BadParameter(f"tidak ada unit layanan {unit_slug!r}", param_hint="--unit")
    period = _report_period(session, period_label, Scope("unit", unit.slug), unit.id)
    report = documents.unit_report(session, unit, period, locale, convention,
                                   signed_on=signed_on.date() if signed_on else None)
    build = unit_report_docx if output.suffix.lower() == ".docx" else unit_report_pdf
    output.write_bytes(build(report))
    click.echo(f"Laporan {unit.name}, {period.name}: {output}")


@report_group.command("scope")
@click.option("--scope", "scope_text", default="national", show_default=True,
              help="national, region:35, region:35.78 or agency:ID.")
@click.option("--period", "period_label", help=PERIOD_HELP)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@METHOD
@LOCALE
def report_scope(scope_text, period_label, output, method, locale):
    """Write the aggregate report of a region, an agency or the nation as PDF."""
    from analysis.report.scope_pdf import scope_report_pdf
    from survey.reports import documents

    session = read_session()
    scope, name = _report_scope(session, scope_text)
    period = _report_period(session, period_label, scope)
    report = documents.scope_report(session, scope, name, period, method, locale)
    output.write_bytes(scope_report_pdf(report))
    click.echo(f"Laporan {name}, {period.name}: {output}")


@report_group.command("batch")
@click.option("--scope", "scope_text", default="national", show_default=True,
              help="national, region:35 or agency:ID: one report per regency or city in it.")
@click.option("--period", "period_label", help=PERIOD_HELP)
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the PDFs.")
@METHOD
@LOCALE
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes that render (default: one per CPU).")
def report_batch(scope_text, period_label, out_dir, method, locale, jobs):
    """Write one aggregate report per regency or city with responses in a scope."""
    import os

    from analysis.report.batch import render_reports
    from survey.reports import documents
    from survey.scopes import Scope

    session = read_session()
    scope, _ = _report_scope(session, scope_text)
    period = _report_period(session, period_label, scope)
    targets = documents.batch_targets(session, scope, period)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs_data = ((documents.file_stem(code, name),
                  documents.scope_report(session, Scope("region", code), name, period,
                                         method, locale)) for code, name in targets)
    workers = min(jobs or os.cpu_count() or 1, max(len(targets), 1))
    with click.progressbar(length=len(targets), label="Laporan kabupaten/kota") as bar:
        for stem, pdf in render_reports(jobs_data, workers):
            (out_dir / f"{stem}.pdf").write_bytes(pdf)
            bar.update(1)
    click.echo(f"{len(targets)} laporan {period.name} ditulis ke {out_dir}.")


@cli.command("export")
@click.option("--scope", "scope_text", default="national", show_default=True,
              help="national, region:CODE, agency:ID or unit:SLUG.")
@click.option("--period", "period_label", help=PERIOD_HELP)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.xlsx or FILE.csv.")
@click.option("--kind", type=click.Choice(["figures", "responses"]), default="figures",
              show_default=True, help="Per-element figures, or the raw responses.")
@click.option("--suggestions", is_flag=True, help="Include suggestion texts (contacts hidden).")
@METHOD
@click.option("--convention", type=click.Choice(["exact", "w0111", "w011"]), default="exact",
              show_default=True)
def export(scope_text, period_label, output, kind, suggestions, method, convention):
    """Export responses or figures of a scope and period as XLSX or CSV (no personal data)."""
    from survey.reports import documents

    fmt = output.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise click.BadParameter("nama berkas harus berakhiran .xlsx atau .csv",
                                 param_hint="--output")
    session = read_session()
    scope, name = _report_scope(session, scope_text)
    period = _report_period(session, period_label, scope)
    options = {"suggestions": suggestions, "method": method, "convention": convention}
    if fmt == "csv":
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(documents.export_lines(session, scope, name, period, kind,
                                                     **options))
    else:
        documents.write_xlsx(session, scope, name, period, kind, str(output), **options)
    click.echo(f"Ekspor {kind} {name}, {period.name}: {output}")
