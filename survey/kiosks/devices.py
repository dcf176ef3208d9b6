"""Enrolling, finding, revoking and counting kiosk tablets.

Staff start an enrolment for a service point: a pending device with a one-time code (short,
typeable, valid CODE_MINUTES). The tablet that opens the enrolment page with that code gets a
random key in a long-lived cookie; the server keeps only the keyed hash of code and key
(HMAC-SHA256 with SECRET_KEY), so a copy of the database enrols nothing and opens no kiosk.
Revoked devices stay (answers refer to them); their key opens nothing any more.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from survey import audit
from survey.models import KioskDevice, Response, ServicePoint, User

CODE_MINUTES = 15
# No 0/O, 1/I/L: read off a screen and typed on a tablet's keyboard.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
KEY_COOKIE = "suara_kiosk"
# Browsers keep a cookie at most about 400 days; each kiosk page renews it.
KEY_COOKIE_MAX_AGE = 400 * 24 * 3600
NAME_MAX = 80


def keyed(secret: str, value: str) -> str:
    """Return the keyed hash kept in place of a code or a key."""
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def normal_code(typed: str | None) -> str:
    """Return a typed code as issued: capitals, without spaces or dashes."""
    return "".join(typed.split()).replace("-", "").upper()[:2 * CODE_LENGTH] if typed else ""


def shown_code(code: str) -> str:
    """Return a code as staff read it out: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def start(session: Session, point: ServicePoint, name: str, user: User, secret: str,
          now: datetime) -> tuple[KioskDevice, str]:
    """Add a pending device for a point; return it and its one-time code (audited)."""
    code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
    device = KioskDevice(point_id=point.id, name=name[:NAME_MAX], enrolled_by=user.id,
                         code_hash=keyed(secret, code),
                         code_expires_at=now + timedelta(minutes=CODE_MINUTES))
    session.add(device)
    session.flush()
    audit.record(session, "kiosk_code_issued", f"kiosk:{device.id}", unit_id=point.unit_id,
                 detail={"point_id": point.id, "name": device.name})
    return device, code


def enrol(session: Session, typed_code: str | None, secret: str,
          now: datetime) -> tuple[KioskDevice, str] | None:
    """Enrol the tablet of a valid, unused, unexpired code; return the device and its new key."""
    code = normal_code(typed_code)
    device = session.scalars(select(KioskDevice).where(
        KioskDevice.code_hash == keyed(secret, code))).first() if code else None
    if device is None or device.code_expires_at <= now or device.revoked_at is not None:
        return None
    key = secrets.token_urlsafe(32)
    device.key_hash, device.code_hash, device.code_expires_at = keyed(secret, key), None, None
    device.enrolled_at = device.last_seen_at = now
    point = session.get(ServicePoint, device.point_id)
    audit.record(session, "kiosk_enrolled", f"kiosk:{device.id}", unit_id=point.unit_id,
                 detail={"point_id": point.id, "name": device.name,
                         "code_issued_by": device.enrolled_by})
    return device, key


@dataclass(frozen=True)
class Tablet:
    """What a kiosk request needs of the device it comes from."""

    id: int
    point_id: int
    revoked: bool


def tablet(session: Session, key: str | None, secret: str) -> Tablet | None:
    """Return the enrolled device holding a key (revoked ones too), or None."""
    if not key or len(key) > 100:
        return None
    found = session.execute(select(KioskDevice.id, KioskDevice.point_id, KioskDevice.revoked_at)
                            .where(KioskDevice.key_hash == keyed(secret, key))).first()
    return Tablet(found.id, found.point_id, found.revoked_at is not None) if found else None


def seen(session: Session, device_id: int, now: datetime) -> None:
    """Record that a device sent an answer."""
    session.execute(update(KioskDevice).where(KioskDevice.id == device_id)
                    .values(last_seen_at=now))


def revoke(session: Session, device: KioskDevice, now: datetime) -> bool:
    """Revoke a device (audited); False if it already was."""
    if device.revoked_at is not None:
        return False
    device.revoked_at, device.code_hash, device.code_expires_at = now, None, None
    point = session.get(ServicePoint, device.point_id)
    audit.record(session, "kiosk_revoked", f"kiosk:{device.id}", unit_id=point.unit_id,
                 detail={"point_id": point.id, "name": device.name})
    return True


@dataclass(frozen=True)
class Listed:
    """A device as a unit's page lists it, with the answers it sent."""

    device: KioskDevice
    answers: int


def of_unit(session: Session, unit_id: int) -> dict[int, list[Listed]]:
    """Return a unit's enrolled or pending devices by point, each with its answer count."""
    counts = dict(session.execute(
        select(Response.kiosk_id, func.count())
        .join(KioskDevice, KioskDevice.id == Response.kiosk_id)
        .join(ServicePoint, ServicePoint.id == KioskDevice.point_id)
        .where(ServicePoint.unit_id == unit_id).group_by(Response.kiosk_id)).all())
    devices = session.scalars(
        select(KioskDevice).join(ServicePoint, ServicePoint.id == KioskDevice.point_id)
        .where(ServicePoint.unit_id == unit_id,
               KioskDevice.key_hash.is_not(None) | KioskDevice.revoked_at.is_not(None))
        .order_by(KioskDevice.point_id, KioskDevice.id))
    listed: dict[int, list[Listed]] = {}
    for device in devices:
        listed.setdefault(device.point_id, []).append(Listed(device, counts.get(device.id, 0)))
    return listed


def device_of_unit(session: Session, unit_id: int, device_id: int) -> KioskDevice | None:
    """Return a device of a unit's points, or None."""
    return session.scalars(select(KioskDevice).join(
        ServicePoint, ServicePoint.id == KioskDevice.point_id).where(
        ServicePoint.unit_id == unit_id, KioskDevice.id == device_id)).first()
