"""The period chooser of the staff pages: the semesters and quarters with answers, the named
custom periods, and a range of two dates; and the period an address asks for, with a polite
message (never a 400 page) for one it cannot name."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from survey import indices, periods, queries
from survey.entry_dates import EARLIEST
from survey.periods import Period
from survey.scopes import Scope

RANGE = "rentang"  # the select's value for "the two dates below"


@dataclass(frozen=True)
class Chooser:
    period: Period  # the period the page shows
    groups: tuple[tuple[str, tuple[Period, ...]], ...]  # (heading, periods), newest first
    is_range: bool  # the shown period is a range of two dates
    problem: str | None = None  # why the asked period is not shown, in Indonesian

    @property
    def selected(self) -> str:
        """Return the select's value for the shown period."""
        return RANGE if self.is_range else self.period.label


def _with_answers(session: Session, scope: Scope) -> tuple[list[Period], list[Period]]:
    """Return the semesters and the quarters with answers in a scope, newest first."""
    months = queries.answer_months(session, scope, EARLIEST, indices.latest_local_day())
    semesters = {f"{m.year}-S{1 if m.month <= 6 else 2}" for m in months}
    quarters = {f"{m.year}-Q{(m.month - 1) // 3 + 1}" for m in months}
    return ([periods.parse(label) for label in sorted(semesters, reverse=True)],
            [periods.parse(label) for label in sorted(quarters, reverse=True)])


def _offered(session: Session, scope: Scope,
             unit_id: int | None) -> list[tuple[str, list[Period]]]:
    """Return the periods to offer under their headings, newest first: semesters and quarters
    with answers, then the named custom periods."""
    semesters, quarters = _with_answers(session, scope)
    return [("Semester", semesters), ("Triwulan", quarters),
            ("Periode khusus", list(periods.named(session, unit_id)))]


def _groups(session: Session, scope: Scope, unit_id: int | None,
            shown: Period) -> tuple[tuple[str, tuple[Period, ...]], ...]:
    groups = _offered(session, scope, unit_id)
    listed = {p.label for _, found in groups for p in found}
    if shown.label not in listed and not _is_range(shown):
        groups.insert(0, ("Periode yang ditampilkan", [shown]))
    return tuple((heading, tuple(found)) for heading, found in groups if found)


def listed(session: Session, scope: Scope, unit_id: int | None = None) -> list[Period]:
    """Return the periods to offer, in the chooser's order, without their headings."""
    return [period for _, found in _offered(session, scope, unit_id) for period in found]


def _is_range(period: Period) -> bool:
    return ".." in period.label


def _asked_label(args: Mapping[str, str]) -> str | None:
    """Return the period label an address asks for; raise UnknownPeriod for a bad range."""
    label = (args.get("period") or "").strip()
    if label != RANGE:
        return label or None
    try:
        starts_on = date.fromisoformat(args.get("dari") or "")
        ends_on = date.fromisoformat(args.get("sampai") or "")
    except ValueError:
        raise periods.UnknownPeriod(
            "Isi tanggal mulai dan tanggal akhir rentang, misalnya 01-01-2026 dan "
            "31-03-2026.") from None
    return periods.date_range(starts_on, ends_on).label


def choose(session: Session, scope: Scope, args: Mapping[str, str],
           unit_id: int | None = None) -> Chooser:
    """Return the period an address asks for and the choices around it; for a period it
    cannot name, the scope's default period and the reason."""
    problem = None
    try:
        period = indices.requested_period(session, scope, _asked_label(args), unit_id)
    except periods.UnknownPeriod as error:
        period = indices.default_period(session, scope)
        problem = f"{str(error)[:1].upper()}{str(error)[1:].rstrip('.')}. Ditampilkan {period.name}."
    return Chooser(period, _groups(session, scope, unit_id, period), _is_range(period), problem)
