"""Importing service units, their agencies and service points from a spreadsheet (all or nothing).

Columns: slug, name, region_code, agency (a path such as 'Kementerian Kesehatan/Dinas Kesehatan
Kota Surabaya'), service_points (names separated by ';'). Importing again updates names and adds
missing points; nothing is ever deleted, since responses refer to units and points.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.models import Agency, Region, ServicePoint, ServiceUnit
from survey.tabular import ImportFailed, RowError, as_text, read_table
from survey.tokens import point_token

COLUMNS = ("slug", "name", "region_code", "agency", "service_points")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX, NAME_MAX = 80, 200
DEFAULT_POINT = "Loket Utama"
CHUNK = 500


@dataclass(frozen=True)
class UnitRow:
    slug: str
    name: str
    region_code: str
    agency: tuple[str, ...]
    points: tuple[str, ...]


@dataclass(frozen=True)
class UnitImportResult:
    units_created: int
    units_updated: int
    agencies_created: int
    points_created: int

    def describe(self) -> str:
        """Return a one-line Indonesian summary."""
        return (f"Unit layanan: {self.units_created} dibuat, {self.units_updated} diperbarui; "
                f"instansi: {self.agencies_created} dibuat; "
                f"titik layanan: {self.points_created} dibuat.")


def import_units(session: Session, path: Path) -> UnitImportResult:
    """Create or update the units of a CSV/XLSX file; raise ImportFailed if any row is bad."""
    rows = _validate(session, path)
    slugs = [row.slug for row in rows]
    agencies = _AgencyTree(session)
    units = _existing_units(session, slugs)
    stored_points = _stored_point_names(session, slugs)
    missing = {row.slug: _missing_points(row, stored_points.get(row.slug, set()))
               for row in rows}
    tokens = iter(new_point_tokens(session, sum(len(names) for names in missing.values())))
    created = updated = 0
    for row in rows:
        agency = agencies.resolve(row.agency)
        unit = units.get(row.slug)
        if unit is None:
            unit = ServiceUnit(slug=row.slug, name=row.name, region_code=row.region_code,
                               agency=agency)
            session.add(unit)
            created += 1
        elif (unit.name, unit.region_code, unit.agency_id) != (
                row.name, row.region_code, agency.id):
            unit.name, unit.region_code, unit.agency = row.name, row.region_code, agency
            updated += 1
        for name in missing[row.slug]:
            session.add(ServicePoint(unit=unit, name=name, token=next(tokens)))
    session.flush()
    points_created = sum(len(names) for names in missing.values())
    return UnitImportResult(created, updated, agencies.created, points_created)


def _validate(session: Session, path: Path) -> list[UnitRow]:
    """Read and check every row; raise ImportFailed with all problems found."""
    table = read_table(path, COLUMNS)
    regions = set(session.scalars(select(Region.code)))
    first_row_of: dict[str, int] = {}
    rows, errors = [], []
    for number, values in table.rows:
        row, row_errors = _check_row(number, values, regions, first_row_of)
        rows.append(row)
        errors.extend(row_errors)
    if errors:
        raise ImportFailed(errors)
    return rows


def _check_row(number: int, values: dict, regions: set[str],
               first_row_of: dict[str, int]) -> tuple[UnitRow | None, list[RowError]]:
    """Return one row's values, or its problems; remember the row of each new slug."""
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    slug = _check_slug(as_text(values.get("slug")), fail)
    if slug is not None and slug in first_row_of:
        fail("slug", f"slug '{slug}' sudah dipakai di baris {first_row_of[slug]}")
    elif slug is not None:
        first_row_of[slug] = number
    name = _check_name(values.get("name"), fail)
    region_code = _region_code(values.get("region_code"))
    if region_code is None:
        fail("region_code", "kode wilayah wajib diisi")
    elif region_code not in regions:
        fail("region_code", f"kode wilayah {region_code} tidak dikenal")
    agency = _check_agency(as_text(values.get("agency")), fail)
    points = _check_points(as_text(values.get("service_points")), fail)
    if errors:
        return None, errors
    return UnitRow(slug, name, region_code, agency, points), errors


def _check_slug(slug: str | None, fail) -> str | None:
    """Return a valid slug, or report why it is not and return None."""
    if slug is None:
        fail("slug", "slug wajib diisi")
    elif len(slug) > SLUG_MAX:
        fail("slug", f"slug lebih dari {SLUG_MAX} karakter")
    elif not SLUG.fullmatch(slug):
        fail("slug", f"slug '{slug}' hanya boleh berisi huruf kecil, angka dan tanda hubung "
                     "(contoh: puskesmas-kenjeran)")
    else:
        return slug
    return None


