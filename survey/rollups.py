"""Rollups: the sufficient statistics of each unit and local month, kept exact as data changes.

A unit collects a few hundred answers a semester, so a per-day rollup would hardly shrink the
data; a month row does (DESIGN.md §3). Every write of a response goes through `add_rows`, every
exclusion or restoration through `remove_rows` / `add_rows`, in the caller's transaction; the
upsert adds to the stored numbers, so concurrent writers on PostgreSQL or SQLite stay exact.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import cast, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.models import ANSWER_COLUMNS, Response, RollupMonth, ServiceUnit, utcnow
from survey.queries import ROLLUP_STATISTICS, response_statistics, scope_filter
from survey.scopes import NATIONAL, Scope

TABLE = RollupMonth.__table__
STATISTICS = ROLLUP_STATISTICS


def month_of(day: date) -> date:
    """Return the first day of a date's month: the key of its rollup row."""
    return day.replace(day=1)


def _vector(row) -> list[int]:
    """Return a response's contribution to each statistic, in STATISTICS order."""
    answers = [row[column] for column in ANSWER_COLUMNS]
    total = sum(answers)
    counts = [int(answer == value) for answer in answers for value in range(1, 5)]
    return [1, *answers, *counts, total, total * total]


def _deltas(rows: Iterable, sign: int) -> dict[tuple[int, date], list[int]]:
    deltas: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0] * len(STATISTICS))
    for row in rows:
        key = (row["unit_id"], month_of(row["submitted_on"]))
        deltas[key] = [a + sign * b for a, b in zip(deltas[key], _vector(row))]
    return deltas


def _upsert_statement(insert_for):
    statement = insert_for(TABLE)
    return statement.on_conflict_do_update(
        index_elements=["unit_id", "month"],
        set_={**{name: TABLE.c[name] + statement.excluded[name] for name in STATISTICS},
              "updated_at": statement.excluded.updated_at})


# Built once: fifty column expressions cost more to build than the upsert costs to run.
UPSERT = {"postgresql": _upsert_statement(postgresql.insert),
          "sqlite": _upsert_statement(sqlite.insert)}


def _upsert(session: Session, deltas: dict) -> None:
    if not deltas:
        return
    now = utcnow()
    values = [{"unit_id": unit_id, "month": month, "updated_at": now, **dict(zip(STATISTICS, v))}
              for (unit_id, month), v in sorted(deltas.items())]
    session.execute(UPSERT[session.get_bind().dialect.name], values)


def add_rows(session: Session, rows: Iterable) -> None:
    """Count new (or restored) responses: mappings with unit_id, submitted_on and u1..u9."""
    _upsert(session, _deltas(rows, +1))


def remove_rows(session: Session, rows: Iterable) -> None:
    """Stop counting responses (a person excluded them)."""
    _upsert(session, _deltas(rows, -1))


def as_row(response: Response) -> dict:
    """Return the fields of a stored response that its rollup needs."""
    return {"unit_id": response.unit_id, "submitted_on": response.submitted_on,
            **{column: getattr(response, column) for column in ANSWER_COLUMNS}}


def month_expression(dialect: str):
    """Return the SQL expression of a response's month (first day) on a dialect."""
    if dialect == "sqlite":
        return func.date(Response.submitted_on, "start of month")
    return cast(func.date_trunc("month", Response.submitted_on), postgresql.DATE)


def _units(scope: Scope):
    return select(ServiceUnit.id).where(scope_filter(scope))


def rebuild(session: Session, scope: Scope = NATIONAL) -> int:
    """Recompute the rollups of a scope from the raw responses; return the rows written."""
    month = month_expression(session.get_bind().dialect.name)
    session.execute(delete(TABLE).where(TABLE.c.unit_id.in_(_units(scope))))
    source = (select(Response.unit_id, month, *response_statistics(), func.current_timestamp())
              .where(Response.excluded.is_(False), Response.unit_id.in_(_units(scope)))
              .group_by(Response.unit_id, month))
    result = session.execute(insert(TABLE).from_select(
        ["unit_id", "month", *STATISTICS, "updated_at"], source))
    return result.rowcount


def differences(session: Session, scope: Scope = NATIONAL) -> list[tuple]:
    """Return the (unit_id, month) whose rollup differs from the raw responses (empty: exact)."""
    month = month_expression(session.get_bind().dialect.name)
    raw = {(unit_id, _as_date(m)): tuple(stats) for unit_id, m, *stats in session.execute(
        select(Response.unit_id, month, *response_statistics())
        .where(Response.excluded.is_(False), Response.unit_id.in_(_units(scope)))
        .group_by(Response.unit_id, month))}
    stored = {(row.unit_id, row.month): tuple(row._mapping[name] for name in STATISTICS)
              for row in session.execute(select(TABLE).where(TABLE.c.unit_id.in_(_units(scope))))}
    zero = (0,) * len(STATISTICS)
    return sorted(key for key in raw.keys() | stored.keys()
                  if raw.get(key, zero) != stored.get(key, zero))


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
