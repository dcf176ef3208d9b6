"""SQLite's write turn: one writer at a time across processes, the next woken at once; the
writes of a process's threads that arrive meanwhile committed together, each undone alone."""

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey.db import SQLiteWriter, make_engine


def _hold_turn(database: str, journal: str, seconds: float) -> None:
    with SQLiteWriter(database).turn():
        Path(journal).write_text("in")
        time.sleep(seconds)
        Path(journal).write_text("out")


def wait_for_its_turn(journal: Path) -> None:
    """Wait until the other process writes that its turn began."""
    deadline = time.monotonic() + 30
    while not (journal.exists() and journal.read_text() == "in"):
        assert time.monotonic() < deadline, "the other process never took its turn"
        time.sleep(0.01)


def test_a_process_waits_for_another_process_to_end_its_turn(tmp_path):
    database, journal = str(tmp_path / "suara.db"), tmp_path / "journal"
    other = multiprocessing.get_context("spawn").Process(
        target=_hold_turn, args=(database, str(journal), 0.5))
    other.start()
    try:
        wait_for_its_turn(journal)
        with SQLiteWriter(database).turn():
            assert journal.read_text() == "out"  # its turn was over before this one began
    finally:
        other.join(timeout=30)
    assert other.exitcode == 0
    assert Path(f"{database}-writer").exists()


def _descriptors_of(path: str) -> int:
    return sum(os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(path)
               for fd in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{fd}"))


def _turn_after_fork(writer: SQLiteWriter, journal: str, seconds: float) -> None:
    with writer.turn():
        Path(journal).write_text("in")
        time.sleep(seconds)
        # Its own descriptor, the parent's copy closed.
        held = _descriptors_of(writer.path)
        Path(journal).write_text("out")
    raise SystemExit(0 if held == 1 else 3)


def test_a_forked_worker_takes_turns_with_its_parent(tmp_path):
    # gunicorn forks its workers from a process that may have written already.
    writer, journal = SQLiteWriter(str(tmp_path / "suara.db")), tmp_path / "journal"
    with writer.turn():
        pass
    child = multiprocessing.get_context("fork").Process(
        target=_turn_after_fork, args=(writer, str(journal), 0.5))
    child.start()
    try:
        wait_for_its_turn(journal)
        with writer.turn():
            assert journal.read_text() == "out"
    finally:
        child.join(timeout=30)
    assert child.exitcode == 0


def test_a_database_in_memory_has_no_file_to_lock():
    assert SQLiteWriter(":memory:").path is None and SQLiteWriter(None).path is None
    with SQLiteWriter(":memory:").turn():
        pass


# --- Writes of several threads in one transaction ---------------------------------------------

@pytest.fixture
def table(tmp_path):
    """Yield (engine, writer, commits) on a SQLite file with a table of unique numbers;
    commits: the transactions committed, counted as SQLAlchemy commits them."""
    database = str(tmp_path / "batch.db")
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE number (value INTEGER NOT NULL UNIQUE)"))
    commits = []
    event.listen(engine, "commit", lambda _connection: commits.append(1))
    yield engine, SQLiteWriter(database), commits
    engine.dispose()


def stored(engine) -> list[int]:
    with engine.connect() as connection:
        return sorted(connection.scalars(text("SELECT value FROM number")))


def insert(value: int):
    def work(session: Session) -> None:
        session.execute(text("INSERT INTO number (value) VALUES (:value)"), {"value": value})
    return work


def write_in_threads(engine, writer, values: list[int]) -> dict[int, BaseException | None]:
    """Write each value from a thread of its own, all queued while another thread holds the
    turn; return each value's outcome (None: stored)."""
    outcomes = {}

    def write(value: int) -> None:
        with Session(engine) as session:
            try:
                writer.write(session, insert(value))
                outcomes[value] = None
            except IntegrityError as error:
                outcomes[value] = error

    threads = [threading.Thread(target=write, args=(value,)) for value in values]
    with writer.turn():
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(writer._queue) < len(values):  # every write waits for the turn held here
            assert time.monotonic() < deadline, "the writes never queued"
            time.sleep(0.01)
    for thread in threads:
        thread.join(30)
    return outcomes


def test_writes_queued_meanwhile_are_committed_together_and_all_stored(table):
    engine, writer, commits = table
    outcomes = write_in_threads(engine, writer, list(range(1, 9)))
    assert outcomes == {value: None for value in range(1, 9)}
    assert stored(engine) == list(range(1, 9))
    assert len(commits) == 1  # eight answers, one transaction


def test_a_failing_write_is_undone_alone_and_raises_in_its_own_thread(table):
    engine, writer, commits = table
    with Session(engine) as session:
        writer.write(session, insert(5))
    outcomes = write_in_threads(engine, writer, [4, 5, 6])
    assert outcomes[4] is None and outcomes[6] is None
    assert isinstance(outcomes[5], IntegrityError)
    assert stored(engine) == [4, 5, 6] and len(commits) == 2


def test_one_write_alone_commits_and_the_next_thread_leads_again(table):
    engine, writer, commits = table
    for value in (1, 2, 3):
        with Session(engine) as session:
            writer.write(session, insert(value))
    with Session(engine) as session, pytest.raises(IntegrityError):
        writer.write(session, insert(2))
    # Four transactions: the refused write's commits nothing.
    assert stored(engine) == [1, 2, 3] and len(commits) == 4 and writer._queue == []
