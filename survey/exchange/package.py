"""Export: the payload of a package, the month rollups (all answers, staff-entered, invited,
and the SPKP/SPAK rows of rollup_instrument) of each local unit of a scope over whole months,
with what identifies the unit elsewhere and its populations (services delivered per period,
for sample adequacy)."""

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.exchange.signing import ExchangeRefused
from survey.instrument_store import STATISTICS as INSTRUMENT_STATISTICS, TABLE as INSTRUMENTS
from survey.models import Agency, ExchangeUnit, ServiceUnit, UnitPopulation
from survey.periods import UnknownPeriod, parse
from survey.queries import ROLLUP, ROLLUP_INVITED, ROLLUP_STAFF, ROLLUP_STATISTICS, scope_filter
from survey.scopes import Scope

FORMAT_VERSION = 1
# The rollup tables by the name a package gives them.
KINDS = {"all": ROLLUP, "staff": ROLLUP_STAFF, "invited": ROLLUP_INVITED}
_MONTH = re.compile(r"^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", re.ASCII)


def read_month(text: str) -> date:
    """Return the first day of a YYYY-MM month; raise ExchangeRefused for anything else."""
    if not isinstance(text, str) or not _MONTH.match(text):
        raise ExchangeRefused(f"bulan '{str(text)[:20]}' tidak dikenal: gunakan YYYY-MM, "
                              "misalnya 2026-01")
    return date(int(text[:4]), int(text[5:]), 1)


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def sequence_of(moment: datetime) -> int:
    """Return a package's sequence: its creation time in microseconds since 1970 (UTC)."""
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def local_units(scope: Scope):
    """Return the SELECT of the units of a scope that this server owns (not received)."""
    return (select(ServiceUnit).where(scope_filter(scope),
                                      ServiceUnit.id.not_in(select(ExchangeUnit.unit_id)))
            .order_by(ServiceUnit.id))


def _agency_chains(session: Session) -> dict[int, list[dict]]:
    """Return each agency's chain of (name, kind) from its root down to itself."""
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    return {agency_id: [{"name": agencies[int(part)].name, "kind": agencies[int(part)].kind}
                        for part in agency.path.strip("/").split("/")
                        if part and int(part) in agencies] or
            [{"name": agency.name, "kind": agency.kind}]
            for agency_id, agency in agencies.items()}


def _months(session: Session, unit_ids: list[int], first: date, last: date) -> dict:
    """Return {unit_id: {month: {kind: statistics}}} of the month rows of the units."""
    found: dict[int, dict[date, dict]] = {}
    for kind, table in KINDS.items():
        rows = session.execute(
            select(table.c.unit_id, table.c.starts_on, *(table.c[n] for n in ROLLUP_STATISTICS))
            .where(table.c.months == 1, table.c.starts_on.between(first, last),
                   table.c.unit_id.in_(unit_ids)))
        for unit_id, starts_on, *values in rows:
            found.setdefault(unit_id, {}).setdefault(starts_on, {})[kind] = dict(
                zip(ROLLUP_STATISTICS, map(int, values)))
    _instrument_months(session, unit_ids, first, last, found)
    return found


def _instrument_months(session: Session, unit_ids: list[int], first: date, last: date,
                       found: dict) -> None:
    """Add to the months found the SPKP/SPAK month rows, as a list under "instruments" (a
    counted instrument answer always has its counted response, so its month is there)."""
    rows = session.execute(
        select(INSTRUMENTS.c.unit_id, INSTRUMENTS.c.starts_on, INSTRUMENTS.c.instrument,
               INSTRUMENTS.c.scale_max, *(INSTRUMENTS.c[n] for n in INSTRUMENT_STATISTICS))
        .where(INSTRUMENTS.c.months == 1, INSTRUMENTS.c.starts_on.between(first, last),
               INSTRUMENTS.c.unit_id.in_(unit_ids), INSTRUMENTS.c.n > 0)
        .order_by(INSTRUMENTS.c.instrument, INSTRUMENTS.c.scale_max))
    for unit_id, starts_on, instrument, scale_max, *values in rows:
        month = found.get(unit_id, {}).get(starts_on)
        if month is not None:
            month.setdefault("instruments", []).append(
                {"instrument": instrument, "scale_max": scale_max,
                 **dict(zip(INSTRUMENT_STATISTICS, map(int, values)))})


def _populations(session: Session, unit_ids: list[int]) -> dict[int, list[dict]]:
    """Return {unit_id: [{period, population}]} of the units' populations of periods every
    server reads alike (standard labels and date ranges; a unit's named custom period is
    defined on its own server only)."""
    found: dict[int, list[dict]] = {}
    for row in session.scalars(select(UnitPopulation).where(UnitPopulation.unit_id.in_(unit_ids))
                               .order_by(UnitPopulation.unit_id, UnitPopulation.period_label)):
        try:
            parse(row.period_label)
        except UnknownPeriod:
            continue
        found.setdefault(row.unit_id, []).append(
            {"period": row.period_label, "population": row.population})
    return found


def build(session: Session, scope: Scope, first: date, last: date, server: dict,
          now: datetime) -> dict:
    """Return the payload of a package of a scope's local units over months first..last."""
    if last < first:
        raise ExchangeRefused("bulan akhir lebih awal dari bulan awal")
    units = list(session.scalars(local_units(scope)))
    chains = _agency_chains(session)
    months = _months(session, [unit.id for unit in units], first, last)
    populations = _populations(session, [unit.id for unit in units])
    return {
        "format_version": FORMAT_VERSION, "source": server,
        "created_at": now.isoformat(), "sequence": sequence_of(now), "scope": str(scope),
        "from": month_text(first), "to": month_text(last),
        "units": [{"id": unit.id, "slug": unit.slug, "name": unit.name,
                   "agency": chains[unit.agency_id], "region_code": unit.region_code,
                   "status": unit.status, "populations": populations.get(unit.id, []),
                   "months": [{"month": month_text(day), **stats}
                              for day, stats in sorted(months.get(unit.id, {}).items())]}
                  for unit in units],
    }
