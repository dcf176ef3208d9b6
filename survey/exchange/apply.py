"""Import: a verified package's units become local units owned by their source, and their
month rollups replace what an older package of that source wrote; semester rows are summed
again from the month rows, in all three rollup tables and in rollup_instrument (SPKP, SPAK). A unit this server owns is never
touched: only units linked to the package's source are written. A package's populations
replace those of the periods it carries unless a newer package wrote one of the unit's months."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from survey.exchange import reading
from survey.exchange.package import KINDS, sequence_of
from survey.exchange.signing import ExchangeRefused, verify
from survey.instrument_store import KEY as INSTRUMENT_KEY, STATISTICS as INSTRUMENT_STATISTICS
from survey.instrument_store import TABLE as INSTRUMENTS
from survey.models import (Agency, ExchangeMonth, ExchangeSource, ExchangeUnit, Region,
                           ServiceUnit, UnitPopulation, UTCDateTime)
from survey.queries import ROLLUP, ROLLUP_STATISTICS, rollup_statistics
from survey.rollups import span_start


@dataclass
class Applied:
    source: str
    units_created: int = 0
    units_updated: int = 0
    months_written: int = 0
    months_kept: int = 0  # the same or a newer package is already applied
    semesters: set = field(default_factory=set)

    def describe(self) -> str:
        return (f"Paket dari {self.source}: {self.units_created} unit baru, "
                f"{self.units_updated} unit diperbarui, {self.months_written} bulan ditulis, "
                f"{self.months_kept} bulan tidak berubah (paket yang sama atau lebih baru "
                "sudah diterapkan).")


def trusted_source(session: Session, package) -> ExchangeSource:
    """Return the registered source whose key signed a package; raise ExchangeRefused if the
    key is unknown or revoked, or the signature does not match."""
    key = package.get("key_id") if isinstance(package, dict) else None
    source = session.scalar(select(ExchangeSource).where(
        ExchangeSource.key_id == str(key), ExchangeSource.revoked_at.is_(None)))
    if source is None:
        raise ExchangeRefused(f"paket ditolak: kunci {str(key)[:16]!r} tidak terdaftar sebagai "
                              "sumber tepercaya (daftarkan dengan `suara exchange trust`); "
                              "tidak ada yang disimpan")
    verify(package, source.public_key)
    return source


def import_package(session: Session, package, now: datetime) -> Applied:
    """Verify and apply a package in the caller's transaction (flush only)."""
    source = trusted_source(session, package)
    contents = reading.read(package["payload"])
    applied = Applied(source.name)
    for remote in contents.units:
        unit = _local_unit(session, source, remote, applied)
        _apply_populations(session, unit.id, remote, contents.sequence)
        _apply_months(session, unit.id, remote, contents, applied, now)
    for unit_id, semester in sorted(applied.semesters):
        _sum_semester(session, unit_id, semester, now)
    source.server_id = contents.server_id
    created = datetime.fromtimestamp(contents.sequence / 1_000_000, now.tzinfo)
    if source.last_package_at is None or sequence_of(source.last_package_at) < contents.sequence:
        source.last_package_at = created
    session.flush()
    return applied


def _agency(session: Session, chain: tuple[tuple[str, str], ...]) -> int:
    """Return the id of the agency a chain of names reaches, creating what is missing."""
    parent = None
    for name, kind in chain:
        found = session.scalar(select(Agency).where(
            Agency.name == name, Agency.parent_id.is_(None) if parent is None
            else Agency.parent_id == parent.id).order_by(Agency.id).limit(1))
        if found is None:
            found = Agency(name=name, kind=kind, parent_id=parent.id if parent else None)
            session.add(found)
            session.flush()
            found.path = f"{parent.path if parent else '/'}{found.id}/"
        parent = found
    return parent.id


def _free_slug(session: Session, slug: str, source: ExchangeSource) -> str:
    """Return the remote slug if no unit here has it, else one marked with the source."""
    candidate, number = slug, 1
    while session.scalar(select(ServiceUnit.id).where(ServiceUnit.slug == candidate)):
        suffix = f"-{source.id}" + (f"-{number}" if number > 1 else "")
        candidate, number = slug[:80 - len(suffix)] + suffix, number + 1
    return candidate


def _local_unit(session: Session, source: ExchangeSource, remote, applied: Applied):
    if session.get(Region, remote.region_code) is None:
        raise ExchangeRefused(f"paket ditolak: kode wilayah {remote.region_code} unit "
                              f"{remote.slug} tidak dikenal di server ini")
    link = session.scalar(select(ExchangeUnit).where(
        ExchangeUnit.source_id == source.id, ExchangeUnit.remote_id == remote.remote_id))
    fields = {"name": remote.name, "agency_id": _agency(session, remote.agency),
              "region_code": remote.region_code, "status": remote.status}
    if link is not None:
        unit = session.get(ServiceUnit, link.unit_id)
        for name, value in fields.items():
            setattr(unit, name, value)
        applied.units_updated += 1
        return unit
    unit = ServiceUnit(slug=_free_slug(session, remote.slug, source), **fields)
    session.add(unit)
    session.flush()
    session.add(ExchangeUnit(unit_id=unit.id, source_id=source.id, remote_id=remote.remote_id))
    session.flush()
    applied.units_created += 1
    return unit


