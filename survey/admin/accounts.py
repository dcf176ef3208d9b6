"""Managing staff accounts (administrators only): roles bound to scopes, passwords, activity.

`scope_problem` says in Indonesian what the database's CHECK constraint on app_user would
refuse, so that the form explains it instead of the database failing.
"""

import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from survey import audit
from survey.auth.accounts import end_sessions, hash_password, set_password
from survey.models import ROLES, User
from survey.tokens import ALPHABET

ROLE_LABELS = {"admin": "Administrator", "ministry": "Kementerian/lembaga",
               "agency": "Instansi/dinas", "region": "Pemerintah daerah (wilayah)",
               "unit": "Kepala unit layanan"}
# The one scope each role is bound to (app_user's CHECK constraint "scope").
SCOPE_OF_ROLE = {"admin": None, "ministry": "agency", "agency": "agency", "region": "region",
                 "unit": "unit"}
SCOPE_LABELS = {"agency": "instansi", "region": "kode wilayah", "unit": "unit layanan"}
TEMPORARY_LENGTH = 14


@dataclass(frozen=True)
class Binding:
    """A role and the scope it is bound to; the fields the role does not use are None."""

    role: str
    agency_id: int | None = None
    region_code: str | None = None
    unit_id: int | None = None

    def columns(self) -> dict:
        return {"role": self.role, "agency_id": self.agency_id,
                "region_code": self.region_code, "unit_id": self.unit_id}


def scope_problem(binding: Binding) -> str | None:
    """Return why a role cannot be bound to the scope fields given (Indonesian), or None."""
    if binding.role not in ROLES:
        return f"Peran '{binding.role}' tidak dikenal."
    given = {name for name, value in (("agency", binding.agency_id),
                                      ("region", binding.region_code),
                                      ("unit", binding.unit_id)) if value not in (None, "")}
    needed, label = SCOPE_OF_ROLE[binding.role], ROLE_LABELS[binding.role]
    if needed is None and given:
        return (f"Peran {label} berlaku nasional, tanpa cakupan: kosongkan "
                f"{_listing(given)}.")
    if needed is not None and needed not in given:
        return f"Peran {label} memerlukan {SCOPE_LABELS[needed]}."
    if given - {needed}:
        return (f"Peran {label} hanya memakai {SCOPE_LABELS[needed]}: kosongkan "
                f"{_listing(given - {needed})}.")
    return None


def _listing(names: set[str]) -> str:
    ordered = [SCOPE_LABELS[name] for name in SCOPE_LABELS if name in names]
    return ", ".join(ordered[:-1]) + " dan " + ordered[-1] if len(ordered) > 1 else ordered[0]


def temporary_password() -> str:
    """Return a random temporary password that is easy to read out and type."""
    return "".join(secrets.choice(ALPHABET) for _ in range(TEMPORARY_LENGTH))



def create_user(session: Session, email: str, name: str, binding: Binding,
                password: str) -> User:
    """Add an account bound to a scope, with a password to be passed on, and audit it."""
    user = User(email=email, name=name, password_hash=hash_password(password),
                **binding.columns())
    session.add(user)
    session.flush()
    audit.record(session, "user_created", f"user:{email}", unit_id=binding.unit_id,
                 detail={"name": name, **binding.columns()})
    return user


def update_user(session: Session, user: User, name: str, binding: Binding) -> dict:
    """Change an account's name, role and scope; audit and return what changed."""
    changes = {}
    for field, new in {"name": name, **binding.columns()}.items():
        if getattr(user, field) != new:
            changes[field] = [getattr(user, field), new]
    if changes:
        audit.record(session, "user_changed", f"user:{user.email}",
                     unit_id=binding.unit_id or user.unit_id, detail=changes)
        user.name = name
        for field, value in binding.columns().items():
            setattr(user, field, value)
        session.flush()
    return changes


def set_active(session: Session, user: User, active: bool) -> bool:
    """Allow or stop an account's signing in (a stopped one's sessions end at once)."""
    if user.active == active:
        return False
    audit.record(session, "user_reactivated" if active else "user_deactivated",
                 f"user:{user.email}", unit_id=user.unit_id,
                 detail={"active": [user.active, active]})
    user.active = active
    if not active:
        end_sessions(user)
    session.flush()
    return True


def end_all_sessions(session: Session, user: User) -> None:
    """End every session and the API token of an account, audited."""
    had_token = user.api_token_hash is not None
    end_sessions(user)
    audit.record(session, "sessions_ended", f"user:{user.email}", unit_id=user.unit_id,
                 detail={"session_version": user.session_version, "api_token": had_token})
    session.flush()


def reset_password(session: Session, user: User, password: str, generated: bool) -> None:
    """Give an account a new password (its sessions end), audited without the password."""
    set_password(user, password)
    audit.record(session, "password_reset", f"user:{user.email}", unit_id=user.unit_id,
                 detail={"generated": generated, "session_version": user.session_version})
    session.flush()
