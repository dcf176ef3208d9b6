"""A fresh form page is the same for everyone who opens it at a service point, but for its two
hidden values (the client_uuid and the form token): rendered once with holes where they go,
kept like the point itself (survey/memo.py), and filled in for each visit.

Not for a browser with a session (a signed-in person, a message to show): its page differs.
"""

import secrets
from collections.abc import Callable

from flask import current_app, g, request

from survey import memo
from survey.public.forms import SurveyForm

# Random, so that no text of a page can contain them by chance; letters and digits only, so
# that escaping leaves them as they are.
UUID_HOLE = f"uuidhole{secrets.token_hex(8)}"
TOKEN_HOLE = f"tokenhole{secrets.token_hex(8)}"


def page(form: SurveyForm, render: Callable[[], str]) -> str:
    """Return the fresh page of a form: filled in from the kept copy, or rendered."""
    if current_app.config["SESSION_COOKIE_NAME"] in request.cookies:
        return render()
    key = (request.full_path, g.locale, g.get("locale_chosen", False))
    kept = memo.kept("pages").get(key, lambda: _with_holes(form, render))
    if kept is None:
        return render()
    return kept.replace(UUID_HOLE, str(form.client_uuid.data)).replace(
        TOKEN_HOLE, form.csrf_token._value())


def _with_holes(form: SurveyForm, render: Callable[[], str]) -> str | None:
    """Render the page with holes for the two values; None unless each shows exactly once."""
    client_uuid = form.client_uuid.data
    form.client_uuid.data, form.csrf_token.current_token = UUID_HOLE, TOKEN_HOLE
    try:
        html = render()
    finally:
        form.client_uuid.data, form.csrf_token.current_token = client_uuid, None
    return html if html.count(UUID_HOLE) == 1 and html.count(TOKEN_HOLE) == 1 else None
