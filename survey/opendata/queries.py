"""The SELECTs of the open data: which semesters have counted answers, and who each unit is.

The figures themselves come from survey.queries through survey.indices, like every
published figure; these are listings over the rollups' semester rows and the unit tables.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from survey.models import Agency, Region, ServiceUnit, UnitPopulation
from survey.queries import ROLLUP


@dataclass(frozen=True)
class SemesterState:
    """What a semester holds, from the rollups' semester rows."""

    starts_on: date
    units: int  # units with counted answers
    respondents: int
    updated_at: datetime  # the last change of any of its figures


def semester_states(session: Session, first: date, last: date) -> list[SemesterState]:
    """Return the semesters starting within first..last that have counted answers, oldest
    first: one statement over the rollups' semester rows."""
    rows = session.execute(
        select(ROLLUP.c.starts_on, func.sum(case((ROLLUP.c.n > 0, 1), else_=0)),
               func.sum(ROLLUP.c.n), func.max(ROLLUP.c.updated_at))
        .where(ROLLUP.c.months == 6, ROLLUP.c.starts_on.between(first, last))
        .group_by(ROLLUP.c.starts_on)
        .having(func.sum(ROLLUP.c.n) > 0)
        .order_by(ROLLUP.c.starts_on))
    return [SemesterState(starts_on, int(units), int(n), updated_at)
            for starts_on, units, n, updated_at in rows]


@dataclass(frozen=True)
class UnitIdentity:
    slug: str
    name: str
    agency: str
    province_code: str
    province: str
    regency_code: str | None  # None for a unit placed at a province
    regency: str | None
    population: int | None  # services delivered in the period, if recorded


def unit_identities(session: Session, semester: date,
                    label: str) -> dict[str, UnitIdentity]:
    """Return the agency, province, regency (Kemendagri codes and names) and recorded
    population of each unit with counted answers in a semester (its first day and label), by
    slug: one statement, whatever the number of units."""
    province = aliased(Region)
    rows = session.execute(
        select(ServiceUnit.slug, ServiceUnit.name, Agency.name, province.code, province.name,
               ServiceUnit.region_code, Region.name, UnitPopulation.population)
        .join(Agency, Agency.id == ServiceUnit.agency_id)
        .join(Region, Region.code == ServiceUnit.region_code)
        .join(province, province.code == func.substr(ServiceUnit.region_code, 1, 2))
        .outerjoin(UnitPopulation, (UnitPopulation.unit_id == ServiceUnit.id)
                   & (UnitPopulation.period_label == label))
        .join(ROLLUP, (ROLLUP.c.unit_id == ServiceUnit.id) & (ROLLUP.c.months == 6)
              & (ROLLUP.c.starts_on == semester))
        .where(ROLLUP.c.n > 0))
    found = {}
    for slug, name, agency, p_code, p_name, code, region, population in rows:
        at_province = code == p_code
        found[slug] = UnitIdentity(slug, name, agency, p_code, p_name,
                                   None if at_province else code,
                                   None if at_province else region, population)
    return found
