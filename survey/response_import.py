"""Importing paper questionnaires typed into a spreadsheet: all or nothing, and safe to repeat.

One row per respondent, columns submitted_at, gender, age, education, occupation, service_type,
u1 … u9 (the element codes of PermenPANRB 14/2017, answers 1..4) and suggestion; optionally
SPKP and SPAK (survey/instrument_columns.py), stored with their row. Every row gets a
client_uuid derived from its content, so importing a file again adds only the rows not yet stored.
"""

import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import entry_batches, instrument_columns, instrument_store
from survey.entry_dates import DateBounds, answer_bounds
from survey.models import Response, ServiceUnit
from survey.regions import timezone_for
from survey.responses import ANSWER_COLUMNS, default_questionnaire, insert_rows, response_values
from survey.tabular import ImportFailed, RowError, Table, as_text, file_error, read_table
from survey.vocab import AGE_MAX, AGE_MIN, VOCABULARIES, normalise

PROFILE = ("gender", "age", "education", "occupation", "service_type")
# The order of COLUMNS and NAMESPACE are part of every imported row's client_uuid: never change
# them, or files imported before would be imported a second time.
COLUMNS = ("submitted_at", *PROFILE, *ANSWER_COLUMNS, "suggestion")
NAMESPACE = uuid.UUID("a43d3e5a-e4c6-497d-9832-5a153e177ea7")
SERVICE_TYPE_MAX, SUGGESTION_MAX = 200, 2000
EARLIEST_YEAR = 2017  # PermenPANRB 14/2017: no SKM under this regulation before it
NOON = time(12)
CHUNK = 500

_CLOCK = r"(?:[ T]+([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2}))?)?"
# ISO 8601 as most survey tools export it: 2026-02-09T12:36:00+07:00, …Z, …12:36:00.123+0700.
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _CLOCK
                  + r"(?:\.[0-9]{1,9})?(Z|[+-][0-9]{2}:?[0-9]{2})?")
MAX_OFFSET = timedelta(hours=14)  # the widest UTC offset in use (Line Islands, UTC+14)
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/-]([0-9]{1,2})[/-]([0-9]{4})" + _CLOCK)
_WHOLE = re.compile(r"([0-9]+)(?:[.,]0+)?")


@dataclass(frozen=True)
class ResponseImportResult:
    imported: int
    already_present: int
    unit_name: str

    def describe(self) -> str:
        """Return a one-line Indonesian summary."""
        return (f"{self.imported} jawaban diimpor ke {self.unit_name}; "
                f"{self.already_present} sudah ada sebelumnya.")


def import_responses(session: Session, path: Path, unit_slug: str,
                     scales: dict[str, int] | None = None) -> ResponseImportResult:
    """Store the new rows of a file of paper questionnaires; raise ImportFailed if any is bad.
    `scales`: the SPKP/SPAK scale of rows whose scale column is blank or absent."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == unit_slug)).first()
    if unit is None:
        # Not a problem of any row: reported on the header row, like tabular's file errors.
        raise file_error(f"unit layanan '{unit_slug}' tidak ditemukan")
    return import_table(session, unit, read_table(path, COLUMNS), default_questionnaire(session),
                        file_name=path.name, scales=scales)


def validate_table(unit: ServiceUnit, table: Table, questionnaire,
                   scales: dict[str, int] | None = None) -> list[dict[str, object]]:
    """Parse every row of a table in SUARA's columns; raise ImportFailed with every problem."""
    zone, now = timezone_for(unit.region_code), datetime.now(timezone.utc)
    return _validate(table, zone, answer_bounds(unit, now), answer_words(questionnaire),
                     scales or {})


