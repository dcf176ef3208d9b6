"""Ballot stuffing: limits that an honest counter never reaches, and flags for a person to judge.

Sizing. A counter serves one citizen every few minutes; the busiest civil-registry office in
the demo delivers about 6 000 services a semester, some 50 a working day. A poster at a counter
with ten staff sees at most a few hundred answers an hour, so POINT_LIMIT is 600 an hour (ten a
minute, sustained). One phone answers once, maybe for a parent or a neighbour too: DEVICE_LIMIT
is 10 an hour. A kiosk tablet is one device shared by everyone, so only the point limit applies.
Above a limit the answer is refused with 429 and Retry-After (the browser keeps the form, the
kiosk queues it); below, suspicious patterns are flagged, never dropped: bursts from one device
and runs of identical answers. A person decides in the review queue whether to exclude them.

The counts are read in the insert's transaction. On SQLite, whose writers take turns, each sees
every submission before it. On PostgreSQL nothing locks them: submissions arriving at the very
same moment may each see the count below a limit, so a limit can be passed by the number of
requests in flight at once, no more.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, and_, bindparam, case, cast, func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import TooManyRequests

from survey.models import Response
from survey.prepared import Prepared
from survey.responses import ANSWER_COLUMNS

POINT_LIMIT, DEVICE_LIMIT, LIMIT_WINDOW = 600, 10, timedelta(hours=1)
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


def _count(condition) -> object:
    return cast(func.sum(case((condition, 1), else_=0)), Integer)


def _recent_statement():
    """Count a point's responses since :since; from :client_key since then and since :burst;
    with the same answers and profile (missing fields alike) since :identical."""
    columns = Response.__table__.c
    same_device = columns.client_key == bindparam("client_key")
    same_answers = and_(*(columns[c] == bindparam(c) for c in ANSWER_COLUMNS),
                        *(columns[c].is_not_distinct_from(bindparam(c)) for c in PROFILE_COLUMNS))
    return (select(func.count(), _count(same_device),
                   _count(and_(same_device, columns.created_at > bindparam("burst"))),
                   _count(and_(same_answers, columns.created_at > bindparam("identical"))))
            .where(columns.point_id == bindparam("point_id"),
                   columns.created_at > bindparam("since")))


# Built once and run on the driver (survey/prepared.py) with each submission's values.
RECENT = Prepared(_recent_statement())


def recent(session: Session, row: dict, now: datetime) -> Recent:
    """Count the point's recent responses: all, from this device, and identical to this row."""
    counts = RECENT.execute(session, {
        "point_id": row["point_id"], "client_key": row.get("client_key"),
        "since": now - LIMIT_WINDOW, "burst": now - BURST_WINDOW,
        "identical": now - IDENTICAL_WINDOW,
        **{c: row[c] for c in ANSWER_COLUMNS}, **{c: row.get(c) for c in PROFILE_COLUMNS}})
    return Recent(*(value or 0 for value in counts.fetchone()))


def screen(session: Session, row: dict, now: datetime) -> None:
    """Refuse a submission over a limit (TooMany); add flags to a suspicious one, in place."""
    if row.get("point_id") is None:
        return  # typed in by staff, not sent by a citizen's device
    seen = recent(session, row, now)
    device_counts = row["channel"] != "kiosk" and row.get("client_key") is not None
    if seen.point_hour >= POINT_LIMIT or (device_counts and seen.device_hour >= DEVICE_LIMIT):
        raise TooMany(retry_after=600)
    reasons = []
    if device_counts and seen.device_burst >= BURST_COUNT - 1:
        reasons.append(f"burst: {seen.device_burst + 1} from one device within "
                       f"{BURST_WINDOW.seconds // 60} min")
    if seen.identical >= IDENTICAL_COUNT - 1:
        reasons.append(f"identical: {seen.identical + 1} identical answers within "
                       f"{IDENTICAL_WINDOW.seconds // 60} min")
    if reasons:
        existing = [row["flag_reason"]] if row.get("flag_reason") else []
        row["flagged"], row["flag_reason"] = True, "; ".join(existing + reasons)[:200]
