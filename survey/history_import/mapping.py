"""Which source column holds which of SUARA's columns: guessed from the header, confirmed by a
person, saved per unit, source kind and header, and applied to a file's rows."""

import hashlib
import json
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENTS
from analysis.instruments import INSTRUMENTS
from survey.history_import.formats import Source, google_times, name
from survey.instrument_columns import COLUMNS as INSTRUMENT_COLUMNS, ITEM_COLUMNS, SCALE_COLUMNS
from survey.models import ImportMapping, ServiceUnit, User, utcnow
from survey.response_import import COLUMNS
from survey.tabular import Table

IGNORE = ""
FIELD_NAMES = {
    IGNORE: "(abaikan)", "submitted_at": "Waktu pengisian", "gender": "Jenis kelamin",
    "age": "Umur", "education": "Pendidikan", "occupation": "Pekerjaan",
    "service_type": "Jenis layanan",
    **{element.code.lower(): f"{element.code} {element.name_id}" for element in ELEMENTS},
    "suggestion": "Saran",
    # SPKP and SPAK (Zona Integritas), optional: answered whole in a row, or blank there.
    **{column: f"{code.upper()} {number} {item.aspect}"
       for code, columns in ITEM_COLUMNS.items()
       for number, (column, item) in enumerate(zip(columns, INSTRUMENTS[code].items), start=1)},
    **{column: f"Skala {code.upper()} (4 atau 6)" for code, column in SCALE_COLUMNS.items()},
}
# Every field a column may go to, SUARA's own columns first.
FIELDS = (*COLUMNS, *INSTRUMENT_COLUMNS)
# The time columns, best first: Kobo's `end` and `start` carry the device's UTC offset, its
# `_submission_time` is the server's time in UTC without one.
TIME_COLUMNS = ("timestamp", "stempel waktu", "cap waktu", "marca temporal", "end", "start",
                "_submission_time", "tanggal", "tanggal pengisian", "waktu pengisian")
# Words of the regulation's questions (PermenPANRB 14/2017), element by element.
ELEMENT_WORDS = (("u1", ("persyaratan",)), ("u2", ("prosedur", "mekanisme", "kemudahan")),
                 ("u3", ("waktu", "kecepatan")), ("u4", ("biaya", "tarif")),
                 ("u5", ("produk", "spesifikasi")), ("u6", ("kompetensi", "kemampuan")),
                 ("u7", ("perilaku", "kesopanan", "keramahan")), ("u8", ("pengaduan",)),
                 ("u9", ("sarana", "prasarana", "fasilitas")))
PROFILE_WORDS = (("gender", ("jenis kelamin", "kelamin", "gender")), ("age", ("umur", "usia")),
                 ("education", ("pendidikan",)), ("occupation", ("pekerjaan",)),
                 ("service_type", ("jenis layanan", "layanan yang", "jenis pelayanan")),
                 ("suggestion", ("saran", "kritik", "masukan", "komentar")))
# Short names sheets and Kobo forms use for a profile column.
SHORT_NAMES = {"jk": "gender", "l/p": "gender", "sex": "gender", "umur": "age", "usia": "age",
               "pendidikan": "education", "pekerjaan": "occupation", "layanan": "service_type",
               "saran": "suggestion"}
_CODE = re.compile(r"\(?u\s*([1-9])\b.*")
_INSTRUMENT_CODE = re.compile(r"(spkp|spak)[\s_.-]*([1-8])")
# The SPKP and SPAK statements (analysis/instruments.py), normalised: a header holding one
# (a Google Forms grid writes "SPKP [statement]") is that statement's column. Looked for
# before the SKM's words, which some statements share (persyaratan, waktu, biaya ...).
STATEMENTS = tuple((name(text), column) for code, columns in ITEM_COLUMNS.items()
                   for column, item in zip(columns, INSTRUMENTS[code].items)
                   for text in (item.text_id, item.text_en))


def fingerprint(kind: str, header: tuple[str, ...]) -> str:
    """Return the SHA-256 of a source kind and its normalised header."""
    return hashlib.sha256(json.dumps([kind, [name(cell) for cell in header]],
                                     ensure_ascii=False).encode()).hexdigest()


def guess(header: tuple[str, ...], questions: dict[str, str]) -> list[str]:
    """Return a field per column; `questions` maps a question's normalised text to its column
    (u1..u9). Each field goes to its first matching column, the time to its best one."""
    fields = [_guess_one(name(cell), questions) for cell in header]
    ranks = [TIME_COLUMNS.index(name(cell)) if field == "submitted_at"
             and name(cell) in TIME_COLUMNS else len(TIME_COLUMNS)
             for cell, field in zip(header, fields)]
    taken: set[str] = set()
    for index in sorted(range(len(fields)), key=lambda i: (ranks[i], i)):
        if fields[index] in taken:
            fields[index] = IGNORE
        taken.add(fields[index])
    return fields