def import_table(session: Session, unit: ServiceUnit, table: Table, questionnaire, *,
                 file_name: str, user=None, note: str = "Impor berkas",
                 scales: dict[str, int] | None = None) -> ResponseImportResult:
    """Store the new rows of a table in SUARA's columns, in one audited batch of the given
    user's; raise ImportFailed (storing nothing) if any row is bad."""
    zone = timezone_for(unit.region_code)
    rows = validate_table(unit, table, questionnaire, scales)
    uuids = _client_uuids(unit, rows)
    present = _stored_uuids(session, uuids)
    questionnaire_id = questionnaire.id
    new = [(row, uuid_) for row, uuid_ in zip(rows, uuids) if uuid_ not in present]
    batch = _batch(session, unit, user, file_name, note,
                   [_aware(row["submitted_at"], zone).astimezone(zone).date() for row, _ in new])
    values = [
        response_values(
            unit, questionnaire_id=questionnaire_id, channel="paper", client_uuid=client_uuid,
            batch_id=batch.id if batch else None,
            submitted_at=_aware(row["submitted_at"], zone),
            answers={code: row[column] for code, column in zip(ELEMENT_CODES, ANSWER_COLUMNS)},
            suggestion=row["suggestion"], **{name: row[name] for name in PROFILE})
        for row, client_uuid in new]
    if values:
        insert_rows(session, values)
        # The rows' SPKP/SPAK in the same transaction (found by client_uuid) and counted.
        for (row, _), value in zip(new, values):
            instrument_store.store(session, value, row["instruments"])
        entry_batches.close_batch(session, batch)
    return ResponseImportResult(len(values), len(rows) - len(values), unit.name)


def _batch(session: Session, unit: ServiceUnit, user, file_name: str, note: str,
           days: list[date]):
    """Open the batch of a file's new rows (audited), or return None when none is new."""
    if not days:
        return None
    return entry_batches.open_batch(
        session, unit, user, channel="paper", sheet_numbers=f"berkas {file_name}"[:200],
        sheets_declared=len(days), first_day=min(days), last_day=max(days),
        note=f"{note} {file_name}"[:1000])


def answer_words(questionnaire) -> dict[str, dict[str, int]]:
    """Return, per answer column, the questionnaire's own answer labels (Indonesian and
    English, any case and spacing) and the value each stands for: a sheet may hold the words
    a form showed ("Sangat sesuai", "Kurang cepat") rather than 1..4."""
    words: dict[str, dict[str, int]] = {}
    for item in questionnaire.items:
        column = item.element_code.lower()
        if column in ANSWER_COLUMNS:
            words[column] = {_word(label): value
                             for labels in (item.labels_id, item.labels_en)
                             for value, label in enumerate(labels, start=1)}
    return words


def _word(text: str) -> str:
    return " ".join(text.casefold().split())


def _validate(table: Table, zone: tzinfo, bounds: DateBounds,
              words: dict[str, dict[str, int]], scales: dict[str, int]) -> list[dict[str, object]]:
    """Parse every row; raise ImportFailed with every problem of every row."""
    parsers = {
        "submitted_at": partial(_submitted_at, zone=zone, bounds=bounds),
        **{name: partial(_choice, name) for name in VOCABULARIES},
        "age": _age,
        "service_type": partial(_text, limit=SERVICE_TYPE_MAX),
        **{column: partial(_answer, words=words.get(column, {})) for column in ANSWER_COLUMNS},
        "suggestion": partial(_text, limit=SUGGESTION_MAX),
    }
    rows, errors = [], []
    for number, values in table.rows:
        row = {}
        for column in COLUMNS:
            try:
                row[column] = parsers[column](values.get(column))
            except ValueError as problem:
                errors.append(RowError(number, column, str(problem)))
        row["instruments"], problems = instrument_columns.read_row(values, scales)
        errors.extend(RowError(number, column, message) for column, message in problems)
        rows.append(row)
    if errors:
        raise ImportFailed(errors)
    return rows


def _submitted_at(value: object, zone: tzinfo, bounds: DateBounds) -> datetime:
    """Return the submission time as typed (naive means the unit's local time), checked: not
    before 2017 nor outside the unit's answer dates (survey/entry_dates.py)."""
    typed = _read_when(value)
    if typed.year < EARLIEST_YEAR:
        raise ValueError(f"tanggal {typed.date().isoformat()} sebelum tahun {EARLIEST_YEAR}; "
                         "periksa tahunnya")
    if problem := bounds.problem(_aware(typed, zone).astimezone(zone).date()):
        raise ValueError(problem)
    return typed


