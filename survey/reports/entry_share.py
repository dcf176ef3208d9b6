"""The staff-entered share of a scope's units and groups (DESIGN.md §7a): how much of an index
the units' own staff typed in from paper or interview sheets, shown to the level above."""

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy.orm import Session

from survey import periods, queries
from survey.periods import Period
from survey.scopes import Scope

# A unit is listed when its staff-entered share rose by at least this much from the previous
# period, with at least this many staff-entered answers in this one.
JUMP_POINTS = Fraction(20, 100)
JUMP_ANSWERS = 10
JUMP_RULE = (f"naik ≥ {JUMP_POINTS * 100} poin persentase dari periode sebelumnya "
             f"dan ≥ {JUMP_ANSWERS} jawaban entri petugas pada periode ini")


@dataclass(frozen=True)
class StaffShare:
    staff: int  # counted staff-entered answers
    share: float  # of all counted answers


@dataclass(frozen=True)
class ShareJump:
    slug: str
    name: str
    before: float | None  # None: no answers in the previous period
    after: float
    staff: int
    respondents: int


def group_shares(session: Session, scope: Scope, period: Period, group_by: str,
                 totals: dict[str, int]) -> dict[str, StaffShare]:
    """Return the staff-entered share of each group with answers, by key (totals: n by key)."""
    staff = queries.staff_counts(session, scope, period, group_by)
    return {key: StaffShare(staff.get(key, 0), staff.get(key, 0) / n)
            for key, n in totals.items() if n}


def _unit_shares(session: Session, scope: Scope, period: Period) -> dict[str, tuple]:
    totals = queries.index_totals(session, scope, period, "unit")
    staff = queries.staff_counts(session, scope, period, "unit")
    return {key: (name, staff.get(key, 0), n)
            for key, name, n in zip(totals.keys, totals.names, totals.n) if n}


def jumps(session: Session, scope: Scope, period: Period) -> tuple[ShareJump, ...]:
    """Return the units whose staff-entered share jumped by JUMP_RULE, largest jump first."""
    before_period = periods.shifted(period, -1)
    now = _unit_shares(session, scope, period)
    before = _unit_shares(session, scope, before_period) if before_period else {}
    found = []
    for slug, (name, staff, n) in now.items():
        _, staff_before, n_before = before.get(slug, (name, 0, 0))
        share_before = Fraction(staff_before, n_before) if n_before else Fraction(0)
        if staff >= JUMP_ANSWERS and Fraction(staff, n) - share_before >= JUMP_POINTS:
            found.append(ShareJump(slug, name, float(share_before) if n_before else None,
                                   staff / n, staff, n))
    return tuple(sorted(found, key=lambda j: (-(j.after - (j.before or 0)), j.slug)))
