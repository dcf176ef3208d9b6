"""Accounts: password hashing, sign-in with lock-out, sessions and personal API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from survey import audit
from survey.models import AuditEvent, User, utcnow

MAX_FAILURES = 5  # per account, then locked for LOCK_TIME
LOCK_TIME = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 30  # per 15 minutes: a password-guessing robot, not a person
MIN_PASSWORD_LENGTH = 10
# Compared against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of a password (werkzeug's default method)."""
    return generate_password_hash(password)


def password_problem(password: str, email: str = "") -> str | None:
    """Return why a new password is not acceptable (in Indonesian), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Kata sandi minimal {MIN_PASSWORD_LENGTH} karakter."
    if email and password.lower() == email.lower():
        return "Kata sandi tidak boleh sama dengan alamat e-mail."
    return None


@dataclass(frozen=True)
class SignIn:
    user: User | None
    problem: str | None  # a message for the person, in Indonesian


def sign_in(session: Session, email: str, password: str, address: str | None,
            now: datetime | None = None) -> SignIn:
    """Check an e-mail and password, counting failures and locking the account after too many."""
    now = now or utcnow()
    email = email.strip().lower()
    if _recent_failures_from(session, address, now) >= MAX_FAILURES_PER_ADDRESS:
        return SignIn(None, "Terlalu banyak percobaan masuk dari jaringan ini. "
                            "Tunggu 15 menit, lalu coba lagi.")
    user = session.scalars(select(User).where(User.email == email)).first()
    if user and user.locked_until and user.locked_until > now:
        return SignIn(None, _locked_message(user.locked_until))
    if not check_password_hash(user.password_hash if user else _DUMMY_HASH, password) \
            or not user or not user.active:
        audit.record(session, "login_failed", email=email)
        if user:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins = now + LOCK_TIME, 0
                return SignIn(None, _locked_message(user.locked_until))
        return SignIn(None, "E-mail atau kata sandi salah.")
    user.failed_logins, user.locked_until = 0, None
    return SignIn(user, None)


def _locked_message(until: datetime) -> str:
    minutes = max(1, round((until - utcnow()).total_seconds() / 60))
    return (f"Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
            f"Coba lagi dalam {minutes} menit, atau minta administrator mengatur ulang kata sandi.")


def _recent_failures_from(session: Session, address: str | None, now: datetime) -> int:
    if not address:
        return 0
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "login_failed", AuditEvent.ip == address,
        AuditEvent.at > now - LOCK_TIME))


def set_password(user: User, password: str) -> None:
    """Set a new password and end every session signed in with the old one."""
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins, user.locked_until = 0, None


def new_api_token(user: User) -> str:
    """Give a user a new personal API token; return it (only its hash is stored)."""
    token = "suara_" + secrets.token_urlsafe(30)
    user.api_token_hash = token_hash(token)
    return token


def token_hash(token: str) -> str:
    """Return the stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_by_token(session: Session, token: str) -> User | None:
    """Return the active user owning an API token."""
    user = session.scalars(select(User).where(User.api_token_hash == token_hash(token))).first()
    return user if user and user.active else None