def _read_when(value: object) -> datetime:
    """Read a date cell or a typed date (ISO or day first), with or without a time."""
    if isinstance(value, datetime):
        # Excel keeps a date-only cell as midnight; paper forms are not filled in at 00:00.
        return datetime.combine(value.date(), NOON) if value.time() == time(0) else value
    if isinstance(value, date):
        return datetime.combine(value, NOON)
    text = as_text(value)
    if text is None:
        raise ValueError("tanggal wajib diisi")
    offset = None
    if match := _ISO.fullmatch(text):
        year, month, day, *clock, offset = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year, *clock = match.groups()
    else:
        raise ValueError(f"format tanggal '{text}' tidak dikenal; gunakan 2026-03-14, "
                         "2026-03-14 09:30, 2026-03-14T09:30:00+07:00 atau 14/03/2026 09:30")
    hour, minute, second = (int(part or 0) for part in clock) if clock[0] else (12, 0, 0)
    zone = _offset(offset, text)
    try:
        return datetime(int(year), int(month), int(day), hour, minute, second, tzinfo=zone)
    except ValueError:
        raise ValueError(f"tanggal '{text}' tidak ada di kalender") from None


def _offset(text: str | None, typed: str) -> timezone | None:
    """Return the UTC offset written after a time (Z, +07:00, +0700), or None for none."""
    if text is None:
        return None
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    if abs(offset) > MAX_OFFSET or int(digits[2:]) >= 60:
        raise ValueError(f"zona waktu '{text}' pada '{typed}' tidak ada")
    return timezone(offset)


def _aware(typed: datetime, zone: tzinfo) -> datetime:
    """Return a typed time with the unit's time zone if it has none."""
    return typed if typed.tzinfo is not None else typed.replace(tzinfo=zone)


def _whole(text: str) -> int | None:
    """Return a whole number typed as '3', '3.0' or '3,0', or None."""
    match = _WHOLE.fullmatch(text)
    return int(match.group(1)) if match else None


def _answer(value: object, words: dict[str, int]) -> int:
    """Return an answer 1..4, typed as a number or as one of its question's answer labels."""
    text = as_text(value)
    if text is None:
        raise ValueError("jawaban wajib diisi dengan angka 1 sampai 4")
    answer = _whole(text)
    if answer is None:
        answer = words.get(_word(text))
    if answer is None or not 1 <= answer <= 4:
        raise ValueError(f"jawaban harus angka 1 sampai 4 atau kata jawaban pertanyaannya "
                         f"(tertulis '{text}')")
    return answer


def _age(value: object) -> int | None:
    """Return an age in whole years within the accepted range, or None if blank."""
    text = as_text(value)
    if text is None:
        return None
    age = _whole(text)
    if age is None or not AGE_MIN <= age <= AGE_MAX:
        raise ValueError(f"umur harus bilangan bulat {AGE_MIN} sampai {AGE_MAX} "
                         f"(tertulis '{text}')")
    return age


def _choice(field: str, value: object) -> str | None:
    """Return the stored code of a profile value (gender, education, occupation), or None."""
    text = as_text(value)
    if text is None:
        return None
    code = normalise(field, text)
    if code is None:
        raise ValueError(f"'{text}' tidak dikenal; pilihan: {', '.join(VOCABULARIES[field])}")
    return code


def _text(value: object, limit: int) -> str | None:
    """Return free text of at most limit characters, or None if blank."""
    text = as_text(value)
    if text is not None and len(text) > limit:
        raise ValueError(f"lebih dari {limit} karakter ({len(text)})")
    return text


def _client_uuids(unit: ServiceUnit, rows: list[dict[str, object]]) -> list[uuid.UUID]:
    """Return each row's client_uuid: its unit, content, and how many equal rows came before."""
    seen: Counter[str] = Counter()
    uuids = []
    for row in rows:
        # SPKP/SPAK only when answered: rows without them keep the uuids of earlier imports.
        instruments = [[code, *answers] for code, answers in sorted(row["instruments"].items())]
        content = json.dumps([row[column] for column in COLUMNS] + instruments,
                             ensure_ascii=False, default=datetime.isoformat)
        # Counting equal rows keeps two identical respondents apart, and rows appended to a
        # file later leave the earlier rows' uuids unchanged.
        uuids.append(uuid.uuid5(NAMESPACE, f"{unit.id}|{content}|{seen[content]}"))
        seen[content] += 1
    return uuids


def _stored_uuids(session: Session, uuids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Return which of the given client_uuids are already stored."""
    stored = set()
    for start in range(0, len(uuids), CHUNK):
        chunk = uuids[start:start + CHUNK]
        stored.update(session.scalars(
            select(Response.client_uuid).where(Response.client_uuid.in_(chunk))))
    return stored
