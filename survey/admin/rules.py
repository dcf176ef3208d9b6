"""The scopes that administration routes are about, for `survey.access.within`.

A unit head's scope is one unit: they manage its service points, populations, periods and
questionnaire. The unit itself (its name, agency and status) and the creation of new units
belong to the level above it: the unit's agency, or the region for a regional analyst.
"""

from flask import g
from sqlalchemy.orm import Session

from survey import access, db, queries
from survey.models import ServiceUnit, User
from survey.scopes import Scope


def own_scope(**_) -> Scope:
    """Return the signed-in user's own scope: pages that list only what it covers."""
    return access.user_scope(g.user)


def unit_scope(slug: str, **_) -> Scope:
    """Return the scope of an address about one unit's points, periods or questionnaire."""
    return Scope("unit", slug)


def governing(user: User, unit: ServiceUnit) -> Scope:
    """Return the scope from which a unit itself is governed: its agency, or its region.

    A unit head's scope never covers it, so they cannot rename, move or close their own unit.
    """
    if user.role == "region":
        return Scope("region", unit.region_code)
    return Scope("agency", str(unit.agency_id))


def unit_governance(slug: str, **_) -> Scope:
    """Return the governing scope of the unit an address names (the unit's, if unknown)."""
    unit = queries.unit_by_slug(db.session(), slug)
    return unit_scope(slug) if unit is None else governing(g.user, unit)


def creation_scope(**_) -> Scope:
    """Return the scope in which the user creates units: their own, a level above a unit."""
    user = g.user
    if user.role == "unit":
        # The unit's agency: a unit head does not cover it, so they may not create units.
        return Scope("agency", str(user.unit.agency_id))
    return access.user_scope(user)


def may_govern(session: Session, user: User, unit: ServiceUnit) -> bool:
    """Tell whether a user may rename, move or close a unit."""
    return access.may_see(session, user, governing(user, unit))
