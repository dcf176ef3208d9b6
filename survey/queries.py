"""Every aggregate and listing SELECT of the application: session in, plain data out.

Aggregates return sufficient statistics (counts, sums per element, counts per answer value,
sums of respondent totals and their squares); `analysis/` turns them into indices. Every level
of the hierarchy is the same query with another GROUP BY.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import BigInteger, String, Text, case, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from survey import params
from survey.models import (ANSWER_COLUMNS, STAFF_CHANNELS, Agency, Region, Response, Rollup,
                           RollupInvited, RollupStaff, ServiceUnit, UnitPopulation)
from survey.periods import Period, month_span, rollup_spans
from survey.scopes import Scope

GROUPINGS = ("unit", "agency", "regency", "province", "period", "none")
ROLLUP = Rollup.__table__
ROLLUP_STAFF = RollupStaff.__table__  # staff-entered answers only (paper, interview)
ROLLUP_INVITED = RollupInvited.__table__  # invited answers only (a single-use code or link)
# The rollup columns in the order of `response_statistics` (see survey/rollups.py).
ROLLUP_STATISTICS = ("n", *(f"s{e}" for e in range(1, 10)),
                     *(f"c{e}_{v}" for e in range(1, 10) for v in range(1, 5)), "t", "t2")
# The three of them that the index and its interval need, when every respondent answers all nine.
INDEX_STATISTICS = ("n", "t", "t2")


@dataclass(frozen=True)
class Sums:
    """Sufficient statistics of a set of responses (all nine answers present in each)."""

    n: int
    element_sums: tuple[int, ...]
    value_counts: tuple[tuple[int, int, int, int], ...]  # per element, answers 1..4
    sum_totals: int  # Σ over respondents of u1 + … + u9
    sum_totals_sq: int  # Σ over respondents of (u1 + … + u9)²

    @classmethod
    def empty(cls) -> "Sums":
        return cls(0, (0,) * 9, ((0, 0, 0, 0),) * 9, 0, 0)

    def __add__(self, other: "Sums") -> "Sums":
        return Sums(
            self.n + other.n,
            tuple(a + b for a, b in zip(self.element_sums, other.element_sums)),
            tuple(tuple(a + b for a, b in zip(x, y))
                  for x, y in zip(self.value_counts, other.value_counts)),
            self.sum_totals + other.sum_totals, self.sum_totals_sq + other.sum_totals_sq)

    def __sub__(self, other: "Sums") -> "Sums":
        """Return the statistics of a set without a subset of it (every statistic is a sum)."""
        negated = Sums(-other.n, tuple(-a for a in other.element_sums),
                       tuple(tuple(-a for a in x) for x in other.value_counts),
                       -other.sum_totals, -other.sum_totals_sq)
        return self + negated


@dataclass(frozen=True)
class GroupSums:
    key: str
    name: str
    sums: Sums
    unit: str | None = None  # the unit's slug when grouped by unit within the group


def response_statistics(names: tuple[str, ...] = ROLLUP_STATISTICS) -> list:
    """Return the SELECT expressions of sufficient statistics over raw response rows, by name."""
    columns = [getattr(Response, name) for name in ANSWER_COLUMNS]
    total = sum(columns[1:], columns[0])
    stats = {"n": func.count(), "t": func.sum(total), "t2": func.sum(total * total)}
    for e, column in enumerate(columns, 1):
        stats[f"s{e}"] = func.sum(column)
        for value in (1, 2, 3, 4):
            stats[f"c{e}_{value}"] = func.sum(case((column == value, 1), else_=0))
    return [cast(stats[name], BigInteger).label(name) for name in names]


def rollup_statistics(names: tuple[str, ...] = ROLLUP_STATISTICS, source=ROLLUP) -> list:
    """Return the SELECT expressions of the same statistics summed over rollup rows."""
    return [cast(func.sum(source.c[name]), BigInteger).label(name) for name in names]


def _sums(values) -> Sums:
    n, rest = values[0], [int(value or 0) for value in values[1:]]
    counts = rest[9:45]
    return Sums(int(n or 0), tuple(rest[:9]),
                tuple(tuple(counts[i:i + 4]) for i in range(0, 36, 4)), rest[45], rest[46])


def _group_key(group_by: str):
    """Return (key, name) column expressions of a grouping."""
    if group_by == "unit":
        return ServiceUnit.slug, ServiceUnit.name
    if group_by == "agency":
        return cast(Agency.id, String), Agency.name
    if group_by == "regency":
        return ServiceUnit.region_code, Region.name
    if group_by == "province":
        province = aliased(Region)
        return province.code, province.name
    return literal("all"), literal("all")


def scope_filter(scope: Scope):
    """Return the WHERE clause that restricts service units to a scope."""
    if scope.kind == "unit":
        return ServiceUnit.slug == scope.value
    if scope.kind == "region":
        return or_(ServiceUnit.region_code == scope.value,
                   ServiceUnit.region_code.startswith(f"{scope.value}."))
    if scope.kind == "agency":
        root = select(Agency.path).where(Agency.id == int(scope.value)).scalar_subquery()
        subtree = select(Agency.id).where(Agency.path.startswith(root))
        return ServiceUnit.agency_id.in_(subtree)
    return literal(True)


def _subset(source) -> tuple:
    """Return the WHERE clauses that pick, from raw responses, the answers a rollup counts."""
    if source is ROLLUP_STAFF:
        return (Response.channel.in_(STAFF_CHANNELS),)
    if source is ROLLUP_INVITED:
        return (Response.invitation_id.is_not(None),)
    return ()


def _unit_statistics(scope: Scope, start: date, end: date, names: tuple[str, ...],
                     source=ROLLUP):
    """Return a subquery of each unit's statistics over a date range, one row a unit with
    responses: rollups for whole semesters and months, raw rows for the edge days. Summed per
    unit before any join, so that a national ranking joins 20 000 unit rows, not their months.
    With source=ROLLUP_STAFF (ROLLUP_INVITED), of staff-entered (invited) answers only."""
    subset = _subset(source)
    spans, edges = rollup_spans(start, end)
    in_scope = select(ServiceUnit.id).where(scope_filter(scope))
    parts = []
    for months, first, last in spans:
        if first == last:  # one row a unit (a semester, a month): nothing to sum
            rollups = (select(source.c.unit_id, *(source.c[name] for name in names))
                       .where(source.c.months == months, source.c.starts_on == first))
        else:
            rollups = (select(source.c.unit_id, *rollup_statistics(names, source))
                       .where(source.c.months == months, source.c.starts_on.between(first, last))
                       .group_by(source.c.unit_id))
        parts.append(rollups if scope.kind == "national"
                     else rollups.where(source.c.unit_id.in_(in_scope)))
    for edge_start, edge_end in edges:
        parts.append(select(Response.unit_id, *response_statistics(names))
                     .where(Response.unit_id.in_(in_scope), Response.excluded.is_(False),
                            Response.submitted_on.between(edge_start, edge_end), *subset)
                     .group_by(Response.unit_id))
    if len(parts) > 1:
        both = union_all(*parts).subquery()
        parts = [select(both.c.unit_id, *rollup_statistics(names, both)).group_by(both.c.unit_id)]
    units = parts[0].subquery()
    return select(units).where(units.c.n > 0).subquery()


def join_group(query, group_by: str):
    """Return a query over service units joined to what names its groups, with the (key, name)
    column expressions of the grouping (the unit's slug, an agency's id, a region's code)."""
    key, name = _group_key(group_by)
    if group_by == "agency":
        query = query.join(Agency, Agency.id == ServiceUnit.agency_id)
    elif group_by == "regency":
        query = query.join(Region, Region.code == ServiceUnit.region_code)
    elif group_by == "province":
        query = query.join(key.table, key == func.substr(ServiceUnit.region_code, 1, 2))
    return query, key, name


def _range_statistics(scope: Scope, start: date, end: date, group_by: str, by_unit: bool,
                      names: tuple[str, ...], source=ROLLUP):
    """Return the SELECT of (key, name, unit, units with responses, *statistics) of each group
    of a scope over a date range; `unit` is the unit's slug with `by_unit`, else NULL."""
    units = _unit_statistics(scope, start, end, names, source)
    unit_key = ServiceUnit.slug if by_unit else literal(None, Text)
    query = select().select_from(units).join(ServiceUnit, ServiceUnit.id == units.c.unit_id)
    if group_by == "unit":  # already one row a unit
        return query.add_columns(ServiceUnit.slug, ServiceUnit.name, unit_key, literal(1),
                                 *(units.c[name] for name in names))
    query, key, name = join_group(query, group_by)
    return (query.add_columns(key, name, unit_key, func.count(), *rollup_statistics(names, units))
            .group_by(key, name, unit_key))


def _aggregate_periods(session: Session, scope: Scope, periods: list[Period],
                       by_unit: bool) -> list[GroupSums]:
    """Return one group per period: one rollup query when every period is whole months."""
    spans = [month_span(p.starts_on, p.ends_on) for p in periods]
    if any(edges for _, _, edges in spans):
        return [GroupSums(period.label, period.label, _sums(row[4:]), row[2])
                for period in periods
                for row in sorted(session.execute(_range_statistics(
                    scope, period.starts_on, period.ends_on, "none", by_unit, ROLLUP_STATISTICS)),
                    key=lambda row: row[2] or "")]
    label = case(*((ROLLUP.c.starts_on.between(first, last), period.label)
                   for period, (first, last, _) in zip(periods, spans)))
    unit_key = ServiceUnit.slug if by_unit else literal(None)
    query = (select(label, unit_key, *rollup_statistics()).select_from(ROLLUP)
             .join(ServiceUnit, ServiceUnit.id == ROLLUP.c.unit_id)
             .where(scope_filter(scope), ROLLUP.c.months == 1, label.is_not(None))
             .group_by(label, unit_key))
    order = {period.label: index for index, period in enumerate(periods)}
    rows = [GroupSums(row[0], row[0], _sums(row[2:]), row[1]) for row in session.execute(query)]
    return sorted((row for row in rows if row.sums.n),
                  key=lambda row: (order[row.key], row.unit or ""))


def aggregate(session: Session, scope: Scope, periods: list[Period], group_by: str = "none",
              by_unit: bool = False) -> list[GroupSums]:
    """Return the sufficient statistics of a scope over periods, one row per group.

    Whole months come from the rollups, edge days of a custom range from the responses. With
    `by_unit`, each group is further split by unit (for the mean of unit indices). Responses a
    person excluded after review do not count; flagged ones still do.
    """
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by {group_by!r} is not one of {GROUPINGS}")
    if group_by == "period":
        return _aggregate_periods(session, scope, periods, by_unit)
    rows = session.execute(_range_statistics(
        scope, min(p.starts_on for p in periods), max(p.ends_on for p in periods), group_by,
        by_unit, ROLLUP_STATISTICS))
    return sorted((GroupSums(key, name, _sums(values), unit)
                   for key, name, unit, _, *values in rows),
                  key=lambda group: (group.key, group.unit or ""))


@dataclass(frozen=True)
class GroupTotals:
    """What the index and its interval need of each group (see analysis/group_index.py), as
    columns: a national ranking has 20 000 groups."""

    keys: list[str]
    names: list[str]
    unit_slugs: list[str | None]  # the unit within its group, when asked for by unit
    units: list[int]  # units with responses in the group
    n: list[int]
    t: list[int]  # Σ over respondents of u1 + … + u9
    t2: list[int]  # Σ over respondents of (u1 + … + u9)²


def index_totals(session: Session, scope: Scope, period: Period, group_by: str = "unit",
                 by_unit: bool = False, source=ROLLUP) -> GroupTotals:
    """Return n, t and t2 of each group of a scope in a period: `aggregate` cut to the three
    sums a ranking needs (one row a group, or a unit within its group with `by_unit`); with
    source=ROLLUP_INVITED, of invited answers only."""
    if group_by not in GROUPINGS or group_by == "period":
        raise ValueError(f"group_by {group_by!r} is not one of {GROUPINGS} but 'period'")
    query = _range_statistics(scope, period.starts_on, period.ends_on, group_by, by_unit,
                              INDEX_STATISTICS, source)
    session.flush()
    rows = session.connection().execute(query).all()  # Core rows: a third faster than the ORM's
    return GroupTotals(*(list(column) for column in zip(*rows)) if rows else [[] for _ in range(7)])


# --- Staff-entered answers (paper, interview) and citizen-sent ones ---------------------------

def staff_counts(session: Session, scope: Scope, period: Period,
                 group_by: str = "unit") -> dict[str, int]:
    """Return the counted staff-entered answers of each group of a scope in a period, by group
    key (a unit's slug by unit), from rollup_staff; groups without any are left out."""
    if group_by not in GROUPINGS or group_by == "period":
        raise ValueError(f"group_by {group_by!r} is not one of {GROUPINGS} but 'period'")
    query = _range_statistics(scope, period.starts_on, period.ends_on, group_by, False, ("n",),
                              ROLLUP_STAFF)
    return {key: int(n) for key, _, _, _, n in session.execute(query)}


@dataclass(frozen=True)
class ChannelSums:
    """A scope's statistics in a period over all counted answers, the staff-entered ones and
    the invited ones."""

    all: Sums
    staff: Sums
    invited: Sums = Sums.empty()

    @property
    def citizen(self) -> Sums:
        """Return the statistics of citizen-sent answers only: all minus staff-entered."""
        return self.all - self.staff


def channel_sums(session: Session, scope: Scope, period: Period) -> ChannelSums:
    """Return a scope's statistics in a period, all answers, staff-entered and invited ones
    (one statement over rollup, rollup_staff and rollup_invited)."""
    sources = {"all": ROLLUP, "staff": ROLLUP_STAFF, "invited": ROLLUP_INVITED}
    tagged = [_range_statistics(scope, period.starts_on, period.ends_on, "none", False,
                                ROLLUP_STATISTICS, source).add_columns(literal(tag))
              for tag, source in sources.items()]
    found = {row[-1]: _sums(row[4:-1]) for row in session.execute(union_all(*tagged))}
    return ChannelSums(*(found.get(tag, Sums.empty()) for tag in sources))


@dataclass(frozen=True)
class SemesterTotals:
    """What a unit's index in one semester needs, from its rollup row (see GroupTotals)."""

    starts_on: date
    n: int
    t: int
    t2: int


def semester_totals(session: Session, unit_ids: list[int]) -> dict[int, list[SemesterTotals]]:
    """Return the counted responses' n, t and t2 of each of these units in each semester with
    any, oldest first: one statement over the rollups' semester rows for a whole page of units."""
    found: dict[int, list[SemesterTotals]] = {unit_id: [] for unit_id in unit_ids}
    if not unit_ids:
        return found
    rows = session.execute(
        select(ROLLUP.c.unit_id, ROLLUP.c.starts_on, ROLLUP.c.n, ROLLUP.c.t, ROLLUP.c.t2)
        .where(ROLLUP.c.unit_id.in_(unit_ids), ROLLUP.c.months == 6, ROLLUP.c.n > 0)
        .order_by(ROLLUP.c.unit_id, ROLLUP.c.starts_on))
    for unit_id, starts_on, n, t, t2 in rows:
        found[unit_id].append(SemesterTotals(starts_on, int(n), int(t), int(t2)))
    return found


def response_dates(session: Session, scope: Scope, earliest: date,
                   latest: date) -> tuple[date, date] | None:
    """Return the first and last local submission dates in a scope within earliest..latest,
    or None without data there."""
    first, last = session.execute(
        select(func.min(Response.submitted_on), func.max(Response.submitted_on))
        .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
        .where(scope_filter(scope), Response.excluded.is_(False),
               Response.submitted_on.between(earliest, latest))).one()
    return None if first is None else (first, last)


def answer_months(session: Session, scope: Scope, earliest: date, latest: date) -> list[date]:
    """Return the first days of the local months with counted answers in a scope, from the
    month rollup, within earliest..latest."""
    return list(session.scalars(
        select(Rollup.starts_on).distinct().join(ServiceUnit, ServiceUnit.id == Rollup.unit_id)
        .where(scope_filter(scope), Rollup.months == 1, Rollup.n > 0,
               Rollup.starts_on.between(earliest, latest)).order_by(Rollup.starts_on)))


def unit_by_slug(session: Session, slug: str) -> ServiceUnit | None:
    """Return a service unit by its slug (None for a text that cannot be a slug)."""
    if not params.is_slug(slug):
        return None
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).first()


