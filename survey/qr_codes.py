"""A service point's survey address, its QR code (SVG, PNG) and the file names of its downloads.

Light on purpose (segno only): the admin and kiosk pages show these, while the printable PDFs
that carry the same codes (survey/posters.py, survey/invitations/sheets.py) load fpdf.
"""

import io
import re
import unicodedata

import segno

# Quartile error correction (25 % of the code may be lost) survives print, smudges and a fold;
# higher levels only make the modules smaller at the same poster size.
ERROR_LEVEL = "q"
QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 requires


def survey_address(base_url: str, token: str, qr: bool = True) -> str:
    """Return the survey address of a token: /q/ (channel qr) or /s/ (channel link)."""
    if not token or "/" in token:
        raise ValueError(f"service point token {token!r} is empty or contains '/'")
    return f"{base_url.rstrip('/')}/{'q' if qr else 's'}/{token}"


def qr_code(url: str) -> segno.QRCode:
    """Make the QR code of a URL: level Q, never a Micro QR, level not boosted."""
    if not url:
        raise ValueError("cannot make a QR code of an empty address")
    return segno.make_qr(url, error=ERROR_LEVEL, boost_error=False)


def qr_svg(url: str, scale: int = 10) -> bytes:
    """Return the QR code of a URL as SVG, `scale` px per module, quiet zone included."""
    return svg(qr_code(url), scale=scale, unit="px")


def qr_png(url: str, scale: int = 10) -> bytes:
    """Return the QR code of a URL as a black-on-white PNG, `scale` pixels per module."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE,
                      dark="#000", light="#fff")
    return buffer.getvalue()


def poster_stem(unit_slug: str, point_name: str, token: str) -> str:
    """Return a file name stem (no extension) for a service point's poster files."""
    ascii_name = unicodedata.normalize("NFKD", point_name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "titik"
    return f"{unit_slug}-{name[:40].rstrip('-')}-{token}"


def svg(qr: segno.QRCode, scale: float, unit: str) -> bytes:
    """Serialise a QR code as black-on-white SVG with a viewBox and the quiet zone."""
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=scale, unit=unit, border=QUIET_ZONE,
            dark="#000", light="#fff", xmldecl=False)
    return buffer.getvalue()
