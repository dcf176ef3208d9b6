"""Demo accounts, one per role, so that a new user can try every view after `make run`."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.auth.accounts import hash_password
from survey.demo_data import KEMENKES
from survey.models import Agency, ServiceUnit, User

# Printed by `make run`; only ever created by `suara demo`, never in production data.
DEMO_PASSWORD = "demo-suara-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    scope: str


def _agency(session: Session, *path: str) -> Agency:
    parent_id = None
    for name in path:
        agency = session.scalars(select(Agency).where(
            Agency.name == name, Agency.parent_id.is_(parent_id) if parent_id is None
            else Agency.parent_id == parent_id)).one()
        parent_id = agency.id
    return agency


def load_demo_accounts(session: Session) -> tuple[DemoAccount, ...]:
    """Create the missing demo accounts; return all of them. Flush only."""
    ministry = _agency(session, KEMENKES)
    office = _agency(session, KEMENKES, "Dinas Kesehatan Kota Surabaya")
    unit = session.scalars(select(ServiceUnit).where(
        ServiceUnit.slug == "puskesmas-ketabang")).one()
    specs = [
        ("admin@demo.suara.id", "Administrator Demo", "admin", {}, "seluruh Indonesia"),
        ("kemenkes@demo.suara.id", "Analis Kemenkes", "ministry",
         {"agency_id": ministry.id}, ministry.name),
        ("jatim@demo.suara.id", "Analis Provinsi Jawa Timur", "region",
         {"region_code": "35"}, "Provinsi Jawa Timur"),
        ("dinkes-surabaya@demo.suara.id", "Analis Dinkes Surabaya", "agency",
         {"agency_id": office.id}, office.name),
        ("ketabang@demo.suara.id", "Kepala Puskesmas Ketabang", "unit",
         {"unit_id": unit.id}, unit.name),
    ]
    existing = set(session.scalars(select(User.email).where(
        User.email.in_([spec[0] for spec in specs]))))
    password_hash = hash_password(DEMO_PASSWORD)
    for email, name, role, scope, _ in specs:
        if email not in existing:
            session.add(User(email=email, name=name, role=role, password_hash=password_hash,
                             **scope))
    session.flush()
    return tuple(DemoAccount(email, role, label) for email, _, role, _, label in specs)
