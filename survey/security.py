"""Hardened web defaults: CSRF on every form, security headers, cookies, proxies."""

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from survey import access
from survey.auth.signin_gate import SigninGate
from survey.public.answer_gate import AnswerGate

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; worker-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

csrf = CSRFProtect()


HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY",
           "X-Content-Type-Options": "nosniff",
           # Not no-referrer: browsers then send "Origin: null" on form posts, which the form
           # refuses.
           "Referrer-Policy": "strict-origin-when-cross-origin",
           "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


def every_response_headers(secure: bool) -> dict[str, str]:
    """Return the security headers every response carries (HSTS over HTTPS)."""
    if not secure:
        return HEADERS
    return {**HEADERS, "Strict-Transport-Security": "max-age=31536000; includeSubDomains"}


def add_headers(response: Response) -> Response:
    """Add the security headers every response carries; keep signed-in pages out of caches."""
    headers = response.headers
    for name, value in every_response_headers(request.is_secure).items():
        headers.setdefault(name, value)
    if is_private():
        # Whatever a view said: no shared cache, no browser history keeps what a sign-in shows.
        headers["Cache-Control"] = "private, no-store"
    return response


def is_private() -> bool:
    """Tell whether this request is signed in or its route is for signed-in users only (a
    static file is the same for everyone, whoever asks)."""
    if request.endpoint == "static":
        return False
    if g.get("user") is not None:
        return True
    return request.endpoint is not None and \
        access.rule_of(current_app, request.endpoint) != "public"


def init_app(app: Flask) -> None:
    """Protect every form against CSRF, set headers and cookie flags, trust the proxy if told."""
    csrf.init_app(app)
    app.after_request(add_headers)
    # Inside the proxy fix (they read the address that fix finds), before Flask: a sign-in
    # from an address told to wait costs next to nothing, and so does most of a citizen's
    # valid answer.
    app.wsgi_app = AnswerGate(app, app.wsgi_app, every_response_headers)
    app.wsgi_app = SigninGate(app, app.wsgi_app, HEADERS)
    proxies = int(app.config.get("SUARA_PROXIES", 0))
    if proxies:
        # Behind nginx: trust X-Forwarded-For/-Proto from that many proxies, no more.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
