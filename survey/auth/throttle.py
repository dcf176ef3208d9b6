"""Throttling of sign-ins: a growing delay by address and by account, never a lock-out.

The failed sign-ins of the audit log (action "login_failed", with the e-mail as typed and the
address) are the only record. Within WINDOW:
- an address past FREE_PER_ADDRESS failures (on any accounts) waits before its next try;
- an e-mail past FREE_PER_ACCOUNT failures (from any addresses) makes the addresses that failed
  on it wait too, while an address that has not failed on it still gets its try: a stranger
  who guesses can slow the owner's own failing browser, never shut the owner out.
Each wait doubles with every failure beyond the free ones, from FIRST_DELAY up to MAX_DELAY,
counted from the latest failure. A refused try writes nothing and runs no password hash, so a
robot's flood costs the server a couple of reads. Unknown e-mails are counted like known ones:
the answer never tells which exist.
"""

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator, NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from survey import memo
from survey.models import AuditEvent

WINDOW = timedelta(minutes=15)
FREE_PER_ADDRESS = 10  # an office behind one address mistypes now and then
FREE_PER_ACCOUNT = 5
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)
BUSY = timedelta(seconds=1)  # the wait of a try beside another from its address
FAILED = "login_failed"
# The one answer to every refused try, whatever the reason (survey/auth/accounts.py).
REFUSED = ("E-mail atau kata sandi salah, atau terlalu banyak percobaan. "
           "Tunggu sebentar, lalu coba lagi.")


@dataclass(frozen=True)
class Failures:
    """Failed sign-ins within the window: how many, and when the latest was."""

    count: int
    latest: datetime | None

    def wait(self, free: int, now: datetime) -> timedelta:
        """Return how long the next try must still wait, after `free` failures that cost none."""
        if self.count < free or self.latest is None:
            return timedelta(0)
        delay = min(FIRST_DELAY * 2 ** min(self.count - free, 20), MAX_DELAY)
        return max(timedelta(0), self.latest + delay - now)


class Waits(NamedTuple):
    """How long a try must still wait: because of its address alone, and in all."""

    address: timedelta
    total: timedelta


def wait(session: Session, email: str, address: str | None, now: datetime) -> Waits:
    """Return how long a try at `email` from `address` must still wait (zero: try now)."""
    recent = (AuditEvent.action == FAILED, AuditEvent.at > now - WINDOW)
    by_address = by_account = timedelta(0)
    if address:
        count, latest = session.execute(select(func.count(), func.max(AuditEvent.at))
                                        .where(*recent, AuditEvent.ip == address)).one()
        by_address = Failures(count, latest).wait(FREE_PER_ADDRESS, now)
    count, latest, from_here = session.execute(select(
        func.count(), func.max(AuditEvent.at),
        func.coalesce(func.sum(case((AuditEvent.ip == address, 1), else_=0)), 0))
        .where(*recent, AuditEvent.email == email)).one()
    if from_here or not address:
        by_account = Failures(count, latest).wait(FREE_PER_ACCOUNT, now)
    return Waits(by_address, max(by_address, by_account))


def remember(address: str | None, email: str, waits: Waits) -> None:
    """Keep, in this process, that an address (for any account, or for this one) must wait:
    its tries within the wait are refused before any session, form or database work
    (survey/auth/signin_gate.py). Exact: a refused try writes nothing, so no wait shortens before it ends."""
    if not address:
        return
    kept, now = memo.kept("signin_waits"), time.monotonic()
    if waits.address > timedelta(0):
        kept.put((address, None), now + waits.address.total_seconds())
    if waits.total > timedelta(0):
        kept.put((address, email), now + waits.total.total_seconds())


_trying: set[str] = set()  # addresses with a try under way in this process
_trying_lock = threading.Lock()


@contextmanager
def one_try_at_a_time(address: str | None) -> Iterator[bool]:
    """Hold an address's turn while its try is checked and recorded; yield False when another
    try from it is under way in this process.

    Without it, the tries a robot sends at once the moment its wait ends would each read no
    wait and each run the password hash, all together: a burst of hashes that stalls every
    other request. Two people behind one address at the same instant: the second is asked to
    wait a second.
    """
    if not address:
        yield True
        return
    with _trying_lock:
        free = address not in _trying
        _trying.add(address)
    try:
        yield free
    finally:
        if free:
            with _trying_lock:
                _trying.discard(address)


def seconds_left(waits: memo.Kept, address: str | None, email: str, now: float) -> float | None:
    """Return how many seconds a try must still wait by what this process keeps (`remember`,
    `one_try_at_a_time`), or None when it may go on to the full check."""
    if not address:
        return None
    until = max(waits.get((address, None), lambda: None) or 0,
                waits.get((address, email), lambda: None) or 0)
    if until > now:
        return until - now
    return BUSY.total_seconds() if address in _trying else None
