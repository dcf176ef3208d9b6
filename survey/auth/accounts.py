"""Accounts: password hashing, throttled sign-in, sessions and personal API tokens.

A sign-in reads what it needs, ends that read, runs the password hash outside any database
transaction, then writes its outcome in a short one (`record`): a flood of wrong passwords
never holds the lock that citizens' submissions wait for.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from survey import audit
from survey.auth import throttle
from survey.models import User, utcnow

MIN_PASSWORD_LENGTH = 10
# Compared against when the e-mail is unknown, so both cases take the same time: a scrypt hash
# of a phrase nobody uses, made once and written here (making it costs 0.1 s at every start);
# tests/web/test_auth.py keeps its method and parameters those of hash_password.
_DUMMY_HASH = ("scrypt:32768:8:1$FMjzFR1a3MM7auCM$5912e32f3d46f94ff276c2148e9dc8cffd598bc95c003208"
               "2fde1ccb85fc7e16f050ee65b3d1c0e23dfdebe1c595eb708d7ebb6a8790659db5bb297b64a6ff28")
# One answer for a wrong password, an unknown or inactive account and a throttled try.
REFUSED = throttle.REFUSED


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
    """The outcome of a try: the user signed in, or how long a throttled try must wait."""

    email: str
    user: User | None
    wait: timedelta = timedelta(0)


def check(session: Session, email: str, password: str, address: str | None,
          now: datetime | None = None) -> SignIn:
    """Check an e-mail and password; leave the session without a transaction, write nothing.

    A throttled try is refused before the hash runs.
    """
    email = email.strip().lower()
    waits = throttle.wait(session, email, address, now or utcnow())
    user = None if waits.total else session.scalars(
        select(User).where(User.email == email)).first()
    session.commit()  # end the read: the hash below must hold no database lock
    if waits.total:
        throttle.remember(address, email, waits)
        return SignIn(email, None, waits.total)
    matches = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    return SignIn(email, user if matches and user and user.active else None)


def record(session: Session, attempt: SignIn) -> None:
    """Audit a failed try that ran the hash; the caller commits."""
    if attempt.user is None:
        audit.record(session, throttle.FAILED, email=attempt.email)


def set_password(user: User, password: str) -> None:
    """Set a new password and end every session and API token of the old one."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session and the API token of an account at once.

    Sessions carry the account's session_version and end when it moves on; the token is
    cleared rather than versioned: nothing is left that could ever be checked again, and the
    account page shows truthfully that the account has none.
    """
    user.session_version += 1
    user.api_token_hash = None


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
