"""Rows every citizen request reads and that rarely change, kept in each process's memory.

A service point and its questionnaire are read on every form view and submission; the query
costs more than the rest of the read. `POINT_SECONDS` bounds how stale a kept point may be:
closing a point or publishing a new questionnaire reaches every form within that time (twice
that for a fresh form page, kept as long again). A published questionnaire is never edited, so
its questions are kept until the process ends.
"""

import math
import time
from collections.abc import Callable, Hashable

from flask import Flask, current_app

POINT_SECONDS = 10.0
# Entries per kind: every service point of a large deployment, a few MB at most.
SIZE = 50_000
PAGES = 2_000  # about 10 KB each
SIGNIN_WAIT_SECONDS = 900.0  # the longest wait of a throttled sign-in (survey/auth/throttle.py)


class Kept:
    """Values by key, each for `seconds` after it was loaded; a full memo starts afresh."""

    def __init__(self, seconds: float, size: int = SIZE):
        self.seconds, self.size = seconds, size
        self._entries: dict[Hashable, tuple[float, object]] = {}

    def get(self, key: Hashable, load: Callable[[], object]):
        """Return the value kept under a key, loading it when missing or expired.

        A None (not found) is never kept: an unknown token is asked of the database each time,
        so that probing random tokens cannot fill the memory.
        """
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if value is not None:
            self.put(key, value)
        return value

    def put(self, key: Hashable, value: object) -> None:
        """Keep a value under a key for `seconds`, replacing what was kept."""
        if len(self._entries) >= self.size:
            self._entries = {}
        self._entries[key] = (time.monotonic() + self.seconds, value)

    def clear(self) -> None:
        self._entries = {}

    def __len__(self) -> int:
        return len(self._entries)


def init_app(app: Flask) -> None:
    """Give the app its memos: service points by token, questions by questionnaire and locale,
    fresh form pages by address and language (survey/public/fresh.py)."""
    app.extensions["suara.memo"] = {"points": Kept(POINT_SECONDS),
                                    "questions": Kept(math.inf),
                                    "pages": Kept(POINT_SECONDS, size=PAGES),
                                    # rate windows whose predecessors this process deleted
                                    "windows": Kept(math.inf, size=4),
                                    # hours in which this process deleted the expired
                                    # idempotency keys (survey/invitations/idempotency.py)
                                    "idempotency_hours": Kept(math.inf, size=4),
                                    # addresses told to wait before their next sign-in try,
                                    # with the monotonic time they may try again
                                    "signin_waits": Kept(SIGNIN_WAIT_SECONDS)}


def kept(kind: str) -> Kept:
    """Return the current application's memo of a kind."""
    return current_app.extensions["suara.memo"][kind]


def forget_all(app: Flask) -> None:
    """Empty every memo of an app (its database was emptied or replaced)."""
    for memo in app.extensions["suara.memo"].values():
        memo.clear()
