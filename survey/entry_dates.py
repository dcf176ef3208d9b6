"""Bounds of a date a person or a file gives (DESIGN.md §7a): an answer cannot be dated before
the year 2000 or before its unit was set up in SUARA, nor after the unit's own today.

Every entry point (paper page, imports, custom periods, query parameters) checks a date here,
so that no stored date lies outside what the pages and the rollups can handle.
"""

from dataclasses import dataclass
from datetime import date, datetime

from survey.regions import timezone_for

EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class DateBounds:
    """The first and last day an answer of a unit may carry, both included."""

    earliest: date
    latest: date

    def __contains__(self, day: date) -> bool:
        return self.earliest <= day <= self.latest

    def problem(self, day: date) -> str | None:
        """Return why a date is refused, in Indonesian, or None when it is within the bounds."""
        if day > self.latest:
            return f"Tanggal {shown(day)} belum terjadi: paling lambat {shown(self.latest)}."
        if day < self.earliest:
            return (f"Tanggal {shown(day)} terlalu awal: paling awal {shown(self.earliest)}"
                    " (awal tahun 2000 atau saat unit terdaftar).")
        return None


def shown(day: date) -> str:
    """Return a date as people here write it, 07-12-2026; years before 1000 keep four digits."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def answer_bounds(unit, now: datetime) -> DateBounds:
    """Return the dates an answer of a unit may carry at a moment (in the unit's time zone)."""
    zone = timezone_for(unit.region_code)
    created = unit.created_at.astimezone(zone).date() if unit.created_at else EARLIEST
    return DateBounds(max(EARLIEST, created), now.astimezone(zone).date())