def _guess_one(text: str, questions: dict[str, str]) -> str:
    last = text.rsplit("/", 1)[-1]  # Kobo's xml names carry their group: group_x/u1
    if last in FIELDS:
        return last
    if last in SHORT_NAMES:
        return SHORT_NAMES[last]
    if text in TIME_COLUMNS or last in TIME_COLUMNS:
        return "submitted_at"
    if last.startswith("_") or last in ("no", "no.", "no. responden", "nomor"):
        return IGNORE
    if match := _CODE.fullmatch(last):
        return f"u{match[1]}"
    if text in questions:
        return questions[text]
    if match := _INSTRUMENT_CODE.fullmatch(last):
        column = f"{match[1]}{match[2]}"
        return column if column in FIELD_NAMES else IGNORE
    for statement, column in STATEMENTS:
        if statement in text:
            return column
    for field, words in (*ELEMENT_WORDS, *PROFILE_WORDS):
        if any(word in text for word in words):
            return field
    return IGNORE


def questions_of(questionnaire) -> dict[str, str]:
    """Return the questionnaire's question texts (Indonesian, English), normalised, by column."""
    return {name(text): item.element_code.lower() for item in questionnaire.items
            for text in (item.text_id, item.text_en)}


def saved(session: Session, unit: ServiceUnit, kind: str, header: tuple[str, ...]):
    """Return the fields of the mapping saved for this unit, kind and header, or None."""
    found = _stored(session, unit, kind, header)
    return [field for _, field in found.mapping] if found else None


def _stored(session, unit, kind, header) -> ImportMapping | None:
    return session.scalars(select(ImportMapping).where(
        ImportMapping.unit_id == unit.id, ImportMapping.source_kind == kind,
        ImportMapping.fingerprint == fingerprint(kind, header))).first()


def save(session: Session, unit: ServiceUnit, kind: str, header: tuple[str, ...],
         fields: list[str], user: User | None) -> None:
    """Keep a confirmed mapping for the next file of this unit with the same header."""
    pairs = [[cell, field] for cell, field in zip(header, fields)]
    found = _stored(session, unit, kind, header)
    if found is None:
        session.add(ImportMapping(unit_id=unit.id, source_kind=kind, mapping=pairs,
                                  fingerprint=fingerprint(kind, header),
                                  saved_by=user.id if user else None))
    elif found.mapping != pairs:
        found.mapping, found.saved_by, found.saved_at = pairs, user.id if user else None, utcnow()
    session.flush()


def problems(fields: list[str], has_day: bool) -> list[str]:
    """Return what keeps a mapping from being used, in Indonesian."""
    found = []
    for field in FIELDS:
        count = fields.count(field)
        if count > 1:
            found.append(f"{FIELD_NAMES[field]} dipilih untuk {count} kolom; pilih satu saja.")
    missing = [FIELD_NAMES[f"u{i}"].split()[0] for i in range(1, 10) if f"u{i}" not in fields]
    if missing:
        found.append(f"Kolom jawaban {', '.join(missing)} belum dipilih.")
    if "submitted_at" not in fields and not has_day:
        found.append("Pilih kolom waktu pengisian, atau isi tanggal yang berlaku untuk semua "
                     "baris.")
    return found


def apply(source: Source, fields: list[str], day: date | None) -> Table:
    """Return the file's rows in SUARA's columns (a day stands for a missing time column)."""
    where = {field: index for index, field in enumerate(fields) if field != IGNORE}
    cells = {field: [row[index] if index < len(row) else None for _, row in source.rows]
             for field, index in where.items()}
    if source.kind == "google" and "submitted_at" in cells:
        cells["submitted_at"] = google_times(cells["submitted_at"])
    for column in (f"u{i}" for i in range(1, 10)):
        if column in cells:  # Kobo's choice names: sangat_sesuai for "Sangat sesuai"
            cells[column] = [value.replace("_", " ") if isinstance(value, str) else value
                             for value in cells[column]]
    rows = []
    for position, (number, _) in enumerate(source.rows):
        values = {column: _clean(cells[column][position]) if column in cells else None
                  for column in FIELDS}
        if "submitted_at" not in cells:
            values["submitted_at"] = day
        rows.append((number, values))
    return Table(FIELDS, rows)


def _clean(cell: object) -> object:
    if isinstance(cell, str):
        return cell.strip() or None
    return cell


def letter(index: int) -> str:
    """Return a spreadsheet's name of a 0-based column index: A, B, ..., Z, AA, ..."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text
