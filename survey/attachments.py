"""The Content-Disposition header of every file SUARA hands out (reports, exports, posters).

A file name comes from stored names (units, service points, periods) and may hold any
character. A header must be ASCII without control characters, or the server refuses it after
the file was built; so the header carries an ASCII `filename` fallback and the exact name as
`filename*=UTF-8''…` (RFC 6266 section 4.3, RFC 5987 / RFC 8187).
"""

import re
import unicodedata
from urllib.parse import quote

FALLBACK_MAX = 100  # characters of the ASCII name, extension included
NAME_MAX = 150  # characters of the exact name
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f/\\]+")  # and path separators


def _split(name: str) -> tuple[str, str]:
    """Return a name's stem and extension ('.pdf'), the extension ASCII or empty."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z0-9]{1,8}", extension):
        return stem, "." + extension
    return name, ""


def ascii_name(name: str) -> str:
    """Return an ASCII file name made of a name: letters, digits, '.', '_' and '-' only.

    'Puskesmas Ketabang – Surabaya.pdf' → 'Puskesmas-Ketabang-Surabaya.pdf'.
    """
    stem, extension = _split(name)
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = _UNSAFE.sub("-", plain).strip("-.")[:FALLBACK_MAX - len(extension)].rstrip("-.")
    return (stem or "unduhan") + extension


def disposition(name: str, inline: bool = False) -> str:
    """Return the Content-Disposition value that offers a file under a name (any characters)."""
    stem, extension = _split(_CONTROL.sub(" ", name).strip())
    exact = stem[:NAME_MAX - len(extension)].strip() + extension
    fallback = ascii_name(exact)
    exact = exact if stem.strip() else fallback
    value = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if exact != fallback:
        value += f"; filename*=UTF-8''{quote(exact, safe='')}"
    return value


def attach(response, name: str, inline: bool = False):
    """Set a response's Content-Disposition to offer it under a name; return the response."""
    response.headers["Content-Disposition"] = disposition(name, inline)
    return response
