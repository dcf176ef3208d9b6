"""Contacts that asked for no more messages: kept only as keyed hashes (HMAC-SHA256 with
SECRET_KEY, as kiosk keys are), so the table names nobody and can message nobody (UU PDP
27/2022), yet a contact given again is recognised and never messaged."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.kiosks.devices import keyed
from survey.models import MessageOptOut, utcnow

HASH_LENGTH = 64


def contact_hash(secret: str, contact: str) -> str:
    """Return the keyed hash of a normalised contact (lower-case e-mail or +62... number)."""
    return keyed(secret, "opt-out|" + contact)


def is_hash(text: str) -> bool:
    """Tell whether a text could be a contact's hash (an opt-out link's last part)."""
    return len(text) == HASH_LENGTH and all(char in "0123456789abcdef" for char in text)


def refused(session: Session, secret: str, contacts: set[str]) -> set[str]:
    """Return the contacts among these that opted out."""
    hashes = {contact_hash(secret, contact): contact for contact in contacts}
    found = set()
    for start in range(0, len(hashes), 500):  # bounded IN lists
        chunk = list(hashes)[start:start + 500]
        found.update(session.scalars(select(MessageOptOut.contact_hash)
                                     .where(MessageOptOut.contact_hash.in_(chunk))))
    return {hashes[digest] for digest in found}


def opt_out(session: Session, digest: str) -> bool:
    """Record a contact's hash as opted out (flushed); return False if it already was."""
    if session.get(MessageOptOut, digest) is not None:
        return False
    session.add(MessageOptOut(contact_hash=digest, created_at=utcnow()))
    session.flush()
    return True
