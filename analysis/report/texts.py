"""Words and number formats of the reports in Bahasa Indonesia (default) or English."""

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Optional

from analysis.chart_style import format_number, format_percent, grade_label
from analysis.report import strings_en, strings_id
from analysis.report.data import ReportPeriod

LOCALES = ("id", "en")
STRINGS = MappingProxyType({"id": strings_id.STRINGS, "en": strings_en.STRINGS})
MONTHS = MappingProxyType({
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
})
CHANNELS = MappingProxyType({
    "id": {"qr": "Kode QR", "link": "Tautan", "kiosk": "Kios (tablet)", "paper": "Kertas",
           "interview": "Wawancara", "sms": "SMS"},
    "en": {"qr": "QR code", "link": "Link", "kiosk": "Kiosk (tablet)", "paper": "Paper",
           "interview": "Interview", "sms": "SMS"},
})
_LABEL = re.compile(r"^(\d{4})(?:-(?:S([12])|Q([1-4])|(0[1-9]|1[0-2])))?$")


def check_locale(locale: str) -> str:
    """Return a supported locale or refuse it."""
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {LOCALES}")
    return locale


def text(locale: str, key: str, **values):
    """Return the text of a key in a locale, filled in with the values; tuples stay tuples."""
    found = STRINGS[check_locale(locale)][key]
    if isinstance(found, tuple):
        return tuple(item.format(**values) for item in found)
    return found.format(**values) if values else found


def number(value, locale: str, places: int = 2) -> str:
    """Format a number rounded half-up: 88,99 in Indonesian, 88.99 in English."""
    return format_number(value, locale, places)


def integer(value, locale: str) -> str:
    """Format a count with thousands separators: 7.582 in Indonesian, 7,582 in English."""
    return format_number(value, locale, 0)


def percent(part, whole, locale: str, places: int = 1) -> str:
    """Format part/whole as a percentage such as 41,4%."""
    return format_percent(part, whole, locale, places)


def margin(value: Optional[float], locale: str) -> str:
    """Format a margin of error (a proportion) as percentage points."""
    return "–" if value is None else format_number(Decimal(repr(value)) * 100, locale, 1) + " %"


def long_date(day, locale: str) -> str:
    """Format a date as 1 Juli 2025 (or 1 July 2025)."""
    return f"{day.day} {MONTHS[locale][day.month - 1]} {day.year}"


def moment(at: datetime, locale: str) -> str:
    """Format a local time as 1 Juli 2025 pukul 09.15 (or 1 July 2025 at 09:15)."""
    if locale == "en":
        return f"{long_date(at, locale)} at {at:%H:%M}"
    return f"{long_date(at, locale)} pukul {at:%H.%M}"


def period_title(period: ReportPeriod, locale: str) -> str:
    """Name a period in the report's language: Semester I 2025 or First half of 2025."""
    match = _LABEL.match(period.label)
    if locale == "id" or not match:
        return period.name
    year, semester, quarter, month = match.groups()
    if semester:
        return f"{'First' if semester == '1' else 'Second'} half of {year}"
    if quarter:
        return f"Quarter {quarter} of {year}"
    if month:
        return f"{MONTHS['en'][int(month) - 1]} {year}"
    return f"Year {year}"


def label_title(label: str, name: str, locale: str) -> str:
    """Name a period known only by label and Indonesian name (trend rows)."""
    return period_title(ReportPeriod(label, name, date.min, date.min), locale)


def period_kind(label: str) -> str:
    """Return what kind of period a label is: semester, quarter, month, year or custom."""
    match = _LABEL.match(label)
    if not match:
        return "custom"
    return ("semester" if match[2] else "quarter" if match[3] else "month" if match[4]
            else "year")


def weight_text(convention: str, weight: Fraction, locale: str) -> str:
    """Describe the weight convention a report used (it can move a grade boundary)."""
    return text(locale, f"weight.{convention}")


def grade_letter(letter: Optional[str], locale: str) -> str:
    """Return a grade letter, or the word for a provisional figure that has none."""
    return letter or text(locale, "provisional")


def grade_name(letter: Optional[str], locale: str) -> str:
    """Return the performance label of a grade letter (Sangat baik, Baik, ...)."""
    return "–" if letter is None else grade_label(letter, locale)


def interval(ci, locale: str) -> str:
    """Format a confidence interval as 86,10–91,88, or a dash without one."""
    if ci is None:
        return "–"
    return f"{number(ci.low, locale)}–{number(ci.high, locale)}"


def join(items: list[str], locale: str) -> str:
    """Join items as a sentence list: a, b dan c."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {text(locale, 'and')} {items[-1]}"


def level_name(level: str, locale: str) -> str:
    """Name a level of the hierarchy: provinsi, kabupaten/kota, unit layanan, instansi."""
    return text(locale, f"level.{level}")
