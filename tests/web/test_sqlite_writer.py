"""SQLite's write turn: one writer at a time across processes, the next woken at once."""

import multiprocessing
import os
import time
from pathlib import Path

from survey.db import SQLiteWriter


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
