"""Storing the answers to the Zona Integritas surveys (SPKP, SPAK) and keeping their rollups.

A respondent answers an instrument whole or not at all: one instrument_answer row, or none.
Its sufficient statistics are kept in rollup_instrument per unit, local month or semester,
instrument and scale, by the same additive upsert as survey/rollups.py, in the transaction
that stores, excludes or restores the response: a sum of rows stays exact under concurrent
writers. A response of a point that asks no instrument never reaches this module.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import (SmallInteger, String, bindparam, cast, delete, func, insert, literal,
                        select)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.integrity_alerts.raising import raise_alerts
from survey.models import (INSTRUMENT_COLUMNS, ROLLUP_SPANS, InstrumentAnswer, Response,
                           RollupInstrument, utcnow)
from survey.prepared import Prepared
from survey.rollups import as_date, counted_units, span_start, start_expression
from survey.scopes import NATIONAL, Scope

ANSWERS = InstrumentAnswer.__table__
TABLE = RollupInstrument.__table__
KEY = ("unit_id", "months", "starts_on", "instrument", "scale_max")
STATISTICS = ("n", *(f"s{item}" for item in range(1, len(INSTRUMENT_COLUMNS) + 1)), "t", "t2")

# The answers of one stored response (found by its client_uuid, in this transaction): the
# response's id is not returned by its executemany insert, and this saves reading it back.
# Prepared (survey/prepared.py), as the response's own insert: on the path of a submission,
# SQLAlchemy's way to the driver costs more than the statement.
INSERT = Prepared(insert(ANSWERS).from_select(
    ["response_id", "instrument", "scale_max", *INSTRUMENT_COLUMNS],
    # Cast: PostgreSQL reads an untyped parameter of a SELECT list (a NULL answer) as text.
    select(Response.id, cast(bindparam("instrument"), String(8)),
           *(cast(bindparam(name), SmallInteger) for name in ("scale_max", *INSTRUMENT_COLUMNS)))
    .where(Response.client_uuid == bindparam("client_uuid"))))


def answer_values(answers: Mapping[str, tuple[int, tuple[int, ...]]]) -> list[dict]:
    """Return instrument_answer values of {instrument: (scale_max, answers in item order)}."""
    values = []
    for instrument, (scale_max, items) in sorted(answers.items()):
        if not 1 <= len(items) <= len(INSTRUMENT_COLUMNS):
            raise ValueError(f"{instrument}: {len(items)} answers")
        if any(not 1 <= value <= scale_max for value in items):
            raise ValueError(f"{instrument}: answers {items} outside 1..{scale_max}")
        padded = (*items, *(None,) * (len(INSTRUMENT_COLUMNS) - len(items)))
        values.append({"instrument": instrument, "scale_max": scale_max,
                       **dict(zip(INSTRUMENT_COLUMNS, padded))})
    return values


def store(session: Session, row: Mapping, answers: Mapping) -> None:
    """Insert the instrument answers of a response row just inserted (same transaction) and
    count them, unless the row is excluded. answers: {instrument: (scale_max, values)}."""
    values = answer_values(answers)
    if not values:
        return
    INSERT.execute_many(session, [{**value, "client_uuid": row["client_uuid"]}
                                  for value in values])
    raise_alerts(session, row, answers)  # a statement only for a low imbalan/pungli/calo answer
    if not row.get("excluded"):
        _upsert(session, _deltas(values, row["unit_id"], row["submitted_on"], +1))


def move(session: Session, response: Response, sign: int) -> None:
    """Count (sign +1, a restoration) or stop counting (-1, an exclusion) the instrument
    answers of a response, in the caller's transaction."""
    found = session.execute(select(ANSWERS).where(ANSWERS.c.response_id == response.id))
    _upsert(session, _deltas(found.mappings(), response.unit_id, response.submitted_on, sign))


def _vector(row: Mapping) -> list[int]:
    answers = [row[name] or 0 for name in INSTRUMENT_COLUMNS]  # SPAK leaves a6..a8 empty
    total = sum(answers)
    return [1, *answers, total, total * total]


