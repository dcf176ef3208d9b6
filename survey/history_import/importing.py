"""Reading a history file into a plan (source, mapping, rows, problems), and storing it."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import audit
from survey.history_import import mapping
from survey.history_import.formats import KIND_NAMES, Source, read_source
from survey.models import AuditEvent, ServiceUnit, User
from survey.response_import import ResponseImportResult, import_table, validate_table
from survey.responses import unit_questionnaire
from survey.tabular import ImportFailed, RowError, Table

MAX_ROWS = 20_000  # a unit collects a few hundred answers a semester: years of them


@dataclass(frozen=True)
class Plan:
    source: Source
    fields: list[str]
    from_saved: bool  # the mapping is the one saved for this header
    table: Table | None  # None while the mapping has problems
    problems: list[str]  # of the mapping, in Indonesian
    errors: list[RowError]  # of the rows, named by the source's row and column

    @property
    def ready(self) -> bool:
        return not self.problems and not self.errors

    def preview(self, limit: int = 10) -> list[tuple[int, list[object]]]:
        """Return the first rows in SUARA's columns, as (row number, values)."""
        if self.table is None:
            return []
        return [(number, [values[column] for column in self.table.columns])
                for number, values in self.table.rows[:limit]]


def plan(session: Session, unit: ServiceUnit, path: Path, *, kind: str | None = None,
         fields: list[str] | None = None, day: date | None = None,
         use_saved: bool = True) -> Plan:
    """Read a file and check it under the given mapping, else the saved one, else a guess;
    raise ImportFailed for a file that cannot be read at all."""
    source = read_source(path, kind, MAX_ROWS)
    if source.kind == "suara":
        raise ImportFailed([RowError(None, None, "berkas ini berformat kolom SUARA sendiri; "
                                                 "impor dengan `suara import` tanpa --format")])
    questionnaire = unit_questionnaire(session, unit.id)
    stored = mapping.saved(session, unit, source.kind, source.header) if use_saved else None
    if fields is None or len(fields) != len(source.header):
        fields = stored or mapping.guess(source.header, mapping.questions_of(questionnaire))
    problems = mapping.problems(fields, day is not None)
    if problems:
        return Plan(source, fields, fields == stored, None, problems, [])
    table = mapping.apply(source, fields, day)
    try:
        validate_table(unit, table, questionnaire)
        errors = []
    except ImportFailed as failure:
        errors = _named(failure.errors, source, fields)
    return Plan(source, fields, fields == stored, table, [], errors)


def _named(errors: list[RowError], source: Source, fields: list[str]) -> list[RowError]:
    """Return row errors named by the source's column letter and header, not SUARA's names."""
    where = {field: index for index, field in enumerate(fields)}
    named = []
    for error in errors:
        index = where.get(error.column)
        column = (f"{mapping.letter(index)} ({source.header[index][:40]})" if index is not None
                  else mapping.FIELD_NAMES.get(error.column or "", error.column))
        named.append(RowError(error.row, column, error.message))
    return named


def store(session: Session, unit: ServiceUnit, ready: Plan, file_name: str,
          user: User | None, scales: dict[str, int] | None = None
          ) -> tuple[ResponseImportResult, int]:
    """Store a plan's new rows, save its mapping and audit the import (the caller commits);
    return the result and the audit event's id."""
    if not ready.ready:
        raise ImportFailed(ready.errors or [RowError(None, None, p) for p in ready.problems])
    kind = ready.source.kind
    result = import_table(session, unit, ready.table, unit_questionnaire(session, unit.id),
                          file_name=file_name, user=user,
                          note=f"Impor riwayat {KIND_NAMES[kind]}:", scales=scales)
    mapping.save(session, unit, kind, ready.source.header, ready.fields, user)
    event = audit.record(session, "history.import", f"unit:{unit.id}", unit_id=unit.id, detail={
        "source": kind, "file": file_name[:200], "rows": len(ready.table.rows),
        "imported": result.imported, "already_present": result.already_present,
        "fingerprint": mapping.fingerprint(kind, ready.source.header)})
    session.flush()
    return result, event.id


def import_event(session: Session, unit: ServiceUnit, event_id: int) -> AuditEvent | None:
    """Return the audit event of one of a unit's history imports."""
    return session.scalars(select(AuditEvent).where(
        AuditEvent.id == event_id, AuditEvent.unit_id == unit.id,
        AuditEvent.action == "history.import")).first()
