"""Raising integrity alerts where a response's SPAK answers are stored, in its transaction.

Called by survey/instrument_store.py only for a response that answered SPAK; answers without
a low imbalan, pungli or calo answer cost no statement. A retried submission meets the
response's unique client_uuid and is rolled back whole, alerts included; the unique
(response_id, aspect) keeps a second alert of the same answer out in any case.
"""

from collections.abc import Mapping

from sqlalchemy import SmallInteger, String, bindparam, cast, insert, select
from sqlalchemy.orm import Session

from analysis.integrity_alerts import signals
from survey.models import IntegrityAlert, Response, UTCDateTime, utcnow
from survey.prepared import Prepared

ALERTS = IntegrityAlert.__table__

# The response's id is not returned by its executemany insert: found by its client_uuid.
# Prepared (survey/prepared.py), as the response's and its answers' inserts: on the path of a
# submission, SQLAlchemy's way to the driver costs more than the statement.
INSERT = Prepared(insert(ALERTS).from_select(
    ["unit_id", "response_id", "aspect", "answer", "scale_max", "raised_at", "submitted_on",
     "status"],
    # Casts: PostgreSQL reads an untyped parameter of a SELECT list as text.
    select(Response.unit_id, Response.id, cast(bindparam("aspect"), String(8)),
           cast(bindparam("answer"), SmallInteger), cast(bindparam("scale_max"), SmallInteger),
           bindparam("raised_at", type_=UTCDateTime), Response.submitted_on,
           cast(bindparam("status"), String(8)))
    .where(Response.client_uuid == bindparam("client_uuid"))))


def raise_alerts(session: Session, row: Mapping, answers: Mapping) -> int:
    """Insert the alerts of a stored response's SPAK answers ({instrument: (scale_max,
    values)}); return how many, in the transaction the caller commits."""
    if "spak" not in answers:
        return 0
    scale_max, values = answers["spak"]
    found = signals(values, scale_max)
    if not found:
        return 0
    now = utcnow()
    INSERT.execute_many(session, [{"client_uuid": row["client_uuid"], "aspect": signal.aspect,
                                   "answer": signal.answer, "scale_max": signal.scale_max,
                                   "raised_at": now, "status": "open"} for signal in found])
    return len(found)
