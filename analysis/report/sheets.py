"""Spreadsheet exports (XLSX by XlsxWriter, and CSV): raw responses and the figures.

Figures are written as the values SUARA computed, never rounded, laid out like the official
*pengolahan data SKM* sheet so that an auditor's own SUM and AVERAGE formulas reproduce them.
CSV is plain RFC 4180 (comma, dot decimal, UTF-8 with a byte-order mark for Excel). No text
cell of either can become a formula (analysis/report/cells.py).
"""

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from analysis.elements import ELEMENT_CODES
from analysis.ikm import KONVERSI_FACTOR
from analysis.report.cells import csv_value, write_cell, write_texts
from analysis.report.data import (Index, InstrumentIndex, ReportPeriod, ScopeWorksheet,
                                  UnitWorksheet)
from analysis.report.texts import grade_name, long_date, text, weight_text

RESPONSE_COLUMNS = ("unit", "nama_unit", "kode_wilayah", "waktu_lokal", "zona_waktu",
                    "saluran", "jenis_layanan", "jenis_kelamin", "umur", "pendidikan",
                    "pekerjaan", *(code.lower() for code in ELEMENT_CODES), "ditandai")
SUGGESTION_COLUMN = "saran"
XLSX_MAX_ROWS = 1_048_576  # rows of one worksheet: a larger export continues on the next sheet
BOM = "\ufeff"  # lets Excel read the CSV as UTF-8 (names with é, –, ·)
# Text stays text even where a cell is written by XlsxWriter's generic `write`.
_NO_GUESSING = {"strings_to_formulas": False, "strings_to_urls": False}


@dataclass(frozen=True)
class Row:
    """One row of a figures sheet: its role, its cells and the decimals of each number."""

    kind: str  # title, note, blank, head, answer, total, label
    cells: tuple
    places: tuple = ()


def response_headings(suggestions: bool) -> list[str]:
    """Return the column names of a raw-response export."""
    return [*RESPONSE_COLUMNS, *([SUGGESTION_COLUMN] if suggestions else [])]


def _response_cells(record: tuple, suggestions: bool) -> tuple:
    """Return a record's cells, leaving the suggestion out unless it was asked for."""
    return record if suggestions else record[:len(RESPONSE_COLUMNS)]


def csv_lines(records: Iterable[tuple], suggestions: bool = False) -> Iterator[str]:
    """Yield a raw-response CSV line by line (for streaming), the byte-order mark first."""
    rows = (_response_cells(r, suggestions) for r in records)
    return _csv_lines(itertools.chain([response_headings(suggestions)], rows))


def _csv_lines(rows: Iterable) -> Iterator[str]:
    """Yield CSV lines of rows; times as ISO text, None as an empty field, text neutralised."""
    buffer = _Line()
    writer = csv.writer(buffer, lineterminator="\r\n")
    prefix = BOM
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
        yield prefix + buffer.take()
        prefix = ""


class _Line:
    """A write target that hands back what csv.writer wrote since the last take."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text_: str) -> None:
        """Keep what the writer wrote."""
        self.parts.append(text_)

    def take(self) -> str:
        """Return what was written since the last take, and forget it."""
        line, self.parts = "".join(self.parts), []
        return line


def responses_xlsx(target, records: Iterable[tuple], suggestions: bool = False) -> int:
    """Write a raw-response workbook to a path or binary file; return the number of rows."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, **_NO_GUESSING})
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EDF1", "bottom": 1})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    headings = response_headings(suggestions)
    sheet, row, written, sheets = None, XLSX_MAX_ROWS, 0, 0
    for record in records:
        if row == XLSX_MAX_ROWS:
            sheets += 1
            sheet = workbook.add_worksheet("Respons" if sheets == 1 else f"Respons ({sheets})")
            write_texts(sheet, 0, headings, bold)
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, 2, 14)
            sheet.set_column(3, 3, 19, when)
            row = 1
        for column, value in enumerate(_response_cells(record, suggestions)):
            write_cell(sheet, row, column, value, when if isinstance(value, datetime) else None)
        row, written = row + 1, written + 1
    if sheet is None:  # no response: still a valid workbook with its headings
        write_texts(workbook.add_worksheet("Respons"), 0, headings, bold)
    workbook.close()
    return written


