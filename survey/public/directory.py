"""The home page's directory of service units: searched by name, agency and region, filtered
by province, paged, each unit with its latest published index.

A national deployment has tens of thousands of units: the page lists fifty at a time, and the
answers and indices are read for those fifty only, in one statement over the rollups.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from analysis.group_index import konversi_grades
from survey import periods, queries, samples
from survey.admin.listings import Page, paginate
from survey.indices import latest_local_day
from survey.models import Agency, Region, ServiceUnit
from survey.scopes import Scope

PER_PAGE = 50
SEARCH_MAX = 100
SEARCH_WORDS = 6  # more words than this narrow nothing a person would look for


@dataclass(frozen=True)
class UnitIndex:
    """A unit's index in its default period: konversi in hundredths, grade None if provisional."""

    period: str
    hundredths: int
    grade: str | None

    @property
    def konversi(self) -> float:
        return self.hundredths / 100


@dataclass(frozen=True)
class UnitEntry:
    slug: str
    name: str
    agency: str
    region: str
    responses: int
    index: UnitIndex | None = None


def provinces(session: Session) -> list[tuple[str, str]]:
    """Return (code, name) of the provinces that have an active unit, by code."""
    prefix = func.substr(ServiceUnit.region_code, 1, 2)
    codes = select(prefix).where(ServiceUnit.status == "active").distinct()
    return [(code, name) for code, name in session.execute(
        select(Region.code, Region.name).where(Region.code.in_(codes)).order_by(Region.code))]


def _word_matches(word: str):
    """Return the test that a unit's name, its agency's name or its region's (regency's or
    province's) name contains `word`, any case. Agencies and regions are few: their matching
    ids are found by subqueries, and units are then picked by their indexed agency_id and
    region_code; only the unit's own name is read row by row."""
    agencies = select(Agency.id).where(Agency.name.icontains(word, autoescape=True))
    regions = select(Region.code).where(Region.name.icontains(word, autoescape=True))
    return or_(ServiceUnit.name.icontains(word, autoescape=True),
               ServiceUnit.agency_id.in_(agencies),
               ServiceUnit.region_code.in_(regions),
               func.substr(ServiceUnit.region_code, 1, 2).in_(regions))


def search_filter(search: str):
    """Return the WHERE clause of a search: every word (at most SEARCH_WORDS) in the unit's,
    its agency's or its region's name."""
    return and_(*(_word_matches(word) for word in search.split()[:SEARCH_WORDS]))


def latest_indices(session: Session, unit_ids: list[int],
                   today: date) -> tuple[dict[int, int], dict[int, UnitIndex]]:
    """Return the counted answers of each unit and the index of its default period (the one
    survey/samples.py picks), for units that have one: one statement for them all."""
    semesters = queries.semester_totals(session, unit_ids)
    chosen = {}
    for unit_id, rows in semesters.items():
        by_start = {row.starts_on: row for row in rows}
        day = samples.default_semester({start: row.n for start, row in by_start.items()}, today)
        if day is not None:
            chosen[unit_id] = by_start[day]
    minimum = samples.min_respondents()
    figures = konversi_grades([row.n for row in chosen.values()],
                              [row.t for row in chosen.values()])
    indices = {unit_id: UnitIndex(periods.current_semester(row.starts_on).name, hundredths,
                                  None if row.n < minimum else grade)
               for (unit_id, row), (hundredths, grade) in zip(chosen.items(), figures)}
    counts = {unit_id: sum(row.n for row in rows) for unit_id, rows in semesters.items()}
    return counts, indices


def units(session: Session, province: str | None, search: str, number: int) -> Page:
    """Return a page of the active units, by region then name: of one province (a code) if
    given, matching every word of `search` (any case) if given."""
    query = (select(ServiceUnit.id, ServiceUnit.slug, ServiceUnit.name, Agency.name, Region.name)
             .join(Agency, Agency.id == ServiceUnit.agency_id)
             .join(Region, Region.code == ServiceUnit.region_code)
             .where(ServiceUnit.status == "active")
             .order_by(ServiceUnit.region_code, ServiceUnit.name, ServiceUnit.id))
    if province:
        query = query.where(queries.scope_filter(Scope("region", province)))
    if search:
        query = query.where(search_filter(search))
    page = paginate(session, query, number, per_page=PER_PAGE)
    counts, indices = latest_indices(session, [row[0] for row in page.rows], latest_local_day())
    return Page([UnitEntry(*row[1:], counts.get(row[0], 0), indices.get(row[0]))
                 for row in page.rows], page.number, page.pages, page.total)
