"""Every aggregate and listing SELECT of the application: session in, plain data out."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.models import Agency, Region, Response, ServiceUnit


@dataclass(frozen=True)
class UnitEntry:
    slug: str
    name: str
    agency: str
    region: str
    responses: int


def unit_directory(session: Session) -> list[UnitEntry]:
    """List active units with their agency, region and number of responses, by region."""
    counts = (select(Response.unit_id, func.count().label("n"))
              .group_by(Response.unit_id).subquery())
    rows = session.execute(
        select(ServiceUnit.slug, ServiceUnit.name, Agency.name, Region.name,
               func.coalesce(counts.c.n, 0))
        .join(Agency, Agency.id == ServiceUnit.agency_id)
        .join(Region, Region.code == ServiceUnit.region_code)
        .outerjoin(counts, counts.c.unit_id == ServiceUnit.id)
        .where(ServiceUnit.status == "active")
        .order_by(ServiceUnit.region_code, ServiceUnit.name))
    return [UnitEntry(*row) for row in rows]
