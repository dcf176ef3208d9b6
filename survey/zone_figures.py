"""The Zona Integritas units of a scope for the level above: each unit that builds a ZI (or has
SPKP/SPAK answers without a status) with its IPKP and IPAK, the targets of its kind, whether it
meets them, and LKE points. The sums come from one statement for the whole scope
(survey/instrument_figures.scope_sums_query); the figures from the same function as a unit's.

A unit's answers on 1..4 and on 1..6 are never pooled: it has one row per scale it used. The
verdict is read on the exact four-point index, and left open (None) while either figure is
provisional (below the minimum sample, survey/samples.py) or missing, as a grade is (DESIGN.md
§7a).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import instruments
from analysis.ikm import round_half_up
from survey import queries
from survey.instrument_figures import InstrumentFigure, figure, scope_sums_query
from survey.instrument_store import STATISTICS
from survey.models import ServiceUnit, UnitZone
from survey.periods import Period
from survey.scopes import Scope

SORTS = ("name", "ipak")


@dataclass(frozen=True)
class IndexVerdict:
    """One index of a unit's row: the figure, its target and LKE points on 0..4."""

    figure: InstrumentFigure
    target: Decimal | None  # None: the unit has no ZI kind
    meets: bool | None  # None: no target, or a provisional figure
    lke_points: Decimal  # on_four / 4 x 17.5, two places


@dataclass(frozen=True)
class ZoneRow:
    slug: str
    name: str
    agency: str
    region_code: str
    region: str
    kind: str | None  # wbk, wbbm, or None: answers without a ZI status
    since: date | None
    scale_max: int | None  # None: a ZI unit without answers in the period
    ipkp: IndexVerdict | None
    ipak: IndexVerdict | None
    meets: bool | None  # both targets reached; None while undecided


def _on_four(code: str, scale_max: int, statistics: dict) -> Fraction:
    """Return the exact four-point index of an instrument's statistics."""
    k = len(instruments.INSTRUMENTS[code].items)
    sums = [statistics[f"s{number}"] for number in range(1, k + 1)]
    return instruments.on_four_point(instruments.index(sums, statistics["n"], scale_max),
                                     scale_max)


def _verdict(code: str, scale_max: int, statistics: dict, kind: str | None) -> IndexVerdict:
    found = figure(code, scale_max, [statistics[name] for name in STATISTICS], 0)
    on_four = _on_four(code, scale_max, statistics)
    target = instruments.target(kind, found.short) if kind else None
    meets = None if target is None or found.provisional else on_four >= target
    return IndexVerdict(found, None if target is None else round_half_up(target),
                        meets, round_half_up(instruments.lke_points(on_four)))


def _both(ipkp: IndexVerdict | None, ipak: IndexVerdict | None) -> bool | None:
    """Return False when either index misses its target, True when both reach it, else None."""
    verdicts = [None if v is None else v.meets for v in (ipkp, ipak)]
    if False in verdicts:
        return False
    return True if verdicts == [True, True] else None


def zone_rows(session: Session, scope: Scope, period: Period,
              sort: str = "name") -> tuple[ZoneRow, ...]:
    """Return the ZI rows of a scope's units in a period, by name or by IPAK (best first)."""
    if sort not in SORTS:
        raise ValueError(f"sort {sort!r} is not one of {SORTS}")
    stats: dict[int, dict[int, dict[str, dict]]] = {}
    for unit_id, code, scale, *values in session.execute(scope_sums_query(scope, period)):
        if values[0]:
            stats.setdefault(unit_id, {}).setdefault(scale, {})[code] = dict(
                zip(STATISTICS, map(int, values)))
    zoned = {unit_id: (kind, since) for unit_id, kind, since in session.execute(
        select(UnitZone.unit_id, UnitZone.kind, UnitZone.since)
        .join(ServiceUnit, ServiceUnit.id == UnitZone.unit_id)
        .where(queries.scope_filter(scope)))}
    ids = {unit_id: slug for unit_id, slug in session.execute(
        select(ServiceUnit.id, ServiceUnit.slug).where(
            ServiceUnit.id.in_(stats.keys() | zoned.keys())))}
    details = queries.unit_details(session, scope) if ids else {}
    rows = []
    for unit_id, slug in ids.items():
        d, (kind, since) = details[slug], zoned.get(unit_id, (None, None))
        for scale, by_code in sorted(stats.get(unit_id, {None: {}}).items(),
                                     key=lambda item: item[0] or 0):
            ipkp, ipak = (_verdict(code, scale, by_code[code], kind) if code in by_code else None
                          for code in ("spkp", "spak"))
            rows.append(ZoneRow(d.slug, d.name, d.agency, d.region_code, d.region, kind, since,
                                scale, ipkp, ipak, _both(ipkp, ipak) if kind else None))
    rows.sort(key=lambda row: (row.name, row.slug, row.scale_max or 0))
    if sort == "ipak":
        rows.sort(key=lambda row: (row.ipak is None,
                                   -(row.ipak.figure.on_four if row.ipak else 0)))
    return tuple(rows)
