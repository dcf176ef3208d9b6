"""`suara exchange ...`: keys, trusted sources, export, import and pull of packages."""

import json
from pathlib import Path

import click

from survey.cli_context import AppGroup, app_config, read_session, write_session


@click.group("exchange", cls=AppGroup)
def exchange_group():
    """Exchange of figures (rollups) with other SUARA servers, signed with Ed25519."""


def _refusal(run):
    """Run a step; print an ExchangeRefused's message and exit 1, nothing stored."""
    from survey.exchange.signing import ExchangeRefused

    try:
        return run()
    except ExchangeRefused as refused:
        read_session().rollback()
        click.echo(f"Ditolak: {refused}", err=True)
        raise SystemExit(1)


@exchange_group.command("keygen")
def keygen():
    """Write this server's private key (PEM, 0600) and print its public key."""
    from survey.exchange import signing

    path = Path(app_config("SUARA_EXCHANGE_KEY"))
    if path.exists():
        public = signing.public_text(signing.load_private(path).public_key())
        click.echo(f"Kunci sudah ada di {path}; kunci publiknya:", err=True)
    else:
        public = signing.generate(path)
        click.echo(f"Kunci privat ditulis ke {path}. Kunci publik (berikan ke server penerima):",
                   err=True)
    click.echo(public)


@exchange_group.command("trust")
@click.option("--name", required=True, help="A name for the source server.")
@click.option("--public-key", "public", required=True, help="Its public key (base64).")
def trust(name, public):
    """Register a source server's public key: its packages are accepted from now on."""
    from survey import audit
    from survey.exchange import sources

    session = write_session()
    source = _refusal(lambda: sources.trust(session, name, public))
    audit.record(session, "exchange_trust", source.name, detail={"key_id": source.key_id})
    session.commit()
    click.echo(f"Sumber '{source.name}' terdaftar (kunci {source.key_id}).")


@exchange_group.command("export")
@click.option("--scope", "scope_text", default="national", show_default=True)
@click.option("--from", "first", required=True, help="First month, YYYY-MM.")
@click.option("--to", "last", required=True, help="Last month, YYYY-MM.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export(scope_text, first, last, out):
    """Write a signed package of a scope's month rollups (no answers, no personal data)."""
    from survey.exchange.package import read_month
    from survey.exchange.sources import signed_package
    from survey.models import utcnow
    from survey.scopes import parse_scope

    session = write_session()
    package = _refusal(lambda: signed_package(session, _config(), parse_scope(scope_text),
                                              read_month(first), read_month(last), utcnow()))
    out.write_text(json.dumps(package, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    click.echo(f"Paket {scope_text} {first}..{last}: {len(package['payload']['units'])} unit "
               f"ditulis ke {out}.")


@exchange_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(path):
    """Verify a package's signature and apply it: all or nothing."""
    from survey.exchange.signing import ExchangeRefused

    def read():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise ExchangeRefused(f"{path} bukan paket JSON") from None

    _apply(_refusal(read))


@exchange_group.command("pull")
@click.option("--source", "name", required=True, help="The registered source's name.")
@click.option("--url", required=True, help="The source server's address.")
@click.option("--token", required=True, help="A token the source server accepts.")
@click.option("--scope", "scope_text", default="national", show_default=True)
@click.option("--from", "first", required=True, help="First month, YYYY-MM.")
@click.option("--to", "last", required=True, help="Last month, YYYY-MM.")
def pull(name, url, token, scope_text, first, last):
    """Fetch a package from a source server's API and apply it."""
    from survey.exchange import pull as pulling

    package = _refusal(lambda: pulling.fetch(
        pulling.package_address(url, scope_text, first, last), token))
    _apply(package, expected=name)


def _apply(package, expected: str | None = None) -> None:
    from survey import audit
    from survey.exchange.apply import import_package, trusted_source
    from survey.exchange.signing import ExchangeRefused
    from survey.models import utcnow

    session = write_session()

    def run():
        source = trusted_source(session, package)
        if expected is not None and source.name != expected:
            raise ExchangeRefused(f"paket ditandatangani oleh sumber '{source.name}', "
                                  f"bukan '{expected}'")
        return import_package(session, package, utcnow())

    applied = _refusal(run)
    audit.record(session, "exchange_import", applied.source,
                 detail={"units": applied.units_created + applied.units_updated,
                         "months": applied.months_written})
    session.commit()
    click.echo(applied.describe())


def _config():
    from flask import current_app

    return current_app.config
