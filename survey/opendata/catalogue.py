"""Which semesters are published as open data, and their DCAT-US 1.1 catalogue (/data.json).

A semester is published once it is closed everywhere in Indonesia (its last day is over in
WIB, the last zone to finish a day) and has counted answers; an open one never is, so a file
never shows a figure that is still moving. The catalogue follows the Project Open Data
metadata schema v1.1 (DCAT-US), the format CKAN's data.json harvester reads.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from survey import periods
from survey.formatting import integer
from survey.entry_dates import EARLIEST
from survey.opendata.queries import SemesterState, semester_states
from survey.opendata.tables import LICENSE
from survey.periods import Period
from survey.regions import WIB

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
KEYWORDS = ("survei kepuasan masyarakat", "SKM", "indeks kepuasan masyarakat", "IKM",
            "pelayanan publik", "PermenPANRB 14/2017")
DEFAULT_PUBLISHER = "SUARA – Survei Kepuasan Masyarakat"
_SEMESTER = re.compile(r"^[0-9]{4}-S[12]$", re.ASCII)
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


@dataclass(frozen=True)
class Dataset:
    period: Period
    state: SemesterState


def closing_day() -> date:
    """Return today in WIB (UTC+7): a day is over everywhere in Indonesia only once it is
    over there."""
    return datetime.now(WIB).date()


def published(session: Session, today: date) -> list[Dataset]:
    """Return the closed semesters with counted answers, newest first."""
    last = periods.shifted(periods.current_semester(today), -1)
    if last is None or last.starts_on < EARLIEST:
        return []
    states = semester_states(session, EARLIEST, last.starts_on)
    return [Dataset(periods.current_semester(state.starts_on), state)
            for state in reversed(states)]


class NotPublished(LookupError):
    """A period that has no open data file, with the reason in Indonesian."""


def find(session: Session, label: str, today: date) -> Dataset:
    """Return the published semester a label names; raise NotPublished otherwise."""
    if not isinstance(label, str) or not _SEMESTER.match(label):
        raise NotPublished("Data terbuka tersedia per semester, dengan label seperti 2026-S1.")
    try:
        period = periods.parse(label)
    except periods.UnknownPeriod:
        raise NotPublished(f"Periode {label} tidak dikenal.") from None
    if period.starts_on > today:
        raise NotPublished(f"{period.name} belum dimulai.")
    if period.ends_on >= today:
        raise NotPublished(
            f"{period.name} masih berjalan sampai {period.ends_on:%d-%m-%Y}. Angkanya baru "
            "diterbitkan sebagai data terbuka setelah periode itu selesai.")
    for dataset in published(session, today):
        if dataset.period.label == period.label:
            return dataset
    raise NotPublished(f"Belum ada jawaban yang dihitung pada {period.name}.")


def contact_email(configured: str, base_url: str) -> str:
    """Return the catalogue's contact address: the configured one, else data@ the public
    host (data@example.org where the host has no domain, as on a laptop)."""
    if configured:
        return configured
    host = urlsplit(base_url).hostname or ""
    return f"data@{host}" if "." in host and not host.replace(".", "").isdigit() \
        else "data@example.org"


def _timestamp(moment: datetime) -> str:
    """Return a stored time as ISO 8601 in UTC (a stored time without zone is UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dataset(dataset: Dataset, base: str, publisher: str, email: str) -> dict:
    period, state = dataset.period, dataset.state
    files = f"{base}/data/{period.label}/units"
    return {
        "@type": "dcat:Dataset",
        "title": f"Indeks Kepuasan Masyarakat per unit layanan, {period.name}",
        "description": (
            f"Hasil Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017) {period.name} "
            f"({period.starts_on:%d-%m-%Y} s.d. {period.ends_on:%d-%m-%Y}): satu baris per unit "
            f"layanan ({integer(state.units)} unit, {integer(state.respondents)} responden) "
            "dengan jumlah responden, IKM konversi, mutu pelayanan, selang kepercayaan 95 %, kecukupan "
            "sampel dan nilai rata-rata tiap unsur U1–U9. Angka dari responden kurang dari "
            "minimal ditandai sementara, tanpa mutu."),
        "keyword": list(KEYWORDS),
        "modified": _timestamp(state.updated_at),
        "publisher": {"@type": "org:Organization", "name": publisher},
        "contactPoint": {"@type": "vcard:Contact", "fn": f"Pengelola data {publisher}",
                         "hasEmail": f"mailto:{email}"},
        "identifier": f"{base}/data/{period.label}",
        "accessLevel": "public",
        "license": LICENSE,
        "temporal": f"{period.starts_on.isoformat()}/{period.ends_on.isoformat()}",
        "spatial": "Indonesia",
        "language": ["id"],
        "landingPage": f"{base}/data",
        "describedBy": f"{base}/data#kolom",
        "describedByType": "text/html",
        "theme": ["Pelayanan publik"],
        "distribution": [
            {"@type": "dcat:Distribution", "downloadURL": f"{files}.{fmt}",
             "mediaType": media, "format": fmt.upper(),
             "title": f"IKM per unit layanan {period.label} ({fmt.upper()})"}
            for fmt, media in MEDIA_TYPES.items()],
    }


def catalogue(datasets: list[Dataset], base: str, publisher: str, email: str) -> dict:
    """Return the DCAT-US 1.1 catalogue of the published semesters."""
    return {
        "@context": f"{SCHEMA}/catalog.jsonld",
        "@id": f"{base}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": f"{SCHEMA}/catalog.json",
        "dataset": [_dataset(dataset, base, publisher, email) for dataset in datasets],
    }
