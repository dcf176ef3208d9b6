"""Indonesian regions (Kemendagri codes): loading and time zones."""

import csv
from datetime import timedelta, timezone
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.models import Region

WIB = timezone(timedelta(hours=7), "WIB")
WITA = timezone(timedelta(hours=8), "WITA")
WIT = timezone(timedelta(hours=9), "WIT")

# Provinces outside WIB, by Kemendagri code (Keppres 41/1987 and the later splits).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}

LEVELS = ("provinsi", "kabupaten_kota")


def timezone_for(region_code: str) -> timezone:
    """Return the fixed-offset time zone (WIB, WITA or WIT) of a region's province."""
    province = region_code[:2]
    if province in _WIT:
        return WIT
    if province in _WITA:
        return WITA
    return WIB


def bundled_csv() -> Path:
    """Return the path of the region list shipped inside the package."""
    return Path(str(resources.files("survey") / "data" / "wilayah-provinsi-kabkota.csv"))


def read_regions(path: Path) -> list[dict]:
    """Read a Kemendagri region CSV (kode, nama, tingkat, kode_induk) into row dicts."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if row.get("tingkat") not in LEVELS or not row.get("kode") or not row.get("nama"):
            raise ValueError(f"baris {number}: kode, nama dan tingkat wajib diisi dengan benar")
    return [
        {"code": r["kode"].strip(), "name": r["nama"].strip(), "level": r["tingkat"],
         "parent_code": (r.get("kode_induk") or "").strip() or None}
        for r in rows
    ]


def load_regions(session: Session, path: Path) -> tuple[int, int]:
    """Insert or update regions from a CSV; return (added, updated). Idempotent."""
    existing = {r.code: r for r in session.scalars(select(Region))}
    added = updated = 0
    # Provinces first so that every regency's parent exists when it is flushed.
    for row in sorted(read_regions(path), key=lambda r: (r["level"] != "provinsi", r["code"])):
        region = existing.get(row["code"])
        if region is None:
            session.add(Region(**row))
            added += 1
        elif (region.name, region.level, region.parent_code) != (
                row["name"], row["level"], row["parent_code"]):
            region.name, region.level, region.parent_code = (
                row["name"], row["level"], row["parent_code"])
            updated += 1
    session.flush()
    return added, updated
