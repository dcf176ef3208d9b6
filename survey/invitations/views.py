"""The answering page of an invitation (/u/<code>): the point's usual form, answered once."""

from flask import redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from survey import access, db
from survey.i18n import locale_args
from survey.invitations import claims, codes, opening
from survey.models import utcnow
from survey.public import csrf, plain_post, submissions, views as public
from survey.public.forms import parse_uuid
from survey.public.guards import form_post

# What the citizen's page says about a code that cannot be answered, with its status.
REFUSED = {"unknown": 404, "used": 410, "expired": 410}
# The refusals the public pages explain in the citizen's language (public.problem).
PROBLEMS = (403, 404, 410, 415)


@access.public
def answer(code: str):
    """Show the form of an invitation's point; store one answer with it, then thank."""
    try:
        return _answer(code)
    except claims.InvitationSpent:  # unknown, of another point, answered or expired: say which
        return refused(_spent(opening.find(db.session(), code, utcnow())))
    except HTTPException as error:
        if error.code not in PROBLEMS:
            raise
        return public.problem(error)


@form_post
def _answer(code: str):
    """Refuse an unknown, used or expired code; else mark its first opening and go on as the
    point's form does, the answer claiming the invitation.

    An answer sent from the form names its point in its signed token: it goes straight to the
    claim, which reads nothing before it writes (a code's state is read only to explain a
    refusal)."""
    session, normal = db.session(writing=False), codes.normalised(code[:40])
    point_token = request.method == "POST" and normal and csrf.signed_point(
        plain_post.form_secret(), request.form.get("csrf_token"))
    if point_token:
        return _form(session, submissions.open_point(session, point_token), normal)
    now = utcnow()
    found = opening.find(session, code, now)
    state = "unknown" if found is None else found.state
    if state == "used" and request.method == "POST" and opening.answered_with(
            session, found, parse_uuid(request.form.get("client_uuid"))):
        return redirect(url_for("public.thanks", token=found.point_token, **locale_args()), 303)
    if state != "open":
        return refused(state)
    point = submissions.open_point(session, found.point_token)
    if request.method == "GET":
        opening.mark_opened(session, found, now)
    return _form(session, point, found.code)


def _spent(found: opening.Found | None) -> str:
    """Say why a code's claim failed: unknown, used or expired as stored; a code still open is
    of another point than the form's, or was claimed by another answer at this very moment whose
    transaction has not ended yet (on SQLite the answers sent together commit together): used."""
    if found is None or found.state != "open":
        return "unknown" if found is None else found.state
    signed = csrf.signed_point(plain_post.form_secret(), request.form.get("csrf_token"))
    return "used" if signed == found.point_token else "unknown"


def _form(session, point, code: str):
    """Go on as the point's form does, an answer claiming the invitation of its code (the
    channel is the invitation's, set by the claim)."""
    return public.answer(session, point, "qr", invitation_code=code, kept=False,
                         action=url_for("invitations.send", code=code, **locale_args()))


def refused(state: str):
    """Explain politely, in the person's language, why a code cannot be answered."""
    return render_template("invitations/refused.html", state=state), REFUSED[state]
