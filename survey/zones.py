"""A unit's Zona Integritas status (PermenPANRB 90/2021): whether it builds a ZI towards WBK or
WBBM, since when, and who set it. The kind picks the IPKP and IPAK targets
(analysis.instruments.ZI_TARGETS) its figures are read against; every change is audited."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import audit
from survey.entry_dates import EARLIEST, DateBounds
from survey.models import ServiceUnit, UnitZone, User
from survey.regions import timezone_for

KIND_LABELS = {"wbk": "WBK (Wilayah Bebas dari Korupsi)",
               "wbbm": "WBBM (Wilayah Birokrasi Bersih dan Melayani)"}


def zone_of(session: Session, unit_id: int) -> UnitZone | None:
    """Return a unit's ZI status, or None when it builds no ZI."""
    return session.get(UnitZone, unit_id)


def kind_of(session: Session, unit_id: int) -> str | None:
    """Return 'wbk', 'wbbm' or None: the targets a unit's ZI report is read against."""
    return session.scalar(select(UnitZone.kind).where(UnitZone.unit_id == unit_id))


def since_bounds(unit: ServiceUnit, now: datetime) -> DateBounds:
    """Return the days a ZI may have started on: from 2000 to the unit's today.

    Not bounded by the unit's creation in SUARA: a ZI often began before the unit came here.
    """
    return DateBounds(EARLIEST, now.astimezone(timezone_for(unit.region_code)).date())


def set_zone(session: Session, unit: ServiceUnit, kind: str | None, since: date | None,
             user: User | None) -> bool:
    """Give a unit its ZI status (kind None: none); tell whether anything changed. Audited."""
    found = zone_of(session, unit.id)
    before = None if found is None else {"kind": found.kind, "since": found.since.isoformat()}
    after = None if kind is None else {"kind": kind, "since": since.isoformat()}
    if before == after:
        return False
    if kind is None:
        session.delete(found)
    else:
        zone = found or UnitZone(unit_id=unit.id)
        zone.kind, zone.since, zone.set_by = kind, since, user.id if user else None
        session.add(zone)
    audit.record(session, "unit_zone_changed", f"unit:{unit.slug}", unit_id=unit.id,
                 detail={"before": before, "after": after})
    session.flush()
    return True
