"""A service point's QR poster (PDF, survey/posters.py) and QR code (SVG, PNG, survey/qr_codes.py)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from survey import audit, qr_codes, renderer
from survey.models import ServicePoint, ServiceUnit

KINDS = {"poster.pdf": "application/pdf", "qr.svg": "image/svg+xml", "qr.png": "image/png"}


@dataclass(frozen=True)
class Download:
    body: bytes
    mimetype: str
    filename: str


def _build(kind: str, unit: ServiceUnit, point: ServicePoint, base_url: str) -> bytes:
    if kind == "poster.pdf":
        return renderer.render("poster_pdf", unit.name, point.name, unit.agency.name,
                               point.token, base_url)
    address = qr_codes.survey_address(base_url, point.token)
    return qr_codes.qr_svg(address) if kind == "qr.svg" else qr_codes.qr_png(address, scale=20)


def point_file(session: Session, unit: ServiceUnit, point: ServicePoint, kind: str,
               base_url: str) -> Download | None:
    """Build one file of an active point and audit the download (committed); None for an
    unknown kind."""
    if kind not in KINDS or not point.active:
        return None
    body = _build(kind, unit, point, base_url)
    audit.record_now(session, "poster_downloaded", f"point:{point.id}", unit_id=unit.id,
                     detail={"kind": kind, "point": point.name, "token": point.token})
    stem = qr_codes.poster_stem(unit.slug, point.name, point.token)
    return Download(body, KINDS[kind], f"{stem}.{kind.rsplit('.', 1)[1]}")