def population(session: Session, unit_id: int, period_label: str) -> int | None:
    """Return the services a unit delivered in a period (its survey population), if recorded."""
    return session.scalar(select(UnitPopulation.population).where(
        UnitPopulation.unit_id == unit_id, UnitPopulation.period_label == period_label))


def data_version(session: Session) -> str:
    """Return a token that changes whenever any counted response changes.

    Every insert, exclusion, restoration and rebuild stamps the rollup rows it touches, so the
    latest stamp identifies the state of the data behind every figure (an index lookup).
    """
    return str(session.scalar(select(func.max(ROLLUP.c.updated_at))))


def recent_suggestions(session: Session, unit_id: int, limit: int = 10) -> list[tuple]:
    """Return the latest (submitted_at, suggestion) pairs of a unit."""
    return list(session.execute(
        select(Response.submitted_at, Response.suggestion)
        .where(Response.unit_id == unit_id, Response.suggestion.is_not(None),
               Response.excluded.is_(False))
        .order_by(Response.submitted_at.desc()).limit(limit)))


def scope_name(session: Session, scope: Scope) -> str | None:
    """Return the name of what a scope covers, or None if it names nothing known."""
    if scope.kind == "national":
        return "Nasional"
    if scope.kind == "region":
        return session.scalar(select(Region.name).where(Region.code == scope.value))
    if scope.kind == "agency":
        return session.scalar(select(Agency.name).where(Agency.id == int(scope.value)))
    return session.scalar(select(ServiceUnit.name).where(ServiceUnit.slug == scope.value))


