"""This server's side of an exchange: its identity, its signed packages, and the sources
(other servers) it trusts."""

from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.exchange import package, signing
from survey.exchange.signing import ExchangeRefused
from survey.models import ExchangeSource, ExchangeUnit, ServiceUnit
from survey.queries import scope_filter
from survey.scopes import Scope

NAME_MAX = 80


def server_identity(config, public: str) -> dict:
    """Return the id and name a package gives of this server (stable while its key is)."""
    name = config["SUARA_EXCHANGE_SERVER_NAME"] or urlsplit(config["SUARA_BASE_URL"]).netloc
    return {"id": config["SUARA_EXCHANGE_SERVER_ID"] or signing.key_id(public),
            "name": (name or "SUARA")[:NAME_MAX]}


def signed_package(session: Session, config, scope: Scope, first: date, last: date,
                   now: datetime) -> dict:
    """Return the signed package of a scope's local units over months first..last."""
    key = signing.load_private(Path(config["SUARA_EXCHANGE_KEY"]))
    server = server_identity(config, signing.public_text(key.public_key()))
    return signing.sign(package.build(session, scope, first, last, server, now), key)


def trust(session: Session, name: str, public: str, user_id: int | None = None) -> ExchangeSource:
    """Register a source's public key under a name (flush only)."""
    name, public = (name or "").strip(), (public or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ExchangeRefused(f"nama sumber wajib diisi, paling panjang {NAME_MAX} karakter")
    signing.read_public(public)
    known = session.scalar(select(ExchangeSource).where(
        (ExchangeSource.name == name) | (ExchangeSource.public_key == public)))
    if known is not None:
        raise ExchangeRefused(f"sumber '{known.name}' atau kunci itu sudah terdaftar")
    source = ExchangeSource(name=name, public_key=public, key_id=signing.key_id(public),
                            created_by=user_id)
    session.add(source)
    session.flush()
    return source


def revoke(session: Session, source_id: int, now: datetime) -> ExchangeSource | None:
    """Stop accepting a source's packages; its units keep the figures already received."""
    source = session.get(ExchangeSource, source_id)
    if source is not None and source.revoked_at is None:
        source.revoked_at = now
    return source


def listing(session: Session) -> list[tuple[ExchangeSource, int]]:
    """Return every registered source with its number of units, newest first."""
    units = (select(func.count()).where(ExchangeUnit.source_id == ExchangeSource.id)
             .correlate(ExchangeSource).scalar_subquery())
    return list(session.execute(select(ExchangeSource, units)
                                .order_by(ExchangeSource.created_at.desc())))


def source_names(session: Session, unit_ids) -> dict[int, str]:
    """Return the source name of each of the units that came from another server."""
    return dict(session.execute(
        select(ExchangeUnit.unit_id, ExchangeSource.name)
        .join(ExchangeSource, ExchangeSource.id == ExchangeUnit.source_id)
        .where(ExchangeUnit.unit_id.in_(list(unit_ids)))).all())


def scope_sources(session: Session, scope: Scope) -> dict[str, str]:
    """Return the source name of each received unit of a scope, by slug."""
    return dict(session.execute(
        select(ServiceUnit.slug, ExchangeSource.name)
        .join(ExchangeUnit, ExchangeUnit.unit_id == ServiceUnit.id)
        .join(ExchangeSource, ExchangeSource.id == ExchangeUnit.source_id)
        .where(scope_filter(scope))).all())


def source_of_unit(session: Session, unit: ServiceUnit) -> str | None:
    """Return the name of the server a unit's figures come from, None for a local unit."""
    return source_names(session, [unit.id]).get(unit.id)
