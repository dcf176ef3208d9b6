"""Changing units and their service points: flush only, every change audited (old → new).

Nothing here is ever deleted: responses refer to units and points, so a unit is closed or
archived and a point deactivated instead.
"""

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import audit
from survey.models import Agency, ServicePoint, ServiceUnit
from survey.unit_import import SLUG_MAX, new_point_tokens

# Words the admin addresses use after /admin/units/: never a unit's slug.
RESERVED_SLUGS = frozenset({"new"})
STATUSES = {"active": "aktif", "closed": "ditutup", "archived": "diarsipkan"}
# The audit action of a status change, by the new status.
STATUS_ACTIONS = {"active": "unit_reactivated", "closed": "unit_closed",
                  "archived": "unit_archived"}


def free_slug(session: Session, name: str) -> str:
    """Return an unused slug made of a name: 'Puskesmas Kenjeran' → puskesmas-kenjeran(-2 …)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_MAX - 5].rstrip("-")
    base = base if base and base not in RESERVED_SLUGS else f"unit-{base}".rstrip("-")
    taken = set(session.scalars(select(ServiceUnit.slug)
                                .where(ServiceUnit.slug.startswith(base, autoescape=True))))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def create_unit(session: Session, *, slug: str, name: str, agency: Agency,
                region_code: str) -> ServiceUnit:
    """Add a unit (active, no service point yet) and audit it."""
    unit = ServiceUnit(slug=slug, name=name, agency=agency, region_code=region_code,
                       status="active")
    session.add(unit)
    session.flush()
    audit.record(session, "unit_created", f"unit:{slug}", unit_id=unit.id,
                 detail={"slug": slug, "name": name, "agency_id": agency.id,
                         "agency": agency.name, "region_code": region_code})
    return unit


def update_unit(session: Session, unit: ServiceUnit, *, name: str, agency: Agency,
                status: str) -> list[str]:
    """Rename, move and change the status of a unit as asked; return the actions audited.

    A move keeps the unit's id, so its responses, points and questionnaires go with it; the
    audit names the old and the new agency.
    """
    target, done = f"unit:{unit.slug}", []
    if name != unit.name:
        audit.record(session, "unit_renamed", target, unit_id=unit.id,
                     detail={"name": [unit.name, name]})
        unit.name = name
        done.append("unit_renamed")
    if agency.id != unit.agency_id:
        audit.record(session, "unit_moved", target, unit_id=unit.id,
                     detail={"agency_id": [unit.agency_id, agency.id],
                             "agency": [unit.agency.name, agency.name]})
        unit.agency = agency
        done.append("unit_moved")
    if status != unit.status:
        audit.record(session, STATUS_ACTIONS[status], target, unit_id=unit.id,
                     detail={"status": [unit.status, status]})
        unit.status = status
        done.append(STATUS_ACTIONS[status])
    session.flush()
    return done


def add_point(session: Session, unit: ServiceUnit, name: str) -> ServicePoint:
    """Add an active service point with a fresh token to a unit, and audit it."""
    point = ServicePoint(unit_id=unit.id, name=name, token=new_point_tokens(session, 1)[0])
    session.add(point)
    session.flush()
    audit.record(session, "point_created", f"point:{point.id}", unit_id=unit.id,
                 detail={"name": name, "token": point.token})
    return point


def rename_point(session: Session, point: ServicePoint, name: str) -> bool:
    """Rename a service point (its token, hence its posters, stays); tell whether it changed."""
    if name == point.name:
        return False
    audit.record(session, "point_renamed", f"point:{point.id}", unit_id=point.unit_id,
                 detail={"name": [point.name, name]})
    point.name = name
    session.flush()
    return True


def set_point_active(session: Session, point: ServicePoint, active: bool) -> bool:
    """Open or close a service point's survey; tell whether that changed anything."""
    if active == point.active:
        return False
    audit.record(session, "point_reactivated" if active else "point_deactivated",
                 f"point:{point.id}", unit_id=point.unit_id,
                 detail={"name": point.name, "active": [point.active, active]})
    point.active = active
    session.flush()
    return True
