"""Numbers and dates as Indonesian readers write them (comma decimal, dot thousands)."""

from decimal import Decimal

from flask import Flask


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


def init_app(app: Flask) -> None:
    """Register the formatters as Jinja filters."""
    app.add_template_filter(number, "number")
    app.add_template_filter(integer, "integer")
    app.add_template_filter(percent, "percent")
