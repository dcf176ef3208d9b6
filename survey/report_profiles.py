"""A unit's report profile: who signs its report, its kata pengantar and its logo.

A logo is accepted only as PNG or JPEG told by its first bytes (never by its name or the type a
browser claims), at most `LOGO_MAX_BYTES` and `LOGO_MAX_SIDE` pixels a side, and is decoded and
encoded again with Pillow, so that what is stored (and later embedded in every PDF) is a plain
image without metadata or anything appended to it.
"""

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy.orm import Session

from analysis.report import data
from survey.models import ServiceUnit, UnitReportProfile
from survey.regions import timezone_for

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 2000  # pixels: more than a printed logo ever needs
LOGO_MIN_SIDE = 16
MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg"}
NIP = re.compile(r"^\d{18}$")
_REGENCY = re.compile(r"^(Kabupaten|Kota(?: Administrasi)?)\s+", re.I)


class LogoProblem(ValueError):
    """A logo that cannot be used; the message is for the person who sent it."""


@dataclass(frozen=True)
class Logo:
    body: bytes
    kind: str  # "png" or "jpeg"


def logo_kind(head: bytes) -> Optional[str]:
    """Return "png" or "jpeg" from a file's first bytes, or None for anything else."""
    return next((kind for magic, kind in MAGIC.items() if head.startswith(magic)), None)


def clean_logo(body: bytes) -> Logo:
    """Check a sent logo and return it re-encoded, or raise LogoProblem saying what is wrong."""
    if len(body) > LOGO_MAX_BYTES:
        raise LogoProblem("Berkas logo terlalu besar: paling besar 1 MB.")
    kind = logo_kind(body[:8])
    if kind is None:
        raise LogoProblem("Logo harus berupa gambar PNG atau JPEG.")
    from PIL import Image, UnidentifiedImageError  # only here: a logo is seldom sent

    try:
        with Image.open(io.BytesIO(body), formats=["PNG" if kind == "png" else "JPEG"]) as image:
            width, height = image.size
            if not (LOGO_MIN_SIDE <= min(width, height) and max(width, height) <= LOGO_MAX_SIDE):
                raise LogoProblem(f"Ukuran logo {width} × {height} piksel; sisi logo harus "
                                  f"antara {LOGO_MIN_SIDE} dan {LOGO_MAX_SIDE} piksel.")
            image.load()
            return Logo(_encode(image, kind), kind)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise LogoProblem("Berkas logo rusak atau tidak dapat dibaca sebagai gambar.") from None


def _encode(image, kind: str) -> bytes:
    """Encode an image again, without its metadata: PNG keeps transparency, JPEG is RGB."""
    out = io.BytesIO()
    if kind == "png":
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB"
        image.convert(mode).save(out, "PNG", optimize=True)
    else:
        image.convert("RGB").save(out, "JPEG", quality=90)
    return out.getvalue()


def profile_of(session: Session, unit: ServiceUnit) -> UnitReportProfile:
    """Return a unit's report profile, a new unsaved one when it has none yet."""
    return session.get(UnitReportProfile, unit.id) or UnitReportProfile(unit_id=unit.id)


def save_profile(session: Session, unit: ServiceUnit, *, head_name, head_nip, head_position,
                 place, foreword, logo: Optional[Logo], drop_logo: bool = False,
                 signed_on: Optional[date] = None) -> None:
    """Store a unit's report profile; empty texts are kept as None (the defaults apply)."""
    profile = profile_of(session, unit)
    profile.head_name, profile.head_nip = head_name or None, head_nip or None
    profile.head_position, profile.place = head_position or None, place or None
    profile.signed_on = signed_on
    profile.foreword = foreword or None
    if logo is not None:
        profile.logo, profile.logo_type = logo.body, logo.kind
    elif drop_logo:
        profile.logo = profile.logo_type = None
    session.add(profile)
    session.flush()


def version(session: Session, unit: ServiceUnit) -> str:
    """Return when a unit's report profile last changed (empty without one): a cache key."""
    profile = session.get(UnitReportProfile, unit.id)
    return profile.updated_at.isoformat() if profile else ""


def default_place(region_name: str) -> str:
    """Return where a unit signs by default: its regency or city without the word Kota."""
    return _REGENCY.sub("", region_name).strip() or region_name


def local_today(unit: ServiceUnit) -> date:
    """Return today's date in the unit's time zone (WIB, WITA or WIT)."""
    return datetime.now(timezone_for(unit.region_code)).date()


def endorsement(session: Session, unit: ServiceUnit, signed_on: Optional[date],
                today: date) -> data.Endorsement:
    """Return the front matter of a unit's report, signed on `signed_on` if given, else on the
    unit's kept signing date, else on the day the report is made (`today`)."""
    p = session.get(UnitReportProfile, unit.id)
    place = (p.place if p else None) or default_place(unit.region.name)
    if p is None:
        return data.Endorsement(signed_on or today, place=place)
    signed_on = signed_on or p.signed_on or today
    return data.Endorsement(signed_on, p.head_name, p.head_nip, p.head_position, place,
                            p.foreword, p.logo)
