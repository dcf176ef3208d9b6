"""Statements that every submission runs, compiled once per database and sent to the driver.

For a one-row statement, SQLAlchemy's way from `session.execute` to the driver (the session's
bookkeeping, the compiled-cache lookup, the execution context, the result object) costs more
than SQLite or PostgreSQL spend running it. A `Prepared` statement is built with SQLAlchemy
like any other and compiled by it once per dialect; each run converts the values with the
same bind processors of the column types, then hands them to the DBAPI cursor of the
session's own connection, inside the session's transaction. The driver's errors come out as
SQLAlchemy's (IntegrityError, OperationalError, ...), a lost connection invalidated as
SQLAlchemy would, so callers and error handlers see no difference.
"""

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    ordered: Callable | None  # the values in the order of the placeholders (positional style)
    fixed: dict[str, Any]  # values written in the statement itself (literals)
    processors: tuple[tuple[str, Callable], ...]


class Prepared:
    """A statement compiled once per dialect and run straight on the driver's cursor."""

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None):
        """column_keys: for an INSERT, the columns its rows give (all of them, defaults too)."""
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.column_keys,
                                          for_executemany=True)
        if getattr(compiled, "insert_prefetch", None):
            missing = ", ".join(column.key for column in compiled.insert_prefetch)
            raise ValueError(f"give a value for every column with a default: {missing}")
        fixed, processors = {}, {}
        for bind, name in compiled.bind_names.items():
            if not bind.required:
                fixed[name] = bind.effective_value
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:  # once per name, though the statement use it twice
                processors[name] = processor
        ordered = None
        if compiled.positional:
            names = compiled.positiontup or []
            # itemgetter of one name returns the value, not a tuple of it.
            ordered = operator.itemgetter(*names) if len(names) > 1 else (
                lambda values: tuple(values[name] for name in names))
        return _Compiled(compiled.string, ordered, fixed, tuple(processors.items()))

    def _for(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.dialect_description)
        if found is None:
            found = self._compiled[dialect.dialect_description] = self._compile(dialect)
        return found

    def _values(self, compiled: _Compiled, values: Mapping[str, Any]):
        values = {**compiled.fixed, **values}
        for name, process in compiled.processors:
            values[name] = process(values[name])
        return compiled.ordered(values) if compiled.ordered else values

    def _on(self, session: Session) -> tuple[Connection, _Compiled, Any]:
        """Return the session's connection, this statement compiled for it, a driver cursor."""
        connection = session.connection()
        cursor = connection.connection.driver_connection.cursor()
        return connection, self._for(connection.dialect), cursor

    def execute(self, session: Session, values: Mapping[str, Any]):
        """Run with one set of values; return the driver's cursor (fetchone, fetchall)."""
        connection, compiled, cursor = self._on(session)
        return _run(connection, compiled.sql, self._values(compiled, values), cursor.execute)

    def execute_many(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per row, as one executemany (a plain execute for one row: psycopg's
        executemany goes through a pipeline that costs more than it saves on a single row)."""
        if len(rows) == 1:
            self.execute(session, rows[0])
            return
        connection, compiled, cursor = self._on(session)
        parameters = [self._values(compiled, row) for row in rows]
        _run(connection, compiled.sql, parameters, cursor.executemany)


def _run(connection: Connection, sql: str, parameters, method):
    dialect = connection.dialect
    try:
        method(sql, parameters)
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(error)
        raise exc.DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error,
                                      connection_invalidated=lost, dialect=dialect) from error
    return method.__self__
