"""Declarative base, engine and per-request session."""

import fcntl
import os
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from survey import read_replica

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _tune_sqlite(dbapi_connection, _record) -> None:
    """Use WAL, a busy timeout and enforced foreign keys on every SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_connection.isolation_level = None


def _begin_sqlite(connection) -> None:
    """Emit BEGIN ourselves: pysqlite's own transaction handling breaks SAVEPOINT.

    A transaction that will write begins IMMEDIATE (it takes the write lock first, waiting up
    to the busy timeout): a deferred one that reads, then writes after another writer committed,
    fails at once with "database is locked" instead of waiting.
    """
    mode = connection.get_execution_options().get("sqlite_begin", "")
    # Straight to the driver: a statement through SQLAlchemy costs more than SQLite's BEGIN.
    connection.connection.driver_connection.execute(f"BEGIN {mode}")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Create an engine for a database URL, tuned for SQLite or PostgreSQL.

    `read_only` (PostgreSQL, a read replica): every transaction is read-only, so that a write
    sent there fails, and each checkout tests its connection, so that a replica gone down is
    noticed when a request opens its session, not by a failed page.
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    # No pool_pre_ping: a round trip on every request. After a server restart, the request that
    # meets a dead connection fails (503 with Retry-After: nothing stored, sent again later) and
    # SQLAlchemy then replaces every connection of the pool opened before.
    if read_only:
        return create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True,
                             connect_args={"options": "-c default_transaction_read_only=on",
                                           "connect_timeout": 3})
    return create_engine(url, pool_size=5, max_overflow=10)


MAX_BATCH = 16  # writes in one transaction at most


@dataclass(eq=False)
class _Write:
    """One thread's write waiting in a batch."""

    work: Callable[[Session], None]
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # woken to run the next batch
    error: BaseException | None = None


class SQLiteWriter:
    """Turns at writing one SQLite database, for the transactions of `writing_turn`, and the
    batches of `write_together`.

    SQLite lets one transaction write at a time, and one that finds the lock taken polls for it,
    sleeping up to 100 ms between tries: under load, waits of hundreds of milliseconds while
    the lock is free. Instead, the threads of a process queue on a lock and the processes on a
    file lock (flock) beside the database, `<file>-writer`; both wake the next writer the moment
    the turn is free. Other writers still meet SQLite's own polling, and are just as safe.
    """

    def __init__(self, path: str | None):
        self.path = f"{path}-writer" if path and path != ":memory:" else None
        self._threads = threading.Lock()
        self._file: tuple[int, int] | None = None  # (process id, descriptor): none across fork
        self._queue: list[_Write] = []  # writes waiting for a batch, with `_queued` held
        self._queued = threading.Lock()
        self._leading = False  # a thread is running batches

    @contextmanager
    def turn(self):
        """Hold the turn for the block."""
        with self._threads:
            descriptor = self._descriptor()
            if descriptor is None:
                yield
                return
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)

    def write(self, session: Session, work: Callable[[Session], None]) -> None:
        """Run work(session) in a transaction that writes and commit it, or raise its error.

        Writes that arrive while another thread's batch is running wait, then run together in
        the next transaction, one SAVEPOINT each (one that fails is undone alone and raises in
        its own thread), by the thread that leads that batch, on its session; `work` must
        use Core statements only, not the ORM's unit of work. One BEGIN IMMEDIATE, one COMMIT
        and one turn for several answers: under load the turn, not the CPU, was the limit.
        """
        if session.in_transaction():
            session.commit()  # what it read so far: the batch's transaction is another one
        job = _Write(work)
        with self._queued:
            self._queue.append(job)
            leads, self._leading = not self._leading, True
        if not leads:
            job.done.wait()
        if leads or job.leads:
            self._lead(session, job)
        if job.error is not None:
            raise job.error

    def _lead(self, session: Session, own: _Write) -> None:
        """Run the writes queued when the turn comes (own among them), then hand the lead to
        the first write queued after them, if any."""
        jobs: list[_Write] = []
        try:
            with self.turn():
                with self._queued:
                    jobs, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                self._run(session, jobs)
        except BaseException as error:
            session.rollback()
            for job in jobs or [own]:
                job.error = job.error or error
        finally:
            with self._queued:
                if own in self._queue:  # the turn failed before the batch was taken
                    self._queue.remove(own)
                if self._queue:
                    self._queue[0].leads = True  # woken below: it runs the next batch
                    self._queue[0].done.set()
                else:
                    self._leading = False
            for job in jobs:
                job.done.set()

    @staticmethod
    def _run(session: Session, jobs: list[_Write]) -> None:
        driver = for_writing(session).connection().connection.driver_connection
        for job in jobs:
            driver.execute("SAVEPOINT suara_write")
            try:
                job.work(session)
            except Exception as error:  # noqa: BLE001 - raised in the job's own thread
                driver.execute("ROLLBACK TO suara_write")
                job.error = error
            driver.execute("RELEASE suara_write")
        session.commit()

    def _descriptor(self) -> int | None:
        if self.path is None:
            return None
        if self._file is None or self._file[0] != os.getpid():
            if self._file is not None:
                # Inherited across fork: it shares the parent's lock, so this process needs its
                # own. Closing the copy leaves the parent's descriptor and any lock it holds.
                os.close(self._file[1])
            self._file = (os.getpid(), os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._file[1]


class Database:
    """The engine and session factory of one application."""

    def __init__(self, url: str, session_class: type[Session] = Session):
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False,
                                         class_=session_class)
        self.sqlite_writer = SQLiteWriter(
            self.engine.url.database if self.engine.dialect.name == "sqlite" else None)
        self.replica: read_replica.Replica | None = None


