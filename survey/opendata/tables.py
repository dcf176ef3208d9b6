"""The rows of an open data file: a closed semester's published figures of every unit with
counted answers, as the public results page (/hasil/<slug>?period=…) shows them and no more.

Below the minimum sample (survey/samples.py) a figure is provisional on the page: its index,
interval and element values are shown, its grade is not. The files do the same: `mutu` and
`kinerja_unit` stay empty, `sementara` is true and the page's note is given. Numbers carry
the places the page prints: the index and its interval 2 (konversi, as PermenPANRB 14/2017
publishes it), each element's NRR 3.
"""

import csv
import io
import json
from decimal import Decimal

from sqlalchemy.orm import Session

from analysis import stats
from analysis.bounded import METHOD as INTERVAL_METHOD
from analysis.elements import ELEMENT_CODES
from analysis.report.cells import csv_value
from analysis.report.sheets import BOM
from survey import indices, samples
from survey.figures import Figures
from survey.formatting import integer
from survey.i18n import translate
from survey.opendata.queries import UnitIdentity, unit_identities
from survey.periods import Period
from survey.scopes import NATIONAL

LICENSE = "https://creativecommons.org/licenses/by/4.0/"
NRR_COLUMNS = tuple(f"nrr_{code.lower()}" for code in ELEMENT_CODES)
# Column: what it holds (the data dictionary of the files, shown on the /data page).
COLUMNS = {
    "periode": "Label periode (semester), misalnya 2026-S1",
    "slug": "Kode alamat unit layanan (/hasil/<slug>)",
    "nama_unit": "Nama unit layanan",
    "instansi": "Instansi induk unit",
    "kode_provinsi": "Kode provinsi (Kemendagri)",
    "nama_provinsi": "Nama provinsi",
    "kode_kabupaten_kota": "Kode kabupaten/kota (Kemendagri); kosong untuk unit tingkat provinsi",
    "nama_kabupaten_kota": "Nama kabupaten/kota",
    "jumlah_responden": "Jumlah responden yang dihitung",
    "ikm_konversi": "IKM konversi (25–100), 2 desimal, bobot 1/9",
    "mutu": "Mutu pelayanan A–D; kosong bila angka sementara",
    "kinerja_unit": "Kinerja unit (Sangat baik … Tidak baik); kosong bila angka sementara",
    "selang_95_bawah": "Batas bawah selang kepercayaan 95 % IKM konversi",
    "selang_95_atas": "Batas atas selang kepercayaan 95 % IKM konversi",
    "sementara": "true bila responden kurang dari minimal (angka sementara)",
    "minimal_responden": "Minimal responden untuk menetapkan mutu",
    "keterangan_sementara": "Keterangan angka sementara, seperti di halaman hasil",
    "populasi": "Jumlah layanan pada periode itu, bila dicatat",
    "sampel_minimal": "Ukuran sampel menurut Krejcie dan Morgan",
    "sampel_memadai": "true bila jumlah responden mencapai ukuran sampel itu",
    "keterangan_sampel": "Keterangan kecukupan sampel, seperti di halaman hasil",
    **{column: f"Nilai rata-rata unsur {column[4:].upper()} (NRR, 1–4), 3 desimal"
       for column in NRR_COLUMNS},
}


def _places(value, places: int) -> Decimal | None:
    """Return a number as the page prints it (survey.formatting.number), as a Decimal."""
    return None if value is None else Decimal(f"{Decimal(str(value)):.{places}f}")


def _sample_note(adequacy: stats.Adequacy, population: int | None) -> str:
    """Return the page's sentence on the sample's adequacy."""
    where = translate("id", "results.population", n=integer(population)) if population else ""
    key = "results.sample.adequate" if adequacy.adequate else "results.sample.short"
    return translate("id", key, required=integer(adequacy.required), population=where)


def _row(period: Period, unit: UnitIdentity, f: Figures) -> dict:
    """Return one unit's row: what its public results page shows for the period."""
    adequacy = stats.sample_adequacy(f.respondents, unit.population)
    grade = None if f.provisional else f.grade
    note = (translate("id", "results.provisional_note", n=integer(f.respondents),
                      minimum=integer(f.min_respondents)) if f.provisional else None)
    return {
        "periode": period.label, "slug": unit.slug, "nama_unit": unit.name,
        "instansi": unit.agency, "kode_provinsi": unit.province_code,
        "nama_provinsi": unit.province, "kode_kabupaten_kota": unit.regency_code,
        "nama_kabupaten_kota": unit.regency, "jumlah_responden": f.respondents,
        "ikm_konversi": _places(f.konversi, 2),
        "mutu": grade.letter if grade else None, "kinerja_unit": grade.label_id if grade else None,
        "selang_95_bawah": _places(f.ci.low, 2) if f.ci else None,
        "selang_95_atas": _places(f.ci.high, 2) if f.ci else None,
        "sementara": f.provisional, "minimal_responden": f.min_respondents,
        "keterangan_sementara": note, "populasi": unit.population,
        "sampel_minimal": adequacy.required, "sampel_memadai": adequacy.adequate,
        "keterangan_sampel": _sample_note(adequacy, unit.population),
        **{f"nrr_{e.code.lower()}": _places(e.nrr, 3) for e in f.elements},
    }


def unit_rows(session: Session, period: Period) -> list[dict]:
    """Return the rows of a closed semester, by province, regency and slug."""
    identities = unit_identities(session, period.starts_on, period.label)
    rows = [_row(period, identities[f.key], f)
            for f in indices.group_figures(session, NATIONAL, period, "unit")
            if f.has_data and f.key in identities]
    return sorted(rows, key=lambda row: (row["kode_provinsi"], row["kode_kabupaten_kota"] or "",
                                         row["slug"]))


def _csv_cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, Decimal) else value


def csv_bytes(rows: list[dict]) -> bytes:
    """Return the rows as CSV the way the other exports write it: UTF-8 with a byte-order
    mark, CRLF lines, text that could start a formula neutralised (analysis/report/cells.py)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([csv_value(_csv_cell(row[column])) for column in COLUMNS])
    return (BOM + buffer.getvalue()).encode()


def _json_value(value):
    return float(value) if isinstance(value, Decimal) else value


def json_bytes(period: Period, rows: list[dict], page: str) -> bytes:
    """Return the rows as a JSON document, with the period and how the figures were made."""
    document = {
        "periode": {"label": period.label, "nama": period.name,
                    "mulai": period.starts_on.isoformat(), "selesai": period.ends_on.isoformat()},
        "lisensi": LICENSE,
        "kamus_data": page,
        "metode": {"bobot": "1/9 (PermenPANRB No. 14 Tahun 2017)",
                   "selang_kepercayaan": INTERVAL_METHOD,
                   "minimal_responden": samples.min_respondents()},
        "unit": [{column: _json_value(row[column]) for column in COLUMNS} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()