def _period_text(period: ReportPeriod) -> str:
    """Return 'Semester I 2026 (1 Januari 2026 s.d. 30 Juni 2026)'."""
    return (f"{period.name} ({long_date(period.starts_on, 'id')} s.d. "
            f"{long_date(period.ends_on, 'id')})")


def _grade_text(index: Optional[Index]) -> str:
    """Return 'A (Sangat baik)', 'sementara (n = 7 < 30)' below the minimum sample, or a dash
    without data."""
    if index is None:
        return "–"
    if index.grade is None:
        return f"sementara (n = {index.respondents} < {index.min_respondents})"
    return f"{index.grade} ({grade_name(index.grade, 'id')})"


def unit_figures_rows(sheet: UnitWorksheet) -> list[Row]:
    """Lay out the pengolahan data SKM of one unit: respondents as rows, U1..U9 as columns."""
    codes, e, nine = ELEMENT_CODES, sheet.elements, len(ELEMENT_CODES)
    weight = float(sheet.weight)
    rows = [Row("title", ("PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT",)),
            Row("note", ("Unit layanan", sheet.unit)),
            Row("note", ("Periode", _period_text(sheet.period))),
            Row("note", ("Bobot (nilai penimbang)", weight,
                         weight_text(sheet.convention, sheet.weight, "id")), (None, 4)),
            Row("blank", ()), Row("head", ("No. responden", *codes))]
    rows += [Row("answer", (number, *answers)) for number, answers in
             enumerate(sheet.answers, start=1)]
    if not e:
        return rows + [Row("label", (text("id", "no_data"),))]
    rows += [Row("total", ("Jumlah jawaban per unsur", *(x.answers for x in e))),
             Row("total", ("Jumlah nilai per unsur", *(x.total for x in e))),
             Row("total", ("NRR per unsur", *(x.nrr for x in e)), (None,) + (3,) * nine),
             Row("total", ("Bobot (nilai penimbang)", *([weight] * nine)),
                 (None,) + (4,) * nine),
             Row("total", ("NRR tertimbang per unsur", *(x.nrr_weighted for x in e)),
                 (None,) + (4,) * nine),
             Row("label", ("IKM (jumlah NRR tertimbang)", sheet.index.ikm), (None, 4)),
             Row("label", ("Konversi IKM (IKM × 25)", sheet.index.ikm * KONVERSI_FACTOR),
                 (None, 2)),
             Row("label", ("Mutu pelayanan", _grade_text(sheet.index)))]
    return rows


SCOPE_HEADINGS = ("No", "Kode unit", "Unit layanan", "Instansi", "Kode wilayah", "Wilayah",
                  "Responden", *(f"Jumlah {c}" for c in ELEMENT_CODES),
                  *(f"NRR {c}" for c in ELEMENT_CODES), "IKM", "IKM konversi", "Mutu",
                  "SK 95% bawah", "SK 95% atas", "Responden undangan", "IKM undangan konversi",
                  "Mutu undangan", *(f"{heading} {short}" for short in ("IPKP", "IPAK")
                                     for heading in ("Responden", "Skala", "Indeks", "Mutu")))
_SCOPE_PLACES = ((None,) * 7 + (None,) * 9 + (3,) * 9 + (4, 2, None, 2, 2) + (None, 2, None)
                 + (None, None, 2, None) * 2)
INSTRUMENTS = ("spkp", "spak")
SCOPE_NOTE = ("Undangan: jawaban dengan kode atau tautan undangan sekali pakai. IPKP dan IPAK "
              "(survei Zona Integritas) pada skala yang ditanyakan; unit yang menjawab pada dua "
              "skala: skala dengan responden terbanyak (semua skala di blok Zona Integritas). "
              "Di bawah jumlah responden minimal angkanya sementara, tanpa mutu; sel kosong: "
              "tidak ada jawaban.")


def _invited_cells(index: Optional[Index]) -> tuple:
    """Return the respondents, konversi and grade of invited answers (empty without any)."""
    if index is None:
        return None, None, None
    return index.respondents, index.ikm * KONVERSI_FACTOR, index.grade or "sementara"


