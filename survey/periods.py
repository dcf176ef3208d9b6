"""Survey periods by label: 2026, 2026-S1, 2026-Q3, 2026-03, or a unit's named custom range."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from survey.entry_dates import EARLIEST
from survey.models import Period as CustomPeriod

_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")
_LABEL = re.compile(r"^(?P<year>[0-9]{4})(?:-(?:S(?P<semester>[12])|Q(?P<quarter>[1-4])"
                    r"|(?P<month>0[1-9]|1[0-2])))?$", re.ASCII)
_RANGE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})\.\.([0-9]{4}-[0-9]{2}-[0-9]{2})$", re.ASCII)
LABEL_MAX = 40  # a custom period's label (survey/admin/forms.py)
CUSTOM_DAYS_MAX = 3 * 366  # the longest custom range: three years


@dataclass(frozen=True, order=True)
class Period:
    starts_on: date
    ends_on: date  # inclusive
    label: str
    name: str

    def contains(self, day: date) -> bool:
        """Tell whether a local submission date falls in the period."""
        return self.starts_on <= day <= self.ends_on


class UnknownPeriod(ValueError):
    """A period label that is neither standard nor a defined custom range."""


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse(label: str) -> Period:
    """Return the calendar range of a standard label or of a date range
    (2026-01-05..2026-03-31); raise UnknownPeriod otherwise."""
    if _RANGE.match(label.strip()):
        return _date_range(label.strip())
    match = _LABEL.match(label.strip().upper())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise UnknownPeriod(
            f"periode '{label}' tidak dikenal: gunakan 2026, 2026-S1, 2026-Q3 atau 2026-03")
    year = int(match["year"])
    if match["semester"]:
        first = 1 if match["semester"] == "1" else 7
        return Period(date(year, first, 1), _month_end(year, first + 5), f"{year}-S{match['semester']}",
                      f"Semester {'I' if first == 1 else 'II'} {year}")
    if match["quarter"]:
        first = 3 * int(match["quarter"]) - 2
        return Period(date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{match['quarter']}",
                      f"Triwulan {match['quarter']} {year}")
    if match["month"]:
        month = int(match["month"])
        return Period(date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}",
                      f"{_MONTHS_ID[month - 1]} {year}")
    return Period(date(year, 1, 1), date(year, 12, 31), str(year), f"Tahun {year}")


def date_range(starts_on: date, ends_on: date) -> Period:
    """Return the period of two chosen days (both included); raise UnknownPeriod, with the
    reason in Indonesian, for a range a custom period could not be either."""
    problem = range_problem(starts_on, ends_on)
    if problem:
        raise UnknownPeriod(problem)
    return Period(starts_on, ends_on, f"{starts_on.isoformat()}..{ends_on.isoformat()}",
                  f"{starts_on:%d-%m-%Y} s.d. {ends_on:%d-%m-%Y}")


def _date_range(label: str) -> Period:
    first, last = _RANGE.match(label).groups()
    try:
        starts_on, ends_on = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise UnknownPeriod(f"periode '{label}': tanggal itu tidak ada di kalender") from None
    return date_range(starts_on, ends_on)


def named(session: Session, unit_id: int | None = None) -> list[Period]:
    """Return the named custom periods an address may use for a unit (its own and everyone's;
    everyone's alone without a unit), newest first."""
    rows = session.scalars(select(CustomPeriod).where(
        or_(CustomPeriod.unit_id.is_(None), CustomPeriod.unit_id == unit_id))
        .order_by(CustomPeriod.ends_on.desc(), CustomPeriod.label))
    return [Period(r.starts_on, r.ends_on, r.label, r.name) for r in rows]


def latest_day(today: date | None = None) -> date:
    """Return the last day a period may reach: the end of next year."""
    return date((today or date.today()).year + 1, 12, 31)


def range_problem(starts_on: date, ends_on: date, today: date | None = None) -> str | None:
    """Return why a custom range is refused, in Indonesian, or None when it may be saved: it
    lies within 1 January 2000 .. the end of next year, starts before it ends, and is short."""
    latest = latest_day(today)
    if not EARLIEST <= starts_on <= latest or not EARLIEST <= ends_on <= latest:
        return (f"Tanggal periode harus di antara {EARLIEST:%d-%m-%Y} dan {latest:%d-%m-%Y}.")
    if ends_on < starts_on:
        return "Tanggal akhir tidak boleh sebelum tanggal mulai."
    if (ends_on - starts_on).days + 1 > CUSTOM_DAYS_MAX:
        return "Periode paling lama tiga tahun."
    return None


def resolve(session: Session, label: str, unit_id: int | None = None,
            today: date | None = None) -> Period:
    """Return a standard period, or a custom range defined for the unit or for everyone, that
    an address or a command names; raise UnknownPeriod for anything else or anything past the
    end of next year. A stored range is cut to the days a period may cover (DESIGN.md §7a)."""
    if not isinstance(label, str) or len(label) > LABEL_MAX:
        raise UnknownPeriod("periode tidak dikenal: label paling banyak 40 karakter")
    try:
        found = parse(label)
    except UnknownPeriod:
        found = _custom(session, label, unit_id)
    starts_on, ends_on = max(found.starts_on, EARLIEST), min(found.ends_on, latest_day(today))
    if starts_on > ends_on:
        raise UnknownPeriod(f"periode '{found.label}' berada di luar {EARLIEST.year} sampai "
                            f"{latest_day(today).year}")
    return Period(starts_on, ends_on, found.label, found.name)


def _custom(session: Session, label: str, unit_id: int | None) -> Period:
    """Return a custom range defined for the unit or for everyone, or raise UnknownPeriod."""
    custom = session.scalars(
        select(CustomPeriod).where(
            CustomPeriod.label == label,
            or_(CustomPeriod.unit_id.is_(None), CustomPeriod.unit_id == unit_id))
        .order_by(CustomPeriod.unit_id.is_(None))).first()
    if custom is None:
        raise UnknownPeriod(f"periode '{label}' tidak dikenal: gunakan 2026, 2026-S1, 2026-Q3, "
                            "2026-03 atau label periode khusus unit")
    return Period(custom.starts_on, custom.ends_on, custom.label, custom.name)


def semesters_between(first: date, last: date) -> list[Period]:
    """Return the semesters that overlap a date range, oldest first."""
    periods = []
    year, half = first.year, 1 if first.month <= 6 else 2
    while (year, half) <= (last.year, 1 if last.month <= 6 else 2):
        periods.append(parse(f"{year}-S{half}"))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return periods


def current_semester(today: date) -> Period:
    """Return the semester containing a date."""
    return parse(f"{today.year}-S{1 if today.month <= 6 else 2}")


def shifted(period: Period, steps: int) -> Period | None:
    """Return the standard period of the same kind `steps` away (None for a custom range)."""
    match = _LABEL.match(period.label)
    if not match:
        return None
    year = int(match["year"])
    if match["semester"]:
        index = year * 2 + int(match["semester"]) - 1 + steps
        label = f"{index // 2}-S{index % 2 + 1}"
    elif match["quarter"]:
        index = year * 4 + int(match["quarter"]) - 1 + steps
        label = f"{index // 4}-Q{index % 4 + 1}"
    elif match["month"]:
        index = year * 12 + int(match["month"]) - 1 + steps
        label = f"{index // 12}-{index % 12 + 1:02d}"
    else:
        label = str(year + steps)
    try:
        return parse(label)
    except UnknownPeriod:  # beyond the years a label may name
        return None


def month_span(start: date, end: date) -> tuple[date | None, date | None, list]:
    """Split a date range into whole months (first and last month) and the edge days around them."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    following = end + timedelta(days=1)
    last_end = end if following.day == 1 else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return None, None, [(start, end)]
    edges = [(start, first - timedelta(days=1))] if start < first else []
    if last_end < end:
        edges.append((last_end + timedelta(days=1), end))
    return first, last_end.replace(day=1), edges


def rollup_spans(start: date, end: date) -> tuple[list[tuple[int, date, date]], list]:
    """Split a date range into rollup rows and edge days: (months, first start, last start) of
    the whole semesters in it (months = 6) and of the whole months around them (months = 1),
    and the edge days around those, read from the raw responses."""
    first, last, edges = month_span(start, end)
    if first is None:
        return [], edges
    semester = first if first.month in (1, 7) else _add_months(_semester_of(first), 6)
    final = _add_months(_semester_of(_add_months(last, 1)), -6)  # the last one `last` ends
    if semester > final:
        return [(1, first, last)], edges
    spans = [(6, semester, final)]
    if first < semester:
        spans.insert(0, (1, first, _add_months(semester, -1)))
    if _add_months(final, 6) <= last:
        spans.append((1, _add_months(final, 6), last))
    return spans, edges


def _semester_of(day: date) -> date:
    return day.replace(month=1 if day.month < 7 else 7, day=1)


def _add_months(day: date, months: int) -> date:
    years, month = divmod(day.month - 1 + months, 12)
    return day.replace(year=day.year + years, month=month + 1)
