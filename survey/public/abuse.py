"""Ballot stuffing: limits that an honest counter never reaches, and flags for a person to judge.

Sizing. A counter serves one citizen every few minutes; the busiest civil-registry office in
the demo delivers about 6 000 services a semester, some 50 a working day. A poster at a counter
with ten staff sees at most a few hundred answers an hour, so POINT_LIMIT is 600 an hour (ten a
minute, sustained). One phone answers once, maybe for a parent or a neighbour too: DEVICE_LIMIT
is 10 an hour. A kiosk tablet is one device shared by everyone, so only the point limit applies.
Above a limit the answer is refused with 429 and Retry-After (the browser keeps the form, the
kiosk queues it); below, suspicious patterns are flagged, never dropped: bursts from one device
and runs of identical answers. A person decides in the review queue whether to exclude them.

Without cookies. A script can send no device cookie, or a new one each time. So every answer
but a kiosk's is also counted by a keyed hash of the sender's address (as ProxyFix gives it,
SUARA_PROXIES), its browser (User-Agent) and the point, in hourly windows (`rate_window`).
Many honest citizens share one counter's network (DESIGN.md §7), often behind one address, and
phones of one make and browser version send the same User-Agent; a busy point receives up to
about a hundred answers an hour. So the limit is generous: ADDRESS_LIMIT is 60 an hour from
one address and browser at one point (one a minute, sustained: more than the busiest counter's
citizens on one network send), and past ADDRESS_FLAG (10, what one phone may send in an hour)
answers are flagged for a person to look at. An answer without any device cookie is held to
the per-device limit on that hash (DEVICE_LIMIT): browsers keep the cookie the form page gave
them, scripts do not. Enrolled kiosks are exempt: they are one device for a whole counter.
The hash never goes with the answer; its salt is the window's start, and the window's rows
are deleted once it ends (the first submission a process handles in a new window does it),
so that nothing keyed by an address outlives its hour (UU PDP 27/2022).

The counts are read in the insert's transaction. On SQLite, whose writers take turns, each sees
every submission before it. On PostgreSQL nothing locks them: submissions arriving at the very
same moment may each see the count below a limit, so a limit can be passed by the number of
requests in flight at once, no more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, delete, func, select, text
from sqlalchemy.orm import Session
from werkzeug.exceptions import TooManyRequests

from survey import memo
from survey.models import RateWindow, Response
from survey.prepared import Prepared
from survey.responses import ANSWER_COLUMNS

POINT_LIMIT, DEVICE_LIMIT, LIMIT_WINDOW = 600, 10, timedelta(hours=1)
ADDRESS_LIMIT, ADDRESS_FLAG = 60, 10
WINDOW_SECONDS = 3600
BURST_COUNT, BURST_WINDOW = 3, timedelta(minutes=10)
IDENTICAL_COUNT, IDENTICAL_WINDOW = 3, timedelta(minutes=30)
PROFILE_COLUMNS = ("gender", "age", "education", "occupation")


class TooMany(TooManyRequests):
    """Refused for now; the client should send the same answers again later."""

    def __init__(self, retry_after: int):
        super().__init__()
        self.retry_after = retry_after

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(self.retry_after))]


@dataclass(frozen=True)
class Recent:
    """What the same point received lately (excluding the submission being judged)."""

    point_hour: int
    device_hour: int
    device_burst: int
    identical: int


def answer_key(row: dict) -> str:
    """Return the answers and profile of a row as one string (a missing field empty): the
    identical-answers count compares this one indexed column, not thirteen."""
    return "|".join(("".join(str(row[c]) for c in ANSWER_COLUMNS),
                     *("" if row.get(c) is None else str(row[c]) for c in PROFILE_COLUMNS)))


def _recent_statement():
    """Count a point's responses since :since; from :client_key since then and since :burst;
    with the same answer_key since :identical. Each count reads one index and only the rows it
    counts (point, device or answers first, then time), so a busy point's other answers cost
    the device and identical counts nothing."""
    columns = Response.__table__.c

    def count(moment: str, *conditions):
        return (select(func.count())
                .where(columns.point_id == bindparam("point_id"), *conditions,
                       columns.created_at > bindparam(moment))
                .scalar_subquery())

    same_device = columns.client_key == bindparam("client_key")
    return select(count("since"), count("since", same_device), count("burst", same_device),
                  count("identical", columns.answer_key == bindparam("answer_key")))


# Built once and run on the driver (survey/prepared.py) with each submission's values.
RECENT = Prepared(_recent_statement())


def recent(session: Session, row: dict, now: datetime) -> Recent:
    """Count the point's recent responses: all, from this device, and identical to this row
    (whose answer_key must be set)."""
    counts = RECENT.execute(session, {
        "point_id": row["point_id"], "client_key": row.get("client_key"),
        "answer_key": row["answer_key"], "since": now - LIMIT_WINDOW,
        "burst": now - BURST_WINDOW, "identical": now - IDENTICAL_WINDOW})
    return Recent(*counts.fetchone())


class AddressKey(NamedTuple):
    """The keyed hash of a sender's address and browser at a point, and its window's start."""

    key_hash: str
    window_start: int


def window_start(now: datetime) -> int:
    """Return the start (Unix seconds) of the rate window holding a moment."""
    return int(now.timestamp()) // WINDOW_SECONDS * WINDOW_SECONDS


# One statement, the same on SQLite (3.35 or later) and PostgreSQL: this submission counted,
# the window's count returned.
COUNT_ADDRESS = Prepared(text(
    "INSERT INTO rate_window (key_hash, window_start, count) VALUES (:key_hash, :window_start, 1)"
    " ON CONFLICT (key_hash, window_start) DO UPDATE SET count = rate_window.count + 1"
    " RETURNING count"))


def forget_ended_windows(session: Session, current: int) -> None:
    """Delete the counts of the windows before the current one."""
    session.execute(delete(RateWindow).where(RateWindow.window_start < current))


def count_address(session: Session, address: AddressKey) -> int:
    """Count a submission in its address's window; return the window's count with it."""
    if memo.kept("windows").get(address.window_start, lambda: None) is None:
        forget_ended_windows(session, address.window_start)
        memo.kept("windows").get(address.window_start, lambda: True)
    return COUNT_ADDRESS.execute(session, address._asdict()).fetchone()[0]


def screen(session: Session, row: dict, now: datetime, address: AddressKey | None = None) -> None:
    """Refuse a submission over a limit (TooMany); set a citizen's row's answer_key and add
    flags to a suspicious one, in place."""
    if row.get("point_id") is None:
        return  # typed in by staff, not sent by a citizen's device
    row["answer_key"] = answer_key(row)
    device_counts = row["channel"] != "kiosk" and row.get("client_key") is not None
    from_address = 0
    if address is not None and row["channel"] != "kiosk":
        from_address = count_address(session, address)
        limit = ADDRESS_LIMIT if row.get("client_key") is not None else DEVICE_LIMIT
        if from_address > limit:
            raise TooMany(retry_after=_until_next_window(now))
    seen = recent(session, row, now)
    if seen.point_hour >= POINT_LIMIT or (device_counts and seen.device_hour >= DEVICE_LIMIT):
        raise TooMany(retry_after=600)
    reasons = []
    if device_counts and seen.device_burst >= BURST_COUNT - 1:
        reasons.append(f"burst: {seen.device_burst + 1} from one device within "
                       f"{BURST_WINDOW.seconds // 60} min")
    if from_address > ADDRESS_FLAG:
        reasons.append(f"network: {from_address} from one address and browser this hour")
    if seen.identical >= IDENTICAL_COUNT - 1:
        reasons.append(f"identical: {seen.identical + 1} identical answers within "
                       f"{IDENTICAL_WINDOW.seconds // 60} min")
    if reasons:
        existing = [row["flag_reason"]] if row.get("flag_reason") else []
        row["flagged"], row["flag_reason"] = True, "; ".join(existing + reasons)[:200]


def _until_next_window(now: datetime) -> int:
    return max(1, window_start(now) + WINDOW_SECONDS - int(now.timestamp()))
