"""Static files under versioned addresses, kept by browsers for a year.

Every `url_for("static", ...)` gets `?v=` and the first 12 hex digits of the file's SHA-256. A
request that carries the version of the file as it is now is answered with a year's max-age,
so a phone asks for the stylesheet once, not again on every page: on 2G or 3G the round trip
of a revalidation costs as much as the small file itself. A request without the version, or
with an old one, is answered as before (revalidated each time). The version follows the file's
content (checked by its modification time and size), so a new release is fetched at once.
"""

import hashlib
import os

from flask import Flask, has_request_context, request
from werkzeug.security import safe_join

YEAR = 365 * 24 * 3600
_versions: dict[str, tuple[tuple[int, int], str]] = {}


def version(app: Flask, filename: str | None) -> str | None:
    """Return the version of a static file (None if there is no such file)."""
    path = safe_join(app.static_folder, filename) if filename and app.static_folder else None
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    if stat is None:
        return None
    seen, kept = (stat.st_mtime_ns, stat.st_size), _versions.get(path)
    if kept is None or kept[0] != seen:
        with open(path, "rb") as file:
            kept = (seen, hashlib.sha256(file.read()).hexdigest()[:12])
        _versions[path] = kept
    return kept[1]


def init_app(app: Flask) -> None:
    """Version the static files' addresses and let browsers keep a versioned file a year."""
    def add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            found = version(app, values.get("filename"))
            if found:
                values["v"] = found

    def max_age(filename: str | None) -> int | None:
        if has_request_context() and request.args.get("v") and \
                request.args["v"] == version(app, filename):
            return YEAR
        return None

    app.url_defaults(add_version)
    app.get_send_file_max_age = max_age
