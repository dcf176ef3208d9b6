"""Strict readers of what an address carries: ids, page numbers, slugs, tokens, region codes,
choices and search texts, each with one rule.

`str.isdigit()` and `int()` accept far more than a person types (superscripts, Arabic-Indic
digits, signs, spaces, underscores, thousands of digits), and a number past PostgreSQL's INTEGER
overflows its column: every reader here takes ASCII digits only, bounded. A refusal is
`BadParameter`, a ValueError with an Indonesian message; views answer it with 400
(`arg`, `ParameterError`), addresses that name no row with 404.
"""

import re

from flask import request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter, ValidationError

ID_MAX = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column
PAGE_MAX = 100_000
SLUG_MAX = 80  # survey/unit_import.py's limit for a unit's slug
TOKEN_MAX = 64
TEXT_MAX = 200
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_TOKEN = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_REGION = re.compile(r"[0-9]{2}(?:\.[0-9]{2}){0,3}", re.ASCII)  # Kemendagri: 35, 35.78, 35.78.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadParameter(ValueError):
    """A value of the address that does not follow its rule; the message is Indonesian."""


class ParameterError(BadRequest):
    """A 400 answer whose description says, in Indonesian, which value was refused."""


def whole(text: str | None, name: str, low: int, high: int) -> int:
    """Return a whole number written in ASCII digits within low..high, or raise BadParameter."""
    text = "" if text is None else text.strip()
    if not _DIGITS.fullmatch(text) or len(text) > len(str(high)) or not low <= int(text) <= high:
        raise BadParameter(f"{name} '{shown(text)}' harus bilangan bulat {low} sampai {high} "
                           "yang ditulis dengan angka 0-9")
    return int(text)


def record_id(text: str | None, name: str = "ID") -> int:
    """Return the id of a stored row (1 .. 2³¹-1, the INTEGER column's range)."""
    return whole(text, name, 1, ID_MAX)


def page_number(text: str | None) -> int:
    """Return a page number; anything that is not one reads as the first page, and a number
    past the last page shows the last page (listings clamp), so only the size is bounded."""
    text = (text or "").strip()
    if not _DIGITS.fullmatch(text) or len(text) > len(str(PAGE_MAX)):
        return 1
    return min(max(int(text), 1), PAGE_MAX)


def slug(text: str | None) -> str:
    """Return a unit's slug: lower-case ASCII letters, digits and single hyphens, bounded."""
    if text is None or len(text) > SLUG_MAX or not _SLUG.fullmatch(text):
        raise BadParameter(f"slug '{shown(text or '')}' tidak sah: hanya huruf kecil, angka dan "
                           f"tanda hubung, paling banyak {SLUG_MAX} karakter")
    return text


def is_slug(text: str | None) -> bool:
    """Tell whether a text could be a unit's slug (a lookup of anything else finds nothing)."""
    return text is not None and len(text) <= SLUG_MAX and bool(_SLUG.fullmatch(text))


def is_token(text: str | None) -> bool:
    """Tell whether a text could be a service point's token (URL-safe, bounded)."""
    return text is not None and len(text) <= TOKEN_MAX and bool(_TOKEN.fullmatch(text))


def region_code(text: str | None) -> str:
    """Return a Kemendagri region code prefix: 35, 35.78, 35.78.01 (ASCII digits)."""
    if text is None or not _REGION.fullmatch(text):
        raise BadParameter(f"kode wilayah '{shown(text or '')}' tidak sah: contoh 35 atau 35.78")
    return text


def choice(text: str | None, name: str, allowed, default: str) -> str:
    """Return one of `allowed` (the default when absent), or raise BadParameter."""
    value = default if text is None else text
    if value not in allowed:
        raise BadParameter(f"{name} '{shown(value)}' tidak dikenal; pilihan: "
                           f"{', '.join(allowed)}")
    return value


def search_text(text: str | None, limit: int = TEXT_MAX) -> str:
    """Return a search text: control characters (NUL breaks PostgreSQL) dropped, white space
    collapsed, at most `limit` characters."""
    return " ".join(_CONTROL.sub("", text or "").split())[:limit]


def arg(name: str, read, *args, **kwargs):
    """Read a query parameter with one of the readers above; answer 400 with its message."""
    try:
        return read(request.args.get(name), *args, **kwargs)
    except BadParameter as error:
        raise ParameterError(str(error)) from None


def shown(text: str) -> str:
    """Return a refused value fit to quote in a message: printable and short."""
    printable = "".join(c if c.isprintable() else "?" for c in text)
    return printable if len(printable) <= 40 else printable[:39] + "…"


class IdConverter(BaseConverter):
    """`<int:...>` of a route: ASCII digits within an id's range, else no match (404).

    Werkzeug's own converter takes Unicode digits and numbers of any size, which overflow an
    INTEGER column on PostgreSQL (a 500 in place of a 404).
    """

    regex = r"[0-9]{1,10}"
    weight = 50
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def init_app(app) -> None:
    """Put the strict id converter in place of Werkzeug's `int` (before routes are added)."""
    app.url_map.converters["int"] = IdConverter
