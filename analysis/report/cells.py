"""Spreadsheet cells that stay data: no text a citizen or an administrator typed may become a
formula when an export is opened in Excel, LibreOffice or Google Sheets.

CSV: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
a single quote (OWASP, "CSV Injection"); so is one that starts with the full-width forms of
those signs (U+FF1D, U+FF0B, U+FF0D, U+FF20), beyond OWASP's list: a program that folds
full-width input to ASCII (as East Asian input methods do) would read a formula there, and a
quote in front of a text costs its reader nothing. Numbers stay numbers, negative ones too:
only text is touched. XLSX: every text cell is written as a string
(`write_string`), never through XlsxWriter's guessing `write`, which turns '=…' into a formula
and 'http…' into a link.
"""

import numbers
from datetime import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_value(value):
    """Return a cell value for csv.writer: text neutralised, times as ISO text, None as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return value


def write_cell(sheet, row: int, column: int, value, style=None) -> None:
    """Write one cell to an XlsxWriter sheet by its type: text always as text."""
    if value is None:
        return
    if isinstance(value, datetime):
        sheet.write_datetime(row, column, value, style)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, style)
    elif isinstance(value, numbers.Real):
        sheet.write_number(row, column, float(value), style)
    else:
        sheet.write_string(row, column, str(value), style)


def write_texts(sheet, row: int, values, style=None) -> None:
    """Write a row of headings (or any texts) as text cells from the first column."""
    for column, value in enumerate(values):
        sheet.write_string(row, column, str(value), style)
