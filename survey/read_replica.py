"""Reads from a PostgreSQL streaming replica (SUARA_READ_DATABASE_URL); writes on the primary.

A request reads the replica when it is a GET or HEAD whose session was not asked to write and
its browser has not written within SUARA_READ_AFTER_WRITE_SECONDS (a signed cookie set by the
request that committed: the thank-you page after a form, the list after an edit read the
primary). A request that goes on to write (`db.writing_turn`: an audited download, an opened
invitation) ends its replica transaction and writes on the primary. The replica's transactions
are read-only, so a write that reached it anyway fails instead of being lost. A replica that
cannot be reached is skipped (logged once) until it answers again.
"""

import time

from flask import Flask, current_app, g, has_request_context, request
from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

COOKIE = "suara_primary_until"
# After a failed connection, requests read the primary this long before the replica is tried again.
RETRY_SECONDS = 5.0


class RoutingSession(Session):
    """A session that reads the replica while `info["replica"]` holds its engine."""

    def get_bind(self, mapper=None, clause=None, **kw):
        replica = self.info.get("replica")
        if replica is not None:
            return replica
        return super().get_bind(mapper, clause=clause, **kw)


class Replica:
    """The replica's engine and whether it answered lately."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.down_until = 0.0  # monotonic time before which the replica is not tried
        self.down = False

    def open(self, sessions: sessionmaker) -> Session:
        """Return a session that reads the replica, or the primary if the replica fails."""
        if self.down and time.monotonic() < self.down_until:
            return sessions()
        db_session = sessions(info={"replica": self.engine})
        try:
            db_session.connection()
        except DBAPIError as error:
            db_session.close()
            if not self.down:
                current_app.logger.warning("read replica unreachable, reading the primary: %s",
                                           getattr(error, "orig", error))
            self.down, self.down_until = True, time.monotonic() + RETRY_SECONDS
            return sessions()
        if self.down:
            current_app.logger.warning("read replica reachable again")
            self.down = False
        return db_session


def init_app(app: Flask, sessions: sessionmaker, engine: Engine) -> Replica:
    """Route the app's reads as described above; return the Replica. `sessions` makes
    RoutingSessions."""
    event.listen(sessions, "after_commit", _note_write)
    app.after_request(_remember_write)
    return Replica(engine)


def wanted(writing: bool | None) -> bool:
    """Tell whether the current request's session should read the replica."""
    if writing or not has_request_context() or request.method not in ("GET", "HEAD"):
        return False
    return not _wrote_lately()


def to_primary(db_session: Session) -> None:
    """Go on with a session on the primary, ending its replica transaction (it only read)."""
    if db_session.info.get("replica") is not None:
        if db_session.in_transaction():
            db_session.commit()
        db_session.info["replica"] = None
    db_session.info["writes"] = True


def _note_write(db_session: Session) -> None:
    if db_session.info.get("writes") and has_request_context():
        g.suara_wrote = True


def _signer() -> TimestampSigner:
    return TimestampSigner(current_app.config["SECRET_KEY"], salt="suara.primary-until")


def _window() -> int:
    return current_app.config["SUARA_READ_AFTER_WRITE_SECONDS"]


def _wrote_lately() -> bool:
    value = request.cookies.get(COOKIE)
    if not value or _window() <= 0:
        return False
    try:
        _signer().unsign(value, max_age=_window())
    except BadSignature:  # forged, or older than the window (SignatureExpired)
        return False
    return True


def _remember_write(response):
    if g.get("suara_wrote") and _window() > 0:
        response.set_cookie(COOKIE, _signer().sign("1").decode(), max_age=_window(),
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
