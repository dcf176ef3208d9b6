"""Reading spreadsheets (CSV or XLSX) for imports, and reporting their bad rows."""

import csv
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
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
    raw = read_cells(path)
    header = tuple(str(cell or "").strip().lower() for cell in raw[0])
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFailed([RowError(1, column, "kolom wajib tidak ada di baris judul")
                            for column in missing])
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


def read_cells(path: Path, max_rows: int = MAX_ROWS) -> list[list[object]]:
    """Return the cells of the first sheet of a CSV or XLSX file, row by row; raise
    ImportFailed, never another error, for a file that is empty, too long or unreadable."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _read_csv(path, max_rows)
    elif suffix in (".xlsx", ".xlsm"):
        raw = _read_xlsx(path, max_rows)
    else:
        raise file_error(f"format berkas {suffix or '(tanpa ekstensi)'} tidak didukung; "
                         "gunakan CSV atau XLSX")
    if not raw:
        raise file_error("berkas kosong")
    if len(raw) - 1 > max_rows:
        raise file_error(f"lebih dari {max_rows} baris; bagi berkasnya")
    return raw


def _read_csv(path: Path, max_rows: int) -> list[list[object]]:
    # Google Forms and most tools write UTF-8; a sheet saved by Excel on Windows may be cp1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with open(path, newline="", encoding=encoding) as handle:
                sample = handle.read(4096)
                handle.seek(0)
                try:
                    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
                except csv.Error:
                    dialect = csv.excel
                return [list(row) for row in islice(csv.reader(handle, dialect), max_rows + 2)]
        except UnicodeDecodeError:
            continue
        except csv.Error as problem:
            raise file_error(f"berkas CSV tidak dapat dibaca ({problem})") from None
    raise file_error("berkas bukan teks CSV (UTF-8 atau Windows-1252); simpan ulang sebagai "
                     "CSV UTF-8")


def _read_xlsx(path: Path, max_rows: int) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a broken file
        raise file_error("berkas bukan XLSX yang utuh; simpan ulang dari aplikasinya sebagai "
                         "XLSX atau CSV") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in islice(sheet.iter_rows(values_only=True), max_rows + 2)]
    except Exception:
        raise file_error("isi berkas XLSX rusak; simpan ulang sebagai XLSX atau CSV") from None
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