# --- Reports and exports (survey/reports/documents.py) --------------------------------------

PROFILE_FIELDS = ("gender", "age_band", "education", "occupation", "channel")
# Age bands of the report's respondent profile, by lower bound in years; None is not answered.
AGE_BANDS = ((0, "<20"), (20, "20-29"), (30, "30-39"), (40, "40-49"), (50, "50-59"), (60, "60+"))


@dataclass(frozen=True)
class CategoryCount:
    field: str  # one of PROFILE_FIELDS
    value: str | None  # the stored code (an age band label for age); None: not answered
    count: int


def _counted(scope: Scope, period: Period) -> tuple:
    """Return the WHERE clauses of the responses that count in a scope and period."""
    return (scope_filter(scope), Response.excluded.is_(False),
            Response.submitted_on.between(period.starts_on, period.ends_on))


def _age_band():
    """Return the SQL expression of a respondent's age band (NULL when age is missing)."""
    bands = reversed(AGE_BANDS)  # highest lower bound first: the first true WHEN wins
    return case(*((Response.age >= low, label) for low, label in bands), else_=None)


def profile_counts(session: Session, scope: Scope, period: Period) -> list[CategoryCount]:
    """Count respondents per gender, age band, education, occupation and channel (one statement)."""
    columns = {"gender": Response.gender, "age_band": _age_band(),
               "education": Response.education, "occupation": Response.occupation,
               "channel": Response.channel}
    parts = [select(literal(field).label("field"), column.label("value"),
                    func.count().label("n"))
             .select_from(Response).join(ServiceUnit, ServiceUnit.id == Response.unit_id)
             .where(*_counted(scope, period)).group_by(column)
             for field, column in columns.items()]
    rows = session.execute(union_all(*parts))
    return [CategoryCount(field, None if value is None else str(value), n)
            for field, value, n in rows]