def _deltas(rows: Iterable[Mapping], unit_id: int, submitted_on: date,
            sign: int) -> dict[tuple, list[int]]:
    """Return the rollup changes of one response's answer rows, by rollup key."""
    spans = [(months, span_start(submitted_on, months)) for months in ROLLUP_SPANS]
    deltas: dict[tuple, list[int]] = {}
    for row in rows:
        vector = [sign * value for value in _vector(row)]
        for months, starts_on in spans:
            key = (unit_id, months, starts_on, row["instrument"], row["scale_max"])
            found = deltas.get(key)
            deltas[key] = vector if found is None else [a + b for a, b in zip(found, vector)]
    return deltas


def _upsert_statement(insert_for):
    sent = {name: bindparam(name, type_=TABLE.c[name].type)
            for name in (*KEY, *STATISTICS, "updated_at")}
    statement = insert_for(TABLE).values(sent)
    return statement.on_conflict_do_update(
        index_elements=list(KEY),
        set_={**{name: TABLE.c[name] + statement.excluded[name] for name in STATISTICS},
              "updated_at": statement.excluded.updated_at})


UPSERT = {"postgresql": Prepared(_upsert_statement(postgresql.insert)),
          "sqlite": Prepared(_upsert_statement(sqlite.insert))}


def _upsert(session: Session, deltas: dict) -> None:
    if not deltas:
        return
    now = utcnow()
    values = [{**dict(zip(KEY, key)), **dict(zip(STATISTICS, vector)), "updated_at": now}
              for key, vector in sorted(deltas.items())]
    UPSERT[session.get_bind().dialect.name].execute_many(session, values)


def _raw(dialect: str, scope: Scope, months: int):
    """Return the SELECT of (unit_id, start, instrument, scale_max, *statistics) of a span
    from the raw answers of counted responses."""
    start = start_expression(dialect, months)
    items = [func.coalesce(ANSWERS.c[name], 0) for name in INSTRUMENT_COLUMNS]
    total = sum(items[1:], items[0])
    statistics = [func.count(), *(func.coalesce(func.sum(ANSWERS.c[name]), 0)
                                  for name in INSTRUMENT_COLUMNS),
                  func.sum(total), func.sum(total * total)]
    return (select(Response.unit_id, start, ANSWERS.c.instrument, ANSWERS.c.scale_max,
                   *statistics)
            .join_from(ANSWERS, Response, Response.id == ANSWERS.c.response_id)
            .where(Response.excluded.is_(False), Response.unit_id.in_(counted_units(scope)))
            .group_by(Response.unit_id, start, ANSWERS.c.instrument, ANSWERS.c.scale_max))


def rebuild(session: Session, scope: Scope = NATIONAL) -> int:
    """Recompute rollup_instrument of a scope from the raw answers; return the rows written."""
    dialect = session.get_bind().dialect.name
    session.execute(delete(TABLE).where(TABLE.c.unit_id.in_(counted_units(scope))))
    for months in ROLLUP_SPANS:
        raw = _raw(dialect, scope, months).subquery()
        columns = list(raw.c)
        source = select(columns[0], literal(months), *columns[1:], func.current_timestamp())
        session.execute(insert(TABLE).from_select([*KEY, *STATISTICS, "updated_at"], source))
    # Counted afterwards: a driver may not tell the rows an INSERT ... SELECT wrote.
    return session.scalar(select(func.count()).select_from(TABLE)
                          .where(TABLE.c.unit_id.in_(counted_units(scope))))


def differences(session: Session, scope: Scope = NATIONAL) -> list[tuple]:
    """Return the (unit_id, months, starts_on) whose rollup_instrument rows differ from the
    raw answers (empty: exact)."""
    dialect = session.get_bind().dialect.name
    raw = {(unit_id, months, as_date(start), instrument, scale): tuple(stats)
           for months in ROLLUP_SPANS
           for unit_id, start, instrument, scale, *stats
           in session.execute(_raw(dialect, scope, months))}
    stored = {tuple(row._mapping[name] for name in KEY):
              tuple(row._mapping[name] for name in STATISTICS)
              for row in session.execute(select(TABLE).where(TABLE.c.unit_id.in_(counted_units(scope))))}
    zero = (0,) * len(STATISTICS)
    return sorted({key[:3] for key in raw.keys() | stored.keys()
                   if raw.get(key, zero) != stored.get(key, zero)})

