"""Reading spreadsheets (CSV or XLSX) for imports, and reporting their bad rows."""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number a spreadsheet program shows (the header is row 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"Berkas: {self.message}"
        where = f"Baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def file_error(message: str) -> "ImportFailed":
    """Return a failure about the whole file rather than one row."""
    return ImportFailed([RowError(None, None, message)])


class ImportFailed(Exception):
    """An import that stored nothing, with every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} kesalahan")
        self.errors = errors

    def lines(self) -> list[str]:
        """Return the message lines for the user: a summary, then one line per problem."""
        return [f"Tidak ada data yang diimpor: {len(self.errors)} kesalahan ditemukan.",
                *(str(error) for error in self.errors)]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, object]]]  # (row number, values by lower-case column)


def read_table(path: Path, required: tuple[str, ...]) -> Table:
    """Read the first sheet of a CSV or XLSX file; raise ImportFailed on a bad header."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path)
    else:
        raise file_error(f"format berkas {suffix or '(tanpa ekstensi)'} tidak didukung; "
                         "gunakan CSV atau XLSX")
    if not raw:
        raise file_error("berkas kosong")
    header = tuple(str(cell or "").strip().lower() for cell in raw[0])
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFailed([RowError(1, column, "kolom wajib tidak ada di baris judul")
                            for column in missing])
    if len(raw) - 1 > MAX_ROWS:
        raise file_error(f"lebih dari {MAX_ROWS} baris; bagi berkasnya")
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        if all(cell in (None, "") for cell in cells):
            continue  # blank lines at the end of a typed sheet
        values = {name: _clean(cells[i]) if i < len(cells) else None
                  for i, name in enumerate(header) if name}
        rows.append((number, values))
    return Table(header, rows)


def _clean(cell: object) -> object:
    if isinstance(cell, str):
        cell = cell.strip()
        return cell or None
    return cell


def _read_csv(path: Path) -> list[list[object]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        return [list(row) for row in csv.reader(handle, dialect)]


def _read_xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def as_text(value: object) -> str | None:
    """Return a cell as text (integers from spreadsheets without a trailing .0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip() or None
