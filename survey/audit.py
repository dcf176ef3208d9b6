"""The audit log: who did what, when and from where."""

from flask import g, has_request_context, request
from sqlalchemy.orm import Session

from survey import db
from survey.models import AuditEvent


def record(session: Session, action: str, target: str | None = None, *,
           unit_id: int | None = None, email: str | None = None,
           detail: dict | None = None) -> AuditEvent:
    """Add an audit event for the current user and request; the caller's commit keeps it."""
    user = g.get("user") if has_request_context() else None
    event = AuditEvent(user_id=user.id if user else None, email=email or (user.email if user else None),
                       action=action, target=target, unit_id=unit_id, detail=detail,
                       ip=request.remote_addr if has_request_context() else None)
    session.add(event)
    return event


def record_now(session: Session, action: str, target: str | None = None, **fields) -> None:
    """Record an event and commit it, from a request that has only read so far (a download).

    In a writing turn: on SQLite a transaction that has read cannot begin to write once
    another writer has committed (it would fail with "database is locked", a 500 for the
    download while citizens' answers are being stored).
    """
    with db.writing_turn(session):
        record(session, action, target, **fields)
        session.commit()