def init_app(app: Flask) -> None:
    """Attach a Database to the app (with its read replica, if one is set) and close the
    request's session at teardown."""
    read_url = app.config.get("SUARA_READ_DATABASE_URL")
    if read_url and not (read_url.startswith("postgresql")
                         and app.config["DATABASE_URL"].startswith("postgresql")):
        raise ValueError("SUARA_READ_DATABASE_URL must name a PostgreSQL replica of "
                         "DATABASE_URL's PostgreSQL database")
    database = app.extensions["suara.db"] = Database(
        app.config["DATABASE_URL"], read_replica.RoutingSession if read_url else Session)
    if read_url:
        database.replica = read_replica.init_app(app, database.sessionmaker,
                                                 make_engine(read_url, read_only=True))
    app.teardown_appcontext(_close_session)


def database() -> Database:
    """Return the current application's Database."""
    return current_app.extensions["suara.db"]


def session(writing: bool | None = None) -> Session:
    """Return the session of the current request or CLI command, opening it on first use.

    Its transactions take the write lock first (`for_writing`) if `writing`; by default, in
    requests that may write (POST and the like). A view that reads and validates at length
    before it writes asks for writing=False, then writes within `writing_turn`.
    With a read replica, a session that will not write reads it (survey/read_replica.py).
    """
    if "db_session" not in g:
        found = database()
        if found.replica is not None and read_replica.wanted(writing):
            g.db_session = found.replica.open(found.sessionmaker)
            return g.db_session
        g.db_session = found.sessionmaker()
        if writing is None:
            writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
        if writing:
            for_writing(g.db_session)
    return g.db_session


def for_writing(db_session: Session) -> Session:
    """Mark a session's next transaction as one that writes (BEGIN IMMEDIATE on SQLite)."""
    db_session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    db_session.info["writes"] = True  # its commit sets the read-your-writes cookie
    return db_session


@contextmanager
def writing_turn(db_session: Session):
    """Go on with a session that has only read so far in a transaction that writes; the block
    must end that transaction.

    On SQLite, a transaction that read without the write lock cannot take it later (another
    writer may have committed since it began): end it and begin one that writes, holding the
    turn (`SQLiteWriter`) meanwhile. The objects read stay usable (expire_on_commit=False). On
    PostgreSQL the transaction goes on: writes lock their own rows; one on the read replica
    ends there and goes on on the primary. Runs in an app context.
    """
    if db_session.get_bind().dialect.name != "sqlite":
        read_replica.to_primary(db_session)
        yield db_session
        return
    with database().sqlite_writer.turn():
        if db_session.in_transaction():
            db_session.commit()
        yield for_writing(db_session)


def write_together(db_session: Session, work: Callable[[Session], None]) -> None:
    """Run work(db_session) in a transaction that writes and commit it; on SQLite, together
    with the other threads' writes that arrive meanwhile (SQLiteWriter.write). On an error
    nothing of it is stored and the error is raised. Runs in an app context."""
    if db_session.get_bind().dialect.name == "sqlite":
        database().sqlite_writer.write(db_session, work)
        return
    read_replica.to_primary(db_session)
    try:
        work(db_session)
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def _close_session(_exc) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
