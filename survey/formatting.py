"""Numbers and dates as Indonesian readers write them (comma decimal, dot thousands)."""

from datetime import date, datetime, timezone
from decimal import Decimal

from flask import Flask

from survey.regions import WIB, timezone_for


def number(value, places: int = 2) -> str:
    """Return 1234.5 as '1.234,50'; None as '–'."""
    if value is None:
        return "–"
    text = f"{Decimal(str(value)):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def integer(value) -> str:
    """Return 7582 as '7.582'."""
    return "–" if value is None else f"{int(value):,}".replace(",", ".")


def percent(value, places: int = 1) -> str:
    """Return 0.0747 as '7,5 %'."""
    return "–" if value is None else f"{number(value * 100, places)} %"


def _zone(where) -> timezone:
    """Return the zone of a region code, of anything with a region_code, or WIB for None."""
    code = where if isinstance(where, str) else getattr(where, "region_code", None)
    return timezone_for(code) if code else WIB


def _local(value: datetime, where) -> datetime:
    # Stored times are UTC; a naive one (SQLite without a type) is UTC too.
    aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return aware.astimezone(_zone(where))


def local_time(value: datetime | None, where=None, seconds: bool = False) -> str:
    """Return a UTC time as '24-05-2026 09.58 WIB' in the zone of `where` (a unit or a region
    code; WIB when None); None as '–'."""
    if value is None:
        return "–"
    local = _local(value, where)
    clock = "%H.%M.%S" if seconds else "%H.%M"
    return f"{local.strftime('%d-%m-%Y ' + clock)} {local.tzname()}"


def clock_time(value: datetime, where=None) -> str:
    """Return only the hour and minute of a UTC time, as '09.58 WIB', in the zone of `where`."""
    local = _local(value, where)
    return f"{local.strftime('%H.%M')} {local.tzname()}"


def local_date(value: datetime | date | None, where=None) -> str:
    """Return the day of a UTC time in the zone of `where` as '24-05-2026'; a date as it is."""
    if value is None:
        return "–"
    day = _local(value, where) if isinstance(value, datetime) else value
    return day.strftime("%d-%m-%Y")


def init_app(app: Flask) -> None:
    """Register the formatters as Jinja filters."""
    app.add_template_filter(number, "number")
    app.add_template_filter(integer, "integer")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(clock_time, "clock_time")
    app.add_template_filter(local_date, "local_date")
