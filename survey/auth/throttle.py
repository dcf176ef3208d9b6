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

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from survey.models import AuditEvent

WINDOW = timedelta(minutes=15)
FREE_PER_ADDRESS = 10  # an office behind one address mistypes now and then
FREE_PER_ACCOUNT = 5
FIRST_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(minutes=15)
FAILED = "login_failed"


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


def wait(session: Session, email: str, address: str | None, now: datetime) -> timedelta:
    """Return how long a try at `email` from `address` must still wait (zero: try now)."""
    recent = (AuditEvent.action == FAILED, AuditEvent.at > now - WINDOW)
    waits = [timedelta(0)]
    if address:
        count, latest = session.execute(select(func.count(), func.max(AuditEvent.at))
                                        .where(*recent, AuditEvent.ip == address)).one()
        waits.append(Failures(count, latest).wait(FREE_PER_ADDRESS, now))
    count, latest, from_here = session.execute(select(
        func.count(), func.max(AuditEvent.at),
        func.coalesce(func.sum(case((AuditEvent.ip == address, 1), else_=0)), 0))
        .where(*recent, AuditEvent.email == email)).one()
    if from_here or not address:
        waits.append(Failures(count, latest).wait(FREE_PER_ACCOUNT, now))
    return max(waits)
