"""Batches of staff-entered answers (DESIGN.md §7a): a unit's staff types paper or interview
sheets in a batch it declared beforehand (how many sheets, their numbers, the days they cover),
opened and closed as audit events, so that the level above can see what was typed in."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey import audit
from survey.entry_dates import DateBounds, answer_bounds
from survey.models import BatchScan, EntryBatch, Response, ServiceUnit, User, utcnow

CHANNEL_NAMES = {"paper": "kuesioner kertas", "interview": "wawancara"}


@dataclass(frozen=True)
class BatchRow:
    batch: EntryBatch
    entered: int  # sheets typed into it
    scans: int


def open_batch(session: Session, unit: ServiceUnit, user: User | None, *, channel: str,
               sheet_numbers: str, sheets_declared: int, first_day: date, last_day: date,
               note: str | None) -> EntryBatch:
    """Open a batch for a unit's staff member and record it in the audit log."""
    batch = EntryBatch(unit_id=unit.id, user_id=user.id if user else None, channel=channel,
                       sheet_numbers=sheet_numbers, sheets_declared=sheets_declared,
                       first_day=first_day, last_day=last_day, note=note)
    session.add(batch)
    session.flush()
    audit.record(session, "batch.open", f"batch:{batch.id}", unit_id=unit.id,
                 detail={"channel": channel, "sheet_numbers": sheet_numbers,
                         "sheets_declared": sheets_declared, "first_day": first_day.isoformat(),
                         "last_day": last_day.isoformat()})
    return batch


def entered(session: Session, batch_id: int) -> int:
    """Return how many sheets were typed into a batch."""
    return session.scalar(select(func.count()).select_from(Response)
                          .where(Response.batch_id == batch_id))


def close_batch(session: Session, batch: EntryBatch) -> int:
    """Close a batch, recording the sheets declared and typed in; return the sheets typed in."""
    count = entered(session, batch.id)
    batch.closed_at = utcnow()
    audit.record(session, "batch.close", f"batch:{batch.id}", unit_id=batch.unit_id,
                 detail={"channel": batch.channel, "sheets_declared": batch.sheets_declared,
                         "sheets_entered": count})
    return count


def unit_batch(session: Session, unit: ServiceUnit, batch_id: int,
               for_update: bool = False) -> EntryBatch | None:
    """Return a batch of a unit (locked for the rest of the transaction with for_update)."""
    query = select(EntryBatch).where(EntryBatch.id == batch_id, EntryBatch.unit_id == unit.id)
    return session.scalars(query.with_for_update() if for_update else query).first()


def sheet_bounds(batch: EntryBatch, unit: ServiceUnit, now: datetime) -> DateBounds:
    """Return the days a sheet of a batch may carry: the unit's bounds, cut to the batch's."""
    bounds = answer_bounds(unit, now)
    return DateBounds(max(bounds.earliest, batch.first_day), min(bounds.latest, batch.last_day))


def full_problem(session: Session, batch: EntryBatch) -> str | None:
    """Return why a batch takes no more sheets, in Indonesian, or None."""
    if batch.closed_at is not None:
        return "Batch ini sudah ditutup: buka batch baru untuk lembar berikutnya."
    if entered(session, batch.id) >= batch.sheets_declared:
        return (f"Batch ini sudah berisi {batch.sheets_declared} lembar sesuai jumlah yang "
                "dinyatakan: tutup batch ini dan buka batch baru.")
    return None


def unit_batches(session: Session, unit_id: int, limit: int = 50) -> list[BatchRow]:
    """Return a unit's batches, open ones first, newest first, with their counts."""
    sheets = (select(func.count()).where(Response.batch_id == EntryBatch.id)
              .correlate(EntryBatch).scalar_subquery())
    scans = (select(func.count()).where(BatchScan.batch_id == EntryBatch.id)
             .correlate(EntryBatch).scalar_subquery())
    rows = session.execute(
        select(EntryBatch, sheets, scans).where(EntryBatch.unit_id == unit_id)
        .order_by(EntryBatch.closed_at.is_not(None), EntryBatch.id.desc()).limit(limit))
    return [BatchRow(*row) for row in rows]
