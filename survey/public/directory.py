"""The home page's directory of service units: searched by name, filtered by province, paged.

A national deployment has tens of thousands of units: the page lists fifty at a time, and the
numbers of answers are summed for those fifty only.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey import queries
from survey.admin.listings import Page, paginate
from survey.models import Agency, Region, ServiceUnit
from survey.scopes import Scope

PER_PAGE = 50
SEARCH_MAX = 100


@dataclass(frozen=True)
class UnitEntry:
    slug: str
    name: str
    agency: str
    region: str
    responses: int


def provinces(session: Session) -> list[tuple[str, str]]:
    """Return (code, name) of the provinces that have an active unit, by code."""
    prefix = func.substr(ServiceUnit.region_code, 1, 2)
    codes = select(prefix).where(ServiceUnit.status == "active").distinct()
    return [(code, name) for code, name in session.execute(
        select(Region.code, Region.name).where(Region.code.in_(codes)).order_by(Region.code))]


def units(session: Session, province: str | None, search: str, number: int) -> Page:
    """Return a page of the active units, by region then name: of one province (a code) if
    given, whose name contains `search` (any case) if given."""
    query = (select(ServiceUnit.id, ServiceUnit.slug, ServiceUnit.name, Agency.name, Region.name)
             .join(Agency, Agency.id == ServiceUnit.agency_id)
             .join(Region, Region.code == ServiceUnit.region_code)
             .where(ServiceUnit.status == "active")
             .order_by(ServiceUnit.region_code, ServiceUnit.name, ServiceUnit.id))
    if province:
        query = query.where(queries.scope_filter(Scope("region", province)))
    if search:
        query = query.where(ServiceUnit.name.icontains(search, autoescape=True))
    page = paginate(session, query, number, per_page=PER_PAGE)
    counts = queries.response_counts(session, [row[0] for row in page.rows])
    return Page([UnitEntry(*row[1:], counts.get(row[0], 0)) for row in page.rows],
                page.number, page.pages, page.total)
