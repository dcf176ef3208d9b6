"""The source formats of answer histories, told apart by their header row."""

import re
from dataclasses import dataclass
from pathlib import Path

from survey.tabular import file_error, read_cells

KIND_NAMES = {"google": "Google Forms (CSV)", "kobo": "KoboToolbox (XLSX)",
              "official": "Lembar pengolahan data SKM"}
TIME_NAMES = frozenset({"timestamp", "stempel waktu", "cap waktu", "marca temporal"})
KOBO_NAMES = frozenset({"_submission_time", "_uuid", "_id", "_index", "__version__",
                        "_status", "_validation_status", "meta/instanceid"})
# Rows under the answers of an official sheet that hold its arithmetic, not a respondent.
SUMMARY_WORDS = ("jumlah", "nrr", "nilai", "ikm", "rata", "total", "konversi", "mutu",
                 "kinerja", "bobot", "penimbang", "sum", "mean")
HEADER_SEARCH = 10  # an official sheet may carry a few title rows above its header
_ELEMENT = re.compile(r"u\s*[1-9]")
# Google Forms writes the time in the form's locale: 2026/02/09 12:36:00 PM GMT+7 (English),
# 09/02/2026 12:36:00 (Indonesian), 2/9/2026 12:36:00 (United States, month first).
_GOOGLE = re.compile(r"([0-9]{1,4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,4})[ T,]+([0-9]{1,2})[:.]"
                     r"([0-9]{2})(?:[:.]([0-9]{2}))?\s*([ap]\.?m\.?)?\s*(?:gmt|utc)?"
                     r"(?:([+-])([0-9]{1,2})(?::?([0-9]{2}))?)?", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    kind: str
    header: tuple[str, ...]  # as written, trimmed
    rows: list[tuple[int, list[object]]]  # (row number a spreadsheet program shows, cells)


def name(cell: object) -> str:
    """Return a header cell as a comparable name: lower case, single spaces."""
    return " ".join(str(cell or "").casefold().split())


def detect(names: list[str]) -> str | None:
    """Return the kind of a header row (or 'suara' for SUARA's own layout), or None."""
    filled = [each for each in names if each]
    if not filled:
        return None
    if "submitted_at" in filled:
        return "suara"
    if filled[0] in TIME_NAMES:
        return "google"
    if KOBO_NAMES.intersection(filled):
        return "kobo"
    if sum(bool(_ELEMENT.fullmatch(each)) for each in filled) >= 5:
        return "official"
    return None


def read_source(path: Path, kind: str | None, max_rows: int) -> Source:
    """Read a file's header and rows; raise ImportFailed if its kind cannot be told."""
    cells = read_cells(path, max_rows)
    found = header_row(cells, kind)
    if found is None:
        raise file_error("jenis berkas tidak dikenali dari baris judulnya; pilih jenisnya "
                         "(Google Forms, KoboToolbox atau lembar pengolahan data)")
    index, kind = found
    header = tuple(" ".join(str(cell or "").split()) for cell in cells[index])
    rows = [(index + 2 + offset, list(row)) for offset, row in enumerate(cells[index + 1:])
            if any(cell not in (None, "") for cell in row)]
    if kind == "official":
        rows = [(number, row) for number, row in rows if not _not_a_respondent(row)]
    if not rows:
        raise file_error("berkas tidak berisi baris jawaban di bawah baris judul")
    return Source(kind, header, rows)


def header_row(cells: list[list[object]], wanted: str | None) -> tuple[int, str] | None:
    """Return the index and kind of the header row among the first rows."""
    for index, row in enumerate(cells[:HEADER_SEARCH]):
        kind = detect([name(cell) for cell in row])
        if kind is not None and wanted in (None, kind):
            return index, kind
    if wanted is not None:  # chosen by a person: the first row with anything in it
        for index, row in enumerate(cells[:HEADER_SEARCH]):
            if any(cell not in (None, "") for cell in row):
                return index, wanted
    return None


def _not_a_respondent(row: list[object]) -> bool:
    """Tell a summary row (Jumlah, NRR, IKM ...) or a numbered empty row of an official sheet."""
    filled = [cell for cell in row if cell not in (None, "")]
    if isinstance(filled[0], str) and name(filled[0]).startswith(SUMMARY_WORDS):
        return True
    return len(filled) <= 1  # only its number: a template row nobody filled in


def google_times(values: list[object]) -> list[object]:
    """Return a Timestamp column's texts rewritten as ISO 8601 for the shared date parser.

    Day-first or month-first is decided for the whole column: by a day above 12 where one is
    seen, else day first (the Indonesian locale). Anything else is left as it was, for the
    parser to name.
    """
    matches = [_GOOGLE.fullmatch(value.strip()) if isinstance(value, str) else None
               for value in values]
    month_first = any(m and len(m[1]) < 4 and int(m[2]) > 12 for m in matches) and not any(
        m and len(m[1]) < 4 and int(m[1]) > 12 for m in matches)
    return [_iso(match, month_first) if match else value
            for match, value in zip(matches, values)]


def _iso(match: re.Match, month_first: bool) -> str:
    first, second, third, hour, minute, second_, half, sign, zone_h, zone_m = match.groups()
    if len(first) == 4:
        year, month, day = first, second, third
    elif month_first:
        month, day, year = first, second, third
    else:
        day, month, year = first, second, third
    hour = int(hour)
    if half:  # 12:xx AM is just after midnight, 12:xx PM just after noon
        hour = hour % 12 + (12 if half[0].lower() == "p" else 0)
    offset = f"{sign}{int(zone_h):02d}:{zone_m or '00'}" if sign else ""
    return (f"{int(year):04d}-{int(month):02d}-{int(day):02d}T{hour:02d}:{minute}:"
            f"{second_ or '00'}{offset}")
