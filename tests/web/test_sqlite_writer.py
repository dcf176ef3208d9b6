"""SQLite's write turn: one writer at a time across processes, the next woken at once."""

import multiprocessing
import time
from pathlib import Path

from survey.db import SQLiteWriter


def _hold_turn(database: str, journal: str, seconds: float) -> None:
    with SQLiteWriter(database).turn():
        Path(journal).write_text("in")
        time.sleep(seconds)
        Path(journal).write_text("out")


def test_a_process_waits_for_another_process_to_end_its_turn(tmp_path):
    database, journal = str(tmp_path / "suara.db"), tmp_path / "journal"
    other = multiprocessing.get_context("spawn").Process(
        target=_hold_turn, args=(database, str(journal), 0.5))
    other.start()
    try:
        deadline = time.monotonic() + 30
        while not (journal.exists() and journal.read_text() == "in"):
            assert time.monotonic() < deadline, "the other process never took its turn"
            time.sleep(0.01)
        with SQLiteWriter(database).turn():
            assert journal.read_text() == "out"  # its turn was over before this one began
    finally:
        other.join(timeout=30)
    assert other.exitcode == 0
    assert Path(f"{database}-writer").exists()


def test_a_database_in_memory_has_no_file_to_lock():
    assert SQLiteWriter(":memory:").path is None and SQLiteWriter(None).path is None
    with SQLiteWriter(":memory:").turn():
        pass
