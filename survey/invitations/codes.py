"""Single-use codes: made, normalised as typed, issued in numbers for a service point.

A code is 8 characters from an alphabet without the look-alikes 0/O, 1/I/L: 31^8, about
8.5 * 10^11 codes, so a guesser who tries thousands finds none, and a citizen who types one
from a slip does not confuse two characters. It is shown in two groups of four (AB3D-EF7H).
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.models import Invitation, ServicePoint
from survey.responses import local_date

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
SEPARATORS = str.maketrans("", "", " -.")
MAX_PER_ISSUE = 1000
VALID_FOR = timedelta(days=14)  # a unit may choose between MIN_VALID and MAX_VALID
MIN_VALID, MAX_VALID = timedelta(hours=1), timedelta(days=90)


def new_code() -> str:
    """Return a random code of LENGTH characters of ALPHABET."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def answer_address(base_url: str, code: str) -> str:
    """Return the answering address of a code (invitations.answer), as printed and linked."""
    return f"{base_url.rstrip('/')}/u/{code}"


def shown(code: str) -> str:
    """Return a code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def normalised(typed: str) -> str | None:
    """Return the code a person typed (any case, spaces, dots or dashes), or None if it
    cannot be one: a look-alike (0, O, 1, I, L) is in no code, so a mistyped code is refused
    rather than matched to another."""
    text = typed.upper().translate(SEPARATORS)
    if len(text) != LENGTH or any(char not in ALPHABET for char in text):
        return None
    return text


def unused_codes(session: Session, count: int) -> list[str]:
    """Return `count` new codes that no stored invitation has.

    A million codes issued nationwide make a repeat among them likely (the birthday bound:
    about 10^12 / (2 * 31^8), 0.6 expected), so drawn codes are checked against the stored ones
    and drawn again where taken; the unique index still guards the instant between.
    """
    codes: set[str] = set()
    while len(codes) < count:
        drawn = {new_code() for _ in range(count - len(codes))} - codes
        taken = set(session.scalars(select(Invitation.code).where(Invitation.code.in_(drawn))))
        codes |= drawn - taken
    return sorted(codes)


def issue(session: Session, point: ServicePoint, count: int, *, source: str, now: datetime,
          valid_for: timedelta = VALID_FOR, issued_by: int | None = None) -> list[Invitation]:
    """Add `count` new invitations of a point (flushed, not committed); return them."""
    if not 1 <= count <= MAX_PER_ISSUE:
        raise ValueError(f"count must be 1..{MAX_PER_ISSUE}")
    if not MIN_VALID <= valid_for <= MAX_VALID:
        raise ValueError("valid_for out of bounds")
    invitations = [Invitation(point_id=point.id, unit_id=point.unit_id, code=code,
                              source=source, issued_at=now,
                              issued_on=local_date(point.unit, now), expires_at=now + valid_for,
                              issued_by=issued_by)
                   for code in unused_codes(session, count)]
    session.add_all(invitations)
    session.flush()
    return invitations
