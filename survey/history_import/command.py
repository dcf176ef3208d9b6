"""`suara import` of a history file: the saved mapping, or a guess the person accepts."""

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from survey.history_import import importing, mapping
from survey.history_import.formats import header_row
from survey.queries import unit_by_slug
from survey.response_import import ResponseImportResult, import_responses
from survey.tabular import ImportFailed, RowError, file_error, read_cells


def import_file(session: Session, path: Path, unit_slug: str, kind: str | None,
                use_saved: bool, day: date | None,
                scales: dict[str, int] | None = None) -> ResponseImportResult:
    """Import a file of SUARA's own columns or of another tool's (told by its header);
    `scales`: the SPKP/SPAK scale of rows without a scale column."""
    if kind == "suara" or (kind is None and _own_layout(path)):
        return import_responses(session, path, unit_slug, scales)
    unit = unit_by_slug(session, unit_slug)
    if unit is None:
        raise file_error(f"unit layanan '{unit_slug}' tidak ditemukan")
    found = importing.plan(session, unit, path, kind=kind, day=day, use_saved=use_saved)
    if use_saved and not found.from_saved:
        raise ImportFailed([RowError(None, None, "belum ada pemetaan kolom tersimpan untuk "
                                     "baris judul ini; periksa tebakan di bawah, lalu ulangi "
                                     "dengan --mapping guess untuk memakainya"),
                            *_mapping_lines(found)])
    if found.problems:
        raise ImportFailed([RowError(None, None, problem) for problem in found.problems]
                           + _mapping_lines(found))
    return importing.store(session, unit, found, path.name, None, scales)[0]


def _own_layout(path: Path) -> bool:
    try:
        found = header_row(read_cells(path), None)
    except ImportFailed:
        return True  # let the import of SUARA's own columns name the problem
    return found is None or found[1] == "suara"


def _mapping_lines(found: importing.Plan) -> list[RowError]:
    return [RowError(None, None, f"kolom {mapping.letter(index)} ({header[:40]}) -> "
                                 f"{mapping.FIELD_NAMES[field]}")
            for index, (header, field) in enumerate(zip(found.source.header, found.fields))]
