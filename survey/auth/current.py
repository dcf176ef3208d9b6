"""The signed-in user of a request: from the session cookie, or from a personal API token."""

from flask import Flask, current_app, g, get_flashed_messages, request, session
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
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return  # a citizen: do not touch the session (it would add Vary: Cookie)
    uid = session.get("uid")
    if uid is None:
        return
    user = db.session().scalars(select(User).where(User.id == uid)).first()
    # A password change bumps session_version: older sessions end there.
    if user and user.active and user.session_version == session.get("v"):
        g.user = user
    else:
        session.clear()


def flashed_messages() -> list[str]:
    """Return the messages flashed to this browser; a citizen without a session has none."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return []  # reading the session would add Vary: Cookie to a citizen's form page
    return get_flashed_messages()


def init_app(app: Flask) -> None:
    """Load the user before each request; offer `current_user` and flashes to templates."""
    app.before_request(load_user)
    app.context_processor(lambda: {"current_user": g.get("user"),
                                   "flashed_messages": flashed_messages})
