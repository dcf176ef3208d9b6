"""Idempotency-Key of the invitation API: a queue machine that lost an answer sends the call
again with the same key and gets the same answer, not a second code or a second message.

The first successful call with a key stores, in its effect's transaction, the key (scoped to
the API key that sent it), a SHA-256 of the call's path and body and the answer (status and
JSON). For KEPT_FOR a repeat with the same path and body answers it again and makes nothing;
another body with the same key is refused. Two calls at once with one key: the unique
constraint on (API key, key) lets one commit, the other rolls back its effect and answers the
stored answer (or asks to retry, while the winner's commit is not visible yet). Refusals (400,
401, 410, 429) are not stored: the machine may repeat the key once it fixed the call. Keys
older than KEPT_FOR are deleted by the first call a process stores in each new hour.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey import memo
from survey.models import ApiIdempotency

HEADER = "Idempotency-Key"
KEY_MAX = 200
KEPT_FOR = timedelta(hours=24)
HOUR_SECONDS = 3600
# Printable ASCII, no space at either end (HTTP drops it there).
KEY_FORM = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
BAD_KEY = (f"{HEADER} harus berisi 1 sampai {KEY_MAX} karakter ASCII yang dapat dicetak "
           "(huruf, angka, tanda baca), misalnya sebuah UUID")


@dataclass(frozen=True)
class Claim:
    """The key a call carries, with the API key that sent it and the hash of the call."""

    api_key_id: int
    key: str
    request_hash: str


@dataclass(frozen=True)
class Stored:
    """The answer kept for a key, and the hash of the call that made it."""

    request_hash: str
    status: int
    body: str


def claim(api_key_id: int, header: str | None, path: str, body: bytes) -> Claim | str | None:
    """Return the claim of a call's header, None without one, or the problem of a bad one."""
    if header is None:
        return None
    if len(header) > KEY_MAX or not KEY_FORM.fullmatch(header):
        return BAD_KEY
    digest = hashlib.sha256(path.encode() + b"\n" + body).hexdigest()
    return Claim(api_key_id, header, digest)


def find(session: Session, claim: Claim, now: datetime) -> Stored | None:
    """Return the answer kept for a claim's key within KEPT_FOR, or None (an older one is
    deleted, so that the key can be stored again)."""
    row = session.execute(select(ApiIdempotency.id, ApiIdempotency.request_hash,
                                 ApiIdempotency.status, ApiIdempotency.body,
                                 ApiIdempotency.created_at)
                          .where(ApiIdempotency.api_key_id == claim.api_key_id,
                                 ApiIdempotency.idempotency_key == claim.key)).first()
    if row is None:
        return None
    if row.created_at <= now - KEPT_FOR:
        session.execute(delete(ApiIdempotency).where(ApiIdempotency.id == row.id))
        return None
    return Stored(row.request_hash, row.status, row.body)


def keep(session: Session, claim: Claim, status: int, body: str, now: datetime) -> None:
    """Store the answer of a claim (flushed, not committed); a concurrent call's commit of the
    same key makes the flush or the commit raise IntegrityError."""
    forget_expired(session, now)
    session.add(ApiIdempotency(api_key_id=claim.api_key_id, idempotency_key=claim.key,
                               request_hash=claim.request_hash, status=status, body=body,
                               created_at=now))
    session.flush()


def forget_expired(session: Session, now: datetime) -> None:
    """Delete the keys older than KEPT_FOR, once an hour per process."""
    hours = memo.kept("idempotency_hours")
    hour = int(now.timestamp()) // HOUR_SECONDS
    if hours.get(hour, lambda: None) is None:
        session.execute(delete(ApiIdempotency).where(ApiIdempotency.created_at <= now - KEPT_FOR))
        hours.put(hour, True)