def _apply_populations(session: Session, unit_id: int, remote, sequence: int) -> None:
    """Write the populations of the periods a package carries, unless a newer package has
    already written one of the unit's months (then its populations are the newer ones)."""
    newest = session.scalar(select(func.max(ExchangeMonth.package_sequence))
                            .where(ExchangeMonth.unit_id == unit_id))
    if newest is not None and newest > sequence:
        return
    for label, population in remote.populations.items():
        row = session.get(UnitPopulation, (unit_id, label))
        if row is None:
            session.add(UnitPopulation(unit_id=unit_id, period_label=label,
                                       population=population))
        else:
            row.population = population


def _apply_months(session: Session, unit_id: int, remote, contents, applied: Applied,
                  now: datetime) -> None:
    """Replace the month rows a package holds newer figures of (its months without a row
    are months without answers)."""
    first, last, sequence = contents.first, contents.last, contents.sequence
    marks = {row.starts_on: row for row in session.scalars(select(ExchangeMonth).where(
        ExchangeMonth.unit_id == unit_id, ExchangeMonth.starts_on.between(first, last)))}
    stored = set(session.scalars(select(ROLLUP.c.starts_on).where(
        ROLLUP.c.unit_id == unit_id, ROLLUP.c.months == 1,
        ROLLUP.c.starts_on.between(first, last))))
    months = set(remote.months) | stored | set(marks)
    changed = sorted(m for m in months if m not in marks or marks[m].package_sequence < sequence)
    applied.months_kept += len(months) - len(changed)
    if not changed:
        return
    for kind, table in KINDS.items():
        session.execute(delete(table).where(table.c.unit_id == unit_id, table.c.months == 1,
                                            table.c.starts_on.in_(changed)))
        rows = [{"unit_id": unit_id, "months": 1, "starts_on": month, "updated_at": now,
                 **remote.months[month][kind]}
                for month in changed if kind in remote.months.get(month, {})]
        if rows:
            session.execute(insert(table), rows)
    _replace_instruments(session, unit_id, remote, changed, now)
    for month in changed:
        if month in marks:
            marks[month].package_sequence = sequence
        else:
            session.add(ExchangeMonth(unit_id=unit_id, starts_on=month, package_sequence=sequence))
        applied.semesters.add((unit_id, span_start(month, 6)))
    applied.months_written += len([m for m in changed if m in remote.months])


def _replace_instruments(session: Session, unit_id: int, remote, changed: list[date],
                         now: datetime) -> None:
    """Replace the SPKP/SPAK month rows of the changed months by the package's (a package
    without them, from a server without them, leaves the months without instrument rows)."""
    session.execute(delete(INSTRUMENTS).where(
        INSTRUMENTS.c.unit_id == unit_id, INSTRUMENTS.c.months == 1,
        INSTRUMENTS.c.starts_on.in_(changed)))
    rows = [{"unit_id": unit_id, "months": 1, "starts_on": month, "instrument": instrument,
             "scale_max": scale_max, "updated_at": now, **statistics}
            for month in changed
            for (instrument, scale_max), statistics
            in sorted(remote.instruments.get(month, {}).items())]
    if rows:
        session.execute(insert(INSTRUMENTS), rows)


def _sum_instrument_semester(session: Session, unit_id: int, semester: date, end: date,
                             now: datetime) -> None:
    """Write a semester's SPKP/SPAK rows as the sums of its month rows, per instrument and
    scale."""
    session.execute(delete(INSTRUMENTS).where(
        INSTRUMENTS.c.unit_id == unit_id, INSTRUMENTS.c.months == 6,
        INSTRUMENTS.c.starts_on == semester))
    sums = (select(INSTRUMENTS.c.unit_id, literal(6), literal(semester, Date),
                   INSTRUMENTS.c.instrument, INSTRUMENTS.c.scale_max,
                   *(func.sum(INSTRUMENTS.c[name]) for name in INSTRUMENT_STATISTICS),
                   literal(now, UTCDateTime()))
            .where(INSTRUMENTS.c.unit_id == unit_id, INSTRUMENTS.c.months == 1,
                   INSTRUMENTS.c.starts_on.between(semester, end))
            .group_by(INSTRUMENTS.c.unit_id, INSTRUMENTS.c.instrument, INSTRUMENTS.c.scale_max))
    session.execute(insert(INSTRUMENTS).from_select(
        [*INSTRUMENT_KEY, *INSTRUMENT_STATISTICS, "updated_at"], sums))


def _sum_semester(session: Session, unit_id: int, semester: date, now: datetime) -> None:
    """Write a semester's rows as the sums of its month rows, in each rollup table."""
    end = semester.replace(month=semester.month + 5)
    for table in KINDS.values():
        session.execute(delete(table).where(table.c.unit_id == unit_id, table.c.months == 6,
                                            table.c.starts_on == semester))
        sums = (select(table.c.unit_id, literal(6), literal(semester, Date),
                       *rollup_statistics(ROLLUP_STATISTICS, table), literal(now, UTCDateTime()))
                .where(table.c.unit_id == unit_id, table.c.months == 1,
                       table.c.starts_on.between(semester, end))
                .group_by(table.c.unit_id).having(func.count() > 0))
        session.execute(insert(table).from_select(
            ["unit_id", "months", "starts_on", *ROLLUP_STATISTICS, "updated_at"], sums))
    _sum_instrument_semester(session, unit_id, semester, end, now)
