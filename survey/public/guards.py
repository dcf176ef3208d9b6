"""Checks a survey POST must pass before its fields are even read."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, request
from werkzeug.wrappers import Request

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def same_origin(incoming: Request, base_url: str) -> bool:
    """Tell whether the Origin header, when sent, names this site.

    Browsers send Origin on every POST; compared with the Host header and with SUARA_BASE_URL's
    host (a proxy may rewrite Host), by host and port only, since TLS often ends at the proxy.
    "null" is refused too: keep the default Referrer-Policy, as `no-referrer` makes browsers
    send "null" on same-site posts.
    """
    origin = incoming.headers.get("Origin")
    if origin is None:
        return True
    allowed = {incoming.host.lower(), urlsplit(base_url).netloc.lower()}
    return urlsplit(origin).netloc.lower() in allowed


def form_post(view):
    """Refuse a POST that is not an HTML form (415) or comes from another site (403)."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if request.method == "POST":
            if request.mimetype not in FORM_TYPES:
                abort(415)
            if not same_origin(request, current_app.config["SUARA_BASE_URL"]):
                abort(403)
        return view(*args, **kwargs)
    return guarded
