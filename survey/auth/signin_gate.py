"""The sign-in's cheapest refusal, in front of Flask.

A try from an address still told to wait (survey/auth/throttle.py), or sent while another try
from it is under way in this process, is answered here before Flask makes a request, a
session or a form: a robot's flood of tries costs the server about what its HTTP parsing
costs, and leaves the workers to the citizens. Every other request passes through untouched.
"""

import io
import time
from math import ceil
from urllib.parse import parse_qs

from flask import Flask, render_template

from survey.auth import throttle

LOGIN_PATH = "/masuk"
MAX_PEEK = 4096  # a sign-in form is a few hundred bytes; a larger body is not read here
FORM = "application/x-www-form-urlencoded"


class SigninGate:
    """WSGI middleware: refuse the tries `throttle.seconds_left` says must wait."""

    def __init__(self, app: Flask, wsgi_app, headers: dict[str, str]):
        self.app, self.wsgi_app, self.headers = app, wsgi_app, headers
        self._page: bytes | None = None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != LOGIN_PATH:
            return self.wsgi_app(environ, start_response)
        address = environ.get("REMOTE_ADDR")
        waits = self.app.extensions["suara.memo"]["signin_waits"]
        left = throttle.seconds_left(waits, address, peek_email(environ), time.monotonic())
        if left is None:
            return self.wsgi_app(environ, start_response)
        page = self.page()
        start_response("429 Too Many Requests", [
            *self.headers.items(), ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(page))), ("Cache-Control", "private, no-store"),
            ("Retry-After", str(max(1, ceil(left))))])
        return [page]

    def page(self) -> bytes:
        """Return the refusal page, rendered once per process (it holds nothing personal)."""
        if self._page is None:
            with self.app.test_request_context(LOGIN_PATH):
                self._page = render_template("auth/refused.html",
                                             problem=throttle.REFUSED).encode()
        return self._page


def peek_email(environ) -> str:
    """Return the e-mail of a small form body, leaving the body for Flask to read again."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    if not 0 < length <= MAX_PEEK or not environ.get("CONTENT_TYPE", "").startswith(FORM):
        return ""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    fields = parse_qs(body.decode("latin-1"), encoding="utf-8", errors="replace")
    return fields.get("email", [""])[0].strip().lower()