def _instrument_cells(found: Optional[InstrumentIndex]) -> tuple:
    """Return an instrument's respondents, scale, index and band: empty where not asked."""
    if found is None:
        return None, None, None, None
    return found.respondents, found.scale_max, float(found.index), found.band or "sementara"


def _figures_cells(elements, index: Index) -> tuple:
    """Return the sums, NRR, IKM, konversi, grade and interval cells of one row."""
    ci = index.ci
    return (index.respondents, *(x.total for x in elements), *(x.nrr for x in elements),
            index.ikm, index.ikm * KONVERSI_FACTOR, index.grade or "sementara",
            ci.low if ci else None, ci.high if ci else None)


def scope_figures_rows(sheet: ScopeWorksheet) -> list[Row]:
    """Lay out the figures of every unit of a scope, one row each, then the scope's total."""
    rows = [Row("title", ("REKAPITULASI IKM PER UNIT LAYANAN",)),
            Row("note", ("Cakupan", sheet.name)),
            Row("note", ("Periode", _period_text(sheet.period))),
            Row("note", ("Metode agregasi", text("id", f"method.{sheet.method}"))),
            Row("note", ("Bobot (nilai penimbang)", float(sheet.weight),
                         weight_text(sheet.convention, sheet.weight, "id")), (None, 4)),
            Row("note", ("Keterangan", SCOPE_NOTE)),
            Row("blank", ()), Row("head", SCOPE_HEADINGS)]
    rows += [Row("answer", (number, u.slug, u.name, u.agency, u.region_code, u.region,
                            *_figures_cells(u.elements, u.index), *_invited_cells(u.invited),
                            *(cell for code in INSTRUMENTS
                              for cell in _instrument_cells(u.instruments.get(code)))),
                 _SCOPE_PLACES)
             for number, u in enumerate(sheet.rows, start=1)]
    if sheet.overall is not None:
        label = "Keseluruhan (" + ("gabungan responden" if sheet.method == "pooled"
                                   else "rata-rata indeks unit") + ")"
        rows.append(Row("total", ("", "", label, "", "", "",
                                  *_figures_cells(sheet.elements, sheet.overall)),
                        _SCOPE_PLACES))
    return rows


def block_rows(title: str, headings: tuple, lines: Iterable[tuple],
               places: tuple = ()) -> list[Row]:
    """Return a titled block of rows set below a figures sheet (IPKP and IPAK, for one)."""
    return [Row("blank", ()), Row("title", (title,)), Row("head", headings),
            *(Row("answer", line, places) for line in lines)]


def figures_csv_lines(rows: list[Row]) -> Iterator[str]:
    """Yield a figures sheet as CSV lines (full precision, no formats)."""
    return _csv_lines(row.cells for row in rows)


def figures_xlsx(target, rows: list[Row], sheet_name: str) -> None:
    """Write a figures sheet to a path or binary file, with number formats per cell."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, _NO_GUESSING)
    styles = _Styles(workbook)
    sheet = workbook.add_worksheet(sheet_name)
    head = next((i for i, row in enumerate(rows) if row.kind == "head"), 0)
    sheet.freeze_panes(head + 1, 1)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 40, 11)
    for number, row in enumerate(rows):
        for column, value in enumerate(row.cells):
            places = row.places[column] if column < len(row.places) else None
            if value is not None:
                write_cell(sheet, number, column, value, styles.get(row.kind, places, value))
    workbook.close()


class _Styles:
    """Cell formats of a figures sheet, made once per workbook and kind."""

    def __init__(self, workbook):
        self.workbook, self.made = workbook, {}

    def get(self, kind: str, places: Optional[int], value):
        """Return the format of a cell of a row kind, with `places` decimals for numbers."""
        key = (kind, places if isinstance(value, float) else None)
        if key not in self.made:
            spec = {"title": {"bold": True, "font_size": 13},
                    "head": {"bold": True, "bg_color": "#E8EDF1", "border": 1,
                             "text_wrap": True, "align": "center"},
                    "total": {"bold": True, "top": 1},
                    "label": {"bold": True}}.get(kind, {})
            if key[1] is not None:
                spec = {**spec, "num_format": "0." + "0" * key[1]}
            self.made[key] = self.workbook.add_format(spec)
        return self.made[key]
