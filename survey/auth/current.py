"""The signed-in user of a request: from the session cookie, or from a personal API token."""

from flask import Flask, g, request, session
from sqlalchemy import select

from survey import db
from survey.auth import accounts
from survey.models import User


def load_user() -> None:
    """Set g.user for this request, or None for a visitor."""
    g.user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = accounts.user_by_token(db.session(), header.removeprefix("Bearer ").strip())
        return
    uid = session.get("uid")
    if uid is None:
        return
    user = db.session().scalars(select(User).where(User.id == uid)).first()
    # A password change bumps session_version: older sessions end there.
    if user and user.active and user.session_version == session.get("v"):
        g.user = user
    else:
        session.clear()


def init_app(app: Flask) -> None:
    """Load the user before each request and offer `current_user` to templates."""
    app.before_request(load_user)
    app.context_processor(lambda: {"current_user": g.get("user")})
