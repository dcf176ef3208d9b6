"""Rollups: the sufficient statistics of each unit and local month, and of each unit and
semester, kept exact as data changes.

A unit collects a few hundred answers a semester, so a per-day rollup would hardly shrink the
data; a month row does (DESIGN.md §3), and a semester row, the period of the regulation's
reports, shrinks a semester's national ranking six times more. Every write of a response goes
through `add_rows`, every exclusion or restoration through `remove_rows` / `add_rows`, in the
caller's transaction: one upsert statement for both rows, adding to the stored numbers, so
concurrent writers on PostgreSQL or SQLite stay exact.

The twin table rollup_staff holds the same statistics of staff-entered answers only (paper,
interview), written by the same functions in the same statement batch: a unit's citizen-sent
figures are its rollup minus its rollup_staff, exactly, since every statistic is a sum. The
twin rollup_invited does the same for invited answers (a single-use code or link).
"""

import operator
from collections.abc import Iterable
from datetime import date
from itertools import chain

from sqlalchemy import Integer, String, bindparam, cast, delete, func, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.models import (ANSWER_COLUMNS, ROLLUP_SPANS, STAFF_CHANNELS, ExchangeUnit, Response,
                           Rollup, RollupInvited, RollupStaff, ServiceUnit, utcnow)
from survey.prepared import Prepared
from survey.queries import ROLLUP_STATISTICS, response_statistics, scope_filter
from survey.scopes import NATIONAL, Scope

TABLE = Rollup.__table__
STAFF_TABLE = RollupStaff.__table__
INVITED_TABLE = RollupInvited.__table__
TABLES = (TABLE, STAFF_TABLE, INVITED_TABLE)
STATISTICS = ROLLUP_STATISTICS


