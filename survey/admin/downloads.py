"""A service point's QR poster (PDF) and QR code (SVG, PNG), built by survey/posters.py."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from survey import audit, posters
from survey.models import ServicePoint, ServiceUnit

KINDS = {"poster.pdf": "application/pdf", "qr.svg": "image/svg+xml", "qr.png": "image/png"}


@dataclass(frozen=True)
class Download:
    body: bytes
    mimetype: str
    filename: str


def _build(kind: str, unit: ServiceUnit, point: ServicePoint, base_url: str) -> bytes:
    if kind == "poster.pdf":
        return posters.poster_pdf(unit.name, point.name, unit.agency.name, point.token, base_url)
    address = posters.survey_address(base_url, point.token)
    return posters.qr_svg(address) if kind == "qr.svg" else posters.qr_png(address, scale=20)


def point_file(session: Session, unit: ServiceUnit, point: ServicePoint, kind: str,
               base_url: str) -> Download | None:
    """Build one file of an active point and audit the download (committed); None for an
    unknown kind."""
    if kind not in KINDS or not point.active:
        return None
    body = _build(kind, unit, point, base_url)
    audit.record_now(session, "poster_downloaded", f"point:{point.id}", unit_id=unit.id,
                     detail={"kind": kind, "point": point.name, "token": point.token})
    stem = posters.poster_stem(unit.slug, point.name, point.token)
    return Download(body, KINDS[kind], f"{stem}.{kind.rsplit('.', 1)[1]}")
