"""The alerts of a scope as the API's JSON and as a CSV download: the same row either way.

A row carries the answer, its unit and day and its handling, never who handled it nor their
note (a person's name and typed text stay on the page). CSV cells that could start a formula
are neutralised as in every export (analysis/report/cells.py).
"""

import csv
import io
from collections.abc import Iterable, Iterator

from analysis.report.cells import csv_value
from survey.admin.listings import Page
from survey.integrity_alerts.listing import (PER_PAGE, AlertRow, Filters, UnitMonth,
                                            last_place)

FIELDS = ("id", "unit_slug", "unit_name", "aspect", "answer", "scale_max", "submitted_on",
          "status", "excluded", "handled_at")
HEADINGS = ("ID", "Slug unit", "Nama unit", "Aspek", "Jawaban", "Skala maksimum",
            "Tanggal jawaban", "Status", "Jawaban dikeluarkan", "Ditandai pada")
BOM = "\ufeff"  # Excel reads UTF-8 only after one, as the other CSV exports


def row(alert: AlertRow) -> dict:
    """Return one alert as the API gives it (dates as ISO text, times in UTC)."""
    handled_at = alert.handled_at
    return {"id": alert.id, "unit_slug": alert.slug, "unit_name": alert.unit,
            "aspect": alert.aspect, "answer": alert.answer, "scale_max": alert.scale_max,
            "submitted_on": alert.submitted_on.isoformat(), "status": alert.status,
            "excluded": bool(alert.excluded),
            "handled_at": None if handled_at is None else handled_at.isoformat()}


def month(m: UnitMonth) -> dict:
    """Return a unit's alerts of one month with the SPAK n they rest on."""
    return {"unit_slug": m.slug, "unit_name": m.unit, "month": f"{m.month:%Y-%m}",
            "month_name": m.month_name, "spak_n": m.spak_n, "respondents": m.respondents,
            "by_aspect": m.by_aspect, "open": m.open, "excluded": m.excluded,
            "share": None if m.share is None else float(m.share)}


def document(scope: str, filters: Filters, page: Page, months: list[UnitMonth]) -> dict:
    """Return the API's answer: the filters, one page of alerts and the monthly counts."""
    period = filters.period
    return {"scope": scope, "status": filters.status, "aspect": filters.aspect,
            "period": None if period is None else {
                "label": period.label, "name": period.name,
                "starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat()},
            "paging": {"page": page.number, "pages": page.pages, "per_page": PER_PAGE,
                       "total": page.total, "first": page.first if page.rows else 0,
                       "last": last_place(page)},
            "rows": [row(alert) for alert in page.rows],
            "unit_months": [month(m) for m in months]}


def _cell(value):
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def csv_lines(alerts: Iterable[AlertRow]) -> Iterator[str]:
    """Yield the alerts as CSV line by line: byte-order mark, Indonesian headings, CRLF lines,
    text cells that could start a formula neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    yield BOM + _take(buffer)
    for alert in alerts:
        shaped = row(alert)
        writer.writerow([csv_value(_cell(shaped[field])) for field in FIELDS])
        yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