def response_span(session: Session, scope: Scope,
                  period: Period) -> tuple[datetime, datetime] | None:
    """Return the first and last submission times (UTC) of a period's counted responses."""
    first, last = session.execute(
        select(func.min(Response.submitted_at), func.max(Response.submitted_at))
        .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
        .where(*_counted(scope, period))).one()
    return None if first is None else (first, last)


EXPORT_COLUMNS = ("unit", "unit_name", "region_code", "submitted_at", "channel",
                  "service_type", "gender", "age", "education", "occupation",
                  *ANSWER_COLUMNS, "flagged", "suggestion")


def response_rows(session: Session, scope: Scope, period: Period, suggestions: bool = False,
                  batch: int = 2000) -> Iterator:
    """Yield the counted responses of a scope and period for an export, unit by unit.

    Rows follow EXPORT_COLUMNS; nothing that identifies a person or a device is selected
    (no client key or uuid, no extra data), and the suggestion text only when asked for.
    """
    suggestion = Response.suggestion if suggestions else literal(None, Text)
    columns = (ServiceUnit.slug, ServiceUnit.name, ServiceUnit.region_code,
               Response.submitted_at, Response.channel, Response.service_type,
               Response.gender, Response.age, Response.education, Response.occupation,
               *(getattr(Response, column) for column in ANSWER_COLUMNS),
               Response.flagged, suggestion)
    query = (select(*(column.label(name) for column, name in zip(columns, EXPORT_COLUMNS)))
             .select_from(Response)
             .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
             .where(*_counted(scope, period))
             .order_by(ServiceUnit.region_code, ServiceUnit.slug, Response.submitted_at,
                       Response.id)
             .execution_options(yield_per=batch))
    yield from session.execute(query)


@dataclass(frozen=True)
class UnitDetails:
    slug: str
    name: str
    agency: str
    region_code: str
    region: str


def unit_details(session: Session, scope: Scope) -> dict[str, UnitDetails]:
    """Return the agency and region of every unit in a scope, by slug."""
    rows = session.execute(
        select(ServiceUnit.slug, ServiceUnit.name, Agency.name, ServiceUnit.region_code,
               Region.name)
        .join(Agency, Agency.id == ServiceUnit.agency_id)
        .join(Region, Region.code == ServiceUnit.region_code)
        .where(scope_filter(scope)))
    return {row[0]: UnitDetails(*row) for row in rows}

