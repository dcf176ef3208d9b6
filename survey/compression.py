"""Compress text responses with gzip when no proxy in front does (SUARA_PROXY_COMPRESSES).

Flask-Compress does the work: it compresses 2xx bodies of the types below once they reach
MIN_SIZE bytes, leaves alone anything that already has a Content-Encoding, adds
`Vary: Accept-Encoding`, gives a compressed body its own strong ETag (`"tag:gzip"`) and
answers a conditional request for it with 304, and compresses a streamed body (the CSV
exports, static files) chunk by chunk. Three things it gets wrong are kept from it here: it
compresses for `Accept-Encoding: gzip;q=0` (q=0 means "not acceptable", RFC 9110 §12.5.3),
it would compress a 206 slice of a file, whose Content-Range counts uncompressed bytes, and
when it wraps a streamed body it drops the body's close(), so a static file stays open.

A signed-in page is not compressed: it carries the session's CSRF token, the same in every
page, next to text a link can choose (a search, a period), and the length of a compressed
page would then tell an eavesdropper the token a byte at a time (BREACH). Its charts, exports
and the citizens' pages carry no such secret.
"""

from flask import Flask, Response, request
from flask_compress import Compress

from survey import security

# Text only: PDF, PNG, JPEG, XLSX and DOCX are compressed already and never listed.
MIMETYPES = ["text/html", "text/css", "text/csv", "text/plain", "text/javascript",
             "application/javascript", "application/json", "image/svg+xml"]
# The form page (9 744 bytes of HTML, every citizen's first view) gzips to 2 755 bytes at
# level 1, 2 557 at level 4, 2 510 at 6 and 2 508 at 9, for about 0.03, 0.05, 0.06 and
# 0.07 ms of CPU: level 4 is within 2 % of the smallest for less CPU than level 6, a gap that
# grows with a long CSV export. bench/README.md (form_bytes.py) has the cost per GET.
LEVEL = 4
# With SUARA's ~0.8 KB of response headers, a body under 500 bytes goes out in the first
# packet (~1.4 KB) whether compressed or not.
MIN_SIZE = 500


class NegotiatedCompress(Compress):
    """Flask-Compress that honours q=0, leaves partial content and signed-in pages alone, and
    closes what it wraps."""

    def after_request(self, response: Response) -> Response:
        if (response.status_code == 206 or not request.accept_encodings["gzip"]
                or (response.mimetype == "text/html" and security.is_private())):
            response.vary.add("Accept-Encoding")  # another request may get it compressed
            return response
        body = response.response
        response = super().after_request(response)
        if response.response is not body and hasattr(body, "close"):
            # A streamed body is wrapped in a compressing one: the file under it must still
            # be closed when the server closes the response.
            response.call_on_close(body.close)
        return response


def init_app(app: Flask) -> None:
    """Compress responses, unless SUARA_PROXY_COMPRESSES says a proxy in front does."""
    if app.config.get("SUARA_PROXY_COMPRESSES"):
        return
    for name, value in (("COMPRESS_MIMETYPES", MIMETYPES), ("COMPRESS_LEVEL", LEVEL),
                        ("COMPRESS_MIN_SIZE", MIN_SIZE),
                        # gzip only: every browser takes it, and one encoding is one copy
                        # per page in a shared cache.
                        ("COMPRESS_ALGORITHM", "gzip"), ("COMPRESS_ALGORITHM_STREAMING", "gzip")):
        app.config.setdefault(name, value)
    NegotiatedCompress(app)
