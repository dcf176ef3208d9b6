"""The survey form's CSRF token: signed, bound to a service point, independent of cookies.

Why not Flask-WTF's session token: a citizen fills the form on a cheap phone that may sleep for
an hour, drop the session cookie, or block cookies altogether; a session-bound token then fails
and the answers would be lost. The public form has no login whose authority a forged request
could borrow, so the token only has to prove that the POST comes from a page this server issued
for this service point, recently. It is signed with SECRET_KEY (itsdangerous), carries the
point's token, its issue time (valid 24 hours), the time the person first opened the form
(for the minimum completion time) and the client_uuid of the page view that served it; the
Origin check in `guards.py` covers cross-site posts. A stale or bad token never loses answers:
the form is shown again with a fresh token.

The client_uuid is the view's nonce. The server signs it with the time of the view, so a
client cannot bring its own start time; it is spent on use, since a client_uuid is stored
once (Response.client_uuid is unique): the same token and client_uuid again is a double
submit (stored once), the token with another client_uuid is a reused token (flagged). Nothing
is written when the page is viewed: the signature is the server's record of the view, which
keeps the form page cheap and cacheable (fresh.py fills in the token per view) and lets no one
fill a table by loading pages. A form shown again for a correction keeps its first view's
time only for the same client_uuid, which can still be stored only once.
"""

import functools
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from wtforms.csrf.core import CSRF, CSRFTokenField
from wtforms.fields import HiddenField
from wtforms.validators import ValidationError

SALT = "suara.public.form"
MAX_AGE = 24 * 3600
# Clocks of several web servers may differ a little; a token from further ahead is forged.
CLOCK_SLACK = 60


@dataclass(frozen=True)
class FormTicket:
    """What a form token says: the service point, when it was issued, when the form was opened,
    the client_uuid (hex) of the view that served it."""

    point_token: str
    issued: int
    started: int
    view: str = ""

    def served(self, client_uuid) -> bool:
        """Tell whether this token was issued for the page view of this client_uuid."""
        return bool(self.view) and client_uuid is not None and self.view == client_uuid.hex


@functools.lru_cache(maxsize=4)
def _serializer(secret: str) -> URLSafeSerializer:
    """Return the serializer of a secret: made once, as making one costs more than a check."""
    return URLSafeSerializer(secret, salt=SALT)


def sign(secret: str, ticket: FormTicket) -> str:
    """Return the signed token of a ticket."""
    return _serializer(secret).dumps([ticket.point_token, ticket.issued, ticket.started,
                                      ticket.view])


def read(secret: str, token: str | None, point_token: str) -> FormTicket | None:
    """Return the ticket of a token signed for this point, or None if it is not one (any age).

    A token of the former three-part form is none: the form is shown again with a new one."""
    ticket = _ticket(secret, token)
    return ticket if ticket is not None and ticket.point_token == point_token else None


def signed_point(secret: str, token: str | None) -> str | None:
    """Return the token of the point a form token was signed for, or None if it is not one."""
    ticket = _ticket(secret, token)
    return ticket.point_token if ticket is not None else None


# The last few read: an invitation's answer reads its token twice (its point, then the form).
@functools.lru_cache(maxsize=64)
def _ticket(secret: str, token: str | None) -> FormTicket | None:
    if not token or len(token) > 400:
        return None
    try:
        payload = _serializer(secret).loads(token)
    except BadSignature:
        return None
    if (not isinstance(payload, list) or len(payload) != 4 or not isinstance(payload[0], str)
            or not all(isinstance(value, int) for value in payload[1:3])
            or not isinstance(payload[3], str)):
        return None
    return FormTicket(*payload)


def is_fresh(ticket: FormTicket | None, now: float, max_age: int = MAX_AGE) -> bool:
    """Tell whether a ticket was issued within max_age before now (and not from the future)."""
    return ticket is not None and now - max_age <= ticket.issued <= now + CLOCK_SLACK


def started_time(ticket: FormTicket | None, now: int, client_uuid=None) -> int:
    """Return when the person first opened the form: the ticket's time, else now.

    A form shown again keeps the time it was first opened, so that a correction does not look
    like a too-fast answer; only for the view the ticket served (its client_uuid), when given.
    """
    if client_uuid is not None and (ticket is None or not ticket.served(client_uuid)):
        return now
    if ticket is not None and ticket.started <= now + CLOCK_SLACK:
        return ticket.started
    return now


class SignedTokenField(CSRFTokenField):
    """The token field: reads the submitted ticket at once, signs a fresh one only when shown.

    A valid submission is stored and redirected: it never needs a new token.
    """

    def process(self, *args, **kwargs):
        HiddenField.process(self, *args, **kwargs)
        self.csrf_impl.read_submitted(self.data)
        self.current_token = None

    def _value(self) -> str:
        if self.current_token is None:
            self.current_token = self.csrf_impl.generate_csrf_token(self)
        return self.current_token


class SignedTokenCSRF(CSRF):
    """WTForms CSRF bound to `meta.csrf_context` (a point token), keyed by `meta.csrf_secret`."""

    field_class = SignedTokenField

    def setup_form(self, form):
        self.form = form
        self.secret = form.meta.csrf_secret
        self.point_token = form.meta.csrf_context
        self.submitted: FormTicket | None = None
        return super().setup_form(form)

    def read_submitted(self, token: str | None) -> None:
        self.submitted = read(self.secret, token, self.point_token)

    def served(self, client_uuid) -> bool:
        """Tell whether the submitted token was issued for the view of this client_uuid."""
        return self.submitted is not None and self.submitted.served(client_uuid)

    def view_time(self, client_uuid) -> int:
        """Return when the view of this client_uuid served the form (now for another view)."""
        return started_time(self.submitted, int(time.time()), client_uuid)

    def generate_csrf_token(self, csrf_token_field) -> str:
        client_uuid = self.form.client_uuid.data
        return sign(self.secret, FormTicket(self.point_token, int(time.time()),
                                            self.view_time(client_uuid), client_uuid.hex))

    def validate_csrf_token(self, form, field) -> None:
        if not is_fresh(self.submitted, time.time()):
            raise ValidationError(form.stale_message)