def _check_name(value: object, fail) -> str | None:
    """Return the unit name with spaces collapsed, or report why it is not valid."""
    name = _collapse(as_text(value))
    if not name:
        fail("name", "nama unit wajib diisi")
    elif len(name) > NAME_MAX:
        fail("name", f"nama unit lebih dari {NAME_MAX} karakter")
    return name


def _region_code(value: object) -> str | None:
    """Return a region code as text, repairing what spreadsheets do to '35.10'."""
    # A code typed into Excel becomes a number (35.1); a regency code always has 2 decimals.
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    text = as_text(value)
    if text is not None and re.fullmatch(r"\d{2}\.\d", text):
        text += "0"
    return text


def _check_agency(text: str | None, fail) -> tuple[str, ...]:
    """Split an agency path into its levels, reporting a blank path or a too long name."""
    parts = tuple(part for part in (_collapse(p) for p in (text or "").split("/")) if part)
    if not parts:
        fail("agency", "instansi wajib diisi (contoh: Kementerian Kesehatan/Dinas Kesehatan)")
    for part in parts:
        if len(part) > NAME_MAX:
            fail("agency", f"nama instansi '{part[:40]}…' lebih dari {NAME_MAX} karakter")
    return parts


def _check_points(text: str | None, fail) -> tuple[str, ...]:
    """Split the ';'-separated point names, without repeats."""
    names = [name for name in (_collapse(n) for n in (text or "").split(";")) if name]
    for name in names:
        if len(name) > NAME_MAX:
            fail("service_points", f"nama titik layanan '{name[:40]}…' lebih dari "
                                   f"{NAME_MAX} karakter")
    return tuple(dict.fromkeys(names))


def _collapse(text: str | None) -> str:
    """Return text with runs of white space made single and the ends trimmed."""
    return " ".join((text or "").split())


class _AgencyTree:
    """The agencies by (parent id, name), creating missing levels of a path on demand."""

    def __init__(self, session: Session):
        self.session = session
        self.by_key = {(a.parent_id, a.name): a for a in session.scalars(select(Agency))}
        self.created = 0

    def resolve(self, names: tuple[str, ...]) -> Agency:
        """Return the agency at the end of a path of names, creating missing levels."""
        parent = None
        for name in names:
            agency = self.by_key.get((parent.id if parent else None, name))
            if agency is None:
                agency = self._create(parent, name)
            parent = agency
        return parent

    def _create(self, parent: Agency | None, name: str) -> Agency:
        """Add an agency under parent; flush for the id that its materialised path needs."""
        top = parent is None
        kind = "kementerian" if top and name.lower().startswith("kementerian") else "instansi"
        agency = Agency(name=name, kind=kind, parent=parent)
        self.session.add(agency)
        self.session.flush()
        agency.path = f"{parent.path if parent else '/'}{agency.id}/"
        self.by_key[(parent.id if parent else None, name)] = agency
        self.created += 1
        return agency


def _chunks(values: list) -> list[list]:
    """Split values into lists short enough for an SQL IN (...)."""
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def _existing_units(session: Session, slugs: list[str]) -> dict[str, ServiceUnit]:
    """Return the stored units among the given slugs, by slug."""
    return {unit.slug: unit for chunk in _chunks(slugs) for unit in session.scalars(
        select(ServiceUnit).where(ServiceUnit.slug.in_(chunk)))}


def _stored_point_names(session: Session, slugs: list[str]) -> dict[str, set[str]]:
    """Return the names of the points the given units already have, by unit slug."""
    names: dict[str, set[str]] = {}
    for chunk in _chunks(slugs):
        for slug, name in session.execute(
                select(ServiceUnit.slug, ServicePoint.name).join(ServicePoint.unit)
                .where(ServiceUnit.slug.in_(chunk))):
            names.setdefault(slug, set()).add(name)
    return names


def _missing_points(row: UnitRow, stored: set[str]) -> list[str]:
    """Return the point names of a row that its unit lacks."""
    # A blank cell asks for one default point, but only for a unit that has no point yet.
    names = row.points or (() if stored else (DEFAULT_POINT,))
    return [name for name in names if name not in stored]


def new_point_tokens(session: Session, count: int) -> list[str]:
    """Return count fresh unguessable service-point tokens, easy to type from a poster."""
    tokens: set[str] = set()
    while len(tokens) < count:
        # 64 random bits: a clash is all but impossible, but a stored one would fail the flush.
        candidates = {point_token() for _ in range(count - len(tokens))} - tokens
        taken = {token for chunk in _chunks(list(candidates)) for token in session.scalars(
            select(ServicePoint.token).where(ServicePoint.token.in_(chunk)))}
        tokens |= candidates - taken
    return list(tokens)