def span_start(day: date, months: int) -> date:
    """Return the first day of the month (months = 1) or semester (6) that holds a date."""
    return day.replace(month=(day.month - 1) // months * months + 1, day=1)


# An answer's contribution to the counts of 1s, 2s, 3s and 4s of its element.
ONE_HOT = {value: tuple(int(value == counted) for counted in range(1, 5)) for value in range(1, 5)}


def _vector(row) -> list[int]:
    """Return a response's contribution to each statistic, in STATISTICS order."""
    answers = [row[column] for column in ANSWER_COLUMNS]
    total = sum(answers)
    counts = chain.from_iterable(map(ONE_HOT.__getitem__, answers))
    return [1, *answers, *counts, total, total * total]


def _deltas(rows: Iterable, sign: int) -> dict[tuple[int, int, date], list[int]]:
    deltas: dict[tuple[int, int, date], list[int]] = {}
    for row in rows:
        vector = _vector(row) if sign > 0 else [-value for value in _vector(row)]
        for months in ROLLUP_SPANS:
            key = (row["unit_id"], months, span_start(row["submitted_on"], months))
            found = deltas.get(key)  # lists are never changed in place: one may serve two keys
            deltas[key] = vector if found is None else [a + b for a, b in zip(found, vector)]
    return deltas


# Every answer is 1, 2, 3 or 4 (a CHECK constraint), so the count of 4s is what the other
# counts leave of n: the upsert works them out rather than sending them. That keeps it at 43
# values; psycopg keeps its parsing of a statement for reuse only up to 50.
DERIVED = {f"c{e}_4": (f"c{e}_1", f"c{e}_2", f"c{e}_3") for e in range(1, 10)}
SENT = tuple(name for name in STATISTICS if name not in DERIVED)
_SENT_OF = operator.itemgetter(*(STATISTICS.index(name) for name in SENT))


def _upsert_statement(insert_for, table):
    sent = {name: bindparam(name, type_=table.c[name].type)
            for name in ("unit_id", "months", "starts_on", "updated_at", *SENT)}
    derived = {name: sent["n"] - sent[a] - sent[b] - sent[c]
               for name, (a, b, c) in DERIVED.items()}
    statement = insert_for(table).values({**sent, **derived})
    return statement.on_conflict_do_update(
        index_elements=["unit_id", "months", "starts_on"],
        set_={**{name: table.c[name] + statement.excluded[name] for name in STATISTICS},
              "updated_at": statement.excluded.updated_at})


# Built once: fifty column expressions cost more to build than the upsert costs to run.
UPSERT = {(table.name, dialect): Prepared(_upsert_statement(insert_for, table))
          for table in TABLES
          for dialect, insert_for in (("postgresql", postgresql.insert),
                                      ("sqlite", sqlite.insert))}


def _upsert(session: Session, deltas: dict, table=TABLE) -> None:
    if not deltas:
        return
    now = utcnow()
    values = [{"unit_id": unit_id, "months": months, "starts_on": starts_on, "updated_at": now,
               **dict(zip(SENT, _SENT_OF(vector)))}
              for (unit_id, months, starts_on), vector in sorted(deltas.items())]
    UPSERT[table.name, session.get_bind().dialect.name].execute_many(session, values)


def _change(session: Session, rows: Iterable, sign: int) -> None:
    rows = list(rows)
    _upsert(session, _deltas(rows, sign))
    # Rows without a channel (older callers) are counted as citizen-sent.
    _upsert(session, _deltas((row for row in rows if row.get("channel") in STAFF_CHANNELS),
                             sign), STAFF_TABLE)
    _upsert(session, _deltas((row for row in rows if row.get("invitation_id") is not None),
                             sign), INVITED_TABLE)


def add_rows(session: Session, rows: Iterable) -> None:
    """Count new (or restored) responses: mappings with unit_id, submitted_on, channel and
    u1..u9; those of a staff channel are counted in rollup_staff too, those with an
    invitation_id in rollup_invited."""
    _change(session, rows, +1)


def remove_rows(session: Session, rows: Iterable) -> None:
    """Stop counting responses (a person excluded them)."""
    _change(session, rows, -1)


def as_row(response: Response) -> dict:
    """Return the fields of a stored response that its rollups need."""
    return {"unit_id": response.unit_id, "submitted_on": response.submitted_on,
            "channel": response.channel, "invitation_id": response.invitation_id,
            **{column: getattr(response, column) for column in ANSWER_COLUMNS}}


def start_expression(dialect: str, months: int):
    """Return the SQL expression of the first day of a response's month or semester."""
    day = Response.submitted_on
    if dialect == "sqlite":
        back = (cast(func.strftime("%m", day), Integer) - 1) % months
        return func.date(day, "start of month", "-" + cast(back, String) + " months")
    month = (cast(func.extract("month", day), Integer) - 1) // months * months + 1
    return func.make_date(cast(func.extract("year", day), Integer), month, 1)


def counted_units(scope: Scope):
    """Return the SELECT of the ids of a scope's units whose rollups count raw answers here:
    a unit received from another server (survey/exchange/) has figures and no answers."""
    return select(ServiceUnit.id).where(scope_filter(scope),
                                        ServiceUnit.id.not_in(select(ExchangeUnit.unit_id)))


def _raw(dialect: str, scope: Scope, months: int, table=TABLE):
    """Return the SELECT of (unit_id, start, *statistics) of a span from the raw responses
    that a rollup table counts."""
    start = start_expression(dialect, months)
    query = (select(Response.unit_id, start, *response_statistics())
             .where(Response.excluded.is_(False), Response.unit_id.in_(counted_units(scope)))
             .group_by(Response.unit_id, start))
    if table is STAFF_TABLE:
        return query.where(Response.channel.in_(STAFF_CHANNELS))
    if table is INVITED_TABLE:
        return query.where(Response.invitation_id.is_not(None))
    return query


def rebuild(session: Session, scope: Scope = NATIONAL) -> int:
    """Recompute every rollup table of a scope from the raw responses; return the rows
    written."""
    dialect = session.get_bind().dialect.name
    written = 0
    for table in TABLES:
        session.execute(delete(table).where(table.c.unit_id.in_(counted_units(scope))))
        for months in ROLLUP_SPANS:
            raw = _raw(dialect, scope, months, table).subquery()
            source = select(raw.c[0], literal(months), *list(raw.c)[1:], func.current_timestamp())
            written += session.execute(insert(table).from_select(
                ["unit_id", "months", "starts_on", *STATISTICS, "updated_at"], source)).rowcount
    return written


def differences(session: Session, scope: Scope = NATIONAL, table=TABLE) -> list[tuple]:
    """Return the (unit_id, months, starts_on) whose row of a rollup table (rollup,
    STAFF_TABLE or INVITED_TABLE) differs from the raw responses (empty: exact)."""
    dialect = session.get_bind().dialect.name
    raw = {(unit_id, months, as_date(start)): tuple(stats)
           for months in ROLLUP_SPANS
           for unit_id, start, *stats in session.execute(_raw(dialect, scope, months, table))}
    stored = {(row.unit_id, row.months, row.starts_on):
              tuple(row._mapping[name] for name in STATISTICS)
              for row in session.execute(select(table).where(table.c.unit_id.in_(counted_units(scope))))}
    zero = (0,) * len(STATISTICS)
    return sorted(key for key in raw.keys() | stored.keys()
                  if raw.get(key, zero) != stored.get(key, zero))


def received_units(session: Session, scope: Scope = NATIONAL) -> int:
    """Return how many units of a scope came from another server (no raw answers to check)."""
    return session.scalar(select(func.count()).select_from(ServiceUnit).where(
        scope_filter(scope), ServiceUnit.id.in_(select(ExchangeUnit.unit_id))))


def as_date(value) -> date:
    """Return a date read back from SQL (SQLite gives text)."""
    return date.fromisoformat(value) if isinstance(value, str) else value
