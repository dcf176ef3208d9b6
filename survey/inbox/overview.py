"""The follow-up of a whole scope (a ministry, an agency, a region): which share of units
published a plan, which actions are overdue, what citizens complain about most, by region."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from survey.inbox import counts
from survey.periods import Period
from survey.scopes import Scope

TOP_TAGS = 3


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    units: int
    with_plan: int
    overdue: int
    tags: tuple[counts.TagCount, ...]  # the most frequent complaint tags

    @property
    def share(self) -> float | None:
        return self.with_plan / self.units if self.units else None


@dataclass(frozen=True)
class Overview:
    scope: Scope
    name: str
    period: Period
    by: str
    total: RegionRow
    regions: tuple[RegionRow, ...]
    overdue: tuple[counts.OverdueAction, ...]


def grouping(scope: Scope) -> str:
    """Return the regions a scope's overview lists: regencies of a province, else provinces."""
    return "regency" if scope.kind == "region" else "province"


def _rows(session: Session, scope: Scope, period: Period, today: date, by: str) -> list[RegionRow]:
    plans = counts.units_with_plan(session, scope, period, by)
    overdue = counts.overdue_counts(session, scope, today, by)
    tags: dict[str, list[counts.TagCount]] = {}
    for tag in counts.tag_counts(session, scope, period, by):
        tags.setdefault(tag.region, []).append(tag)
    names = counts.region_names(session, plans) if by != "none" else {}
    return [RegionRow(code, names.get(code, code), units, with_plan, overdue.get(code, 0),
                      tuple(tags.get(code, ())[:TOP_TAGS]))
            for code, (units, with_plan) in sorted(plans.items())]


def overview(session: Session, scope: Scope, name: str, period: Period, today: date) -> Overview:
    """Return a scope's follow-up figures for a period, overall and by region."""
    by = grouping(scope)
    total = _rows(session, scope, period, today, "none")
    empty = RegionRow("all", name, 0, 0, 0, ())
    return Overview(scope, name, period, by, total[0] if total else empty,
                    tuple(_rows(session, scope, period, today, by)),
                    tuple(counts.overdue_actions(session, scope, today, by)))
