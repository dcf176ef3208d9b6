"""The plain data of a unit's Laporan Hasil SPKP dan SPAK (analysis/report/zi_pdf.py).

Answer counts per item come from the unit's counted answers in the period, the respondents'
totals and their squares (the interval) from rollup_instrument, both through
survey/instrument_figures.py; the unit's ZI kind picks the targets, its report profile the
signatory, as the SKM report's.
"""

from datetime import date

from sqlalchemy.orm import Session

from analysis import instruments
from analysis.report import data, sheets
from analysis.report.zi_results import instrument_result
from survey import instrument_figures, queries, report_profiles, zone_figures, zones
from survey.models import INSTRUMENT_CODES, ServiceUnit
from survey.periods import Period
from survey.scopes import Scope


def _scale(counts: dict, code: str) -> int | None:
    """Return the scale an instrument was most answered on in the period (None: not at all).

    A report prints one figure per survey; answers on two scales are never pooled.
    """
    used = [(sum(items[0]), scale) for (found, scale), items in counts.items() if found == code]
    return max(used)[1] if used else None


def zi_report(session: Session, unit: ServiceUnit, period: Period, locale: str = "id",
              today: date | None = None) -> data.ZiReport | None:
    """Return everything the ZI report of a unit and period prints, or None without answers."""
    counts = instrument_figures.answer_counts(session, unit.id, period)
    sums = instrument_figures.unit_sums(session, unit.id, period)
    kind = zones.kind_of(session, unit.id)
    population = queries.population(session, unit.id, period.label)
    results = []
    for code in INSTRUMENT_CODES:
        scale = _scale(counts, code)
        if scale is None:
            continue
        stats = sums.get((code, scale), {})
        results.append(instrument_result(
            instruments.with_scale(instruments.INSTRUMENTS[code], scale), counts[code, scale],
            locale=locale, zone_kind=kind, total_sum=stats.get("t"),
            total_sq_sum=stats.get("t2"), population=population))
    if not results:
        return None
    today = today or report_profiles.local_today(unit)
    shown = data.ReportPeriod(period.label, period.name, period.starts_on, period.ends_on)
    return data.ZiReport(
        locale=locale, unit=unit.name, agency=unit.agency.name, region=unit.region.name,
        period=shown, generated_on=today, results=tuple(results),
        zone_kind=kind, endorsement=report_profiles.endorsement(session, unit, None, today))


def _number(value) -> float | None:
    return None if value is None else float(value)


UNIT_HEADINGS = ("Indeks", "Skala", "Responden", "Indeks", "Indeks skala 1–4", "Konversi",
                 "Mutu", "Selang 95 % bawah", "Selang 95 % atas")


def unit_sheet_rows(session: Session, unit: ServiceUnit, period: Period) -> list[sheets.Row]:
    """Return the IPKP and IPAK rows set below a unit's figures export (none without)."""
    found = instrument_figures.unit_figures(session, unit.id, period, 0)
    lines = [(f"{z.short} ({z.survey})", z.scale_max, z.n, float(z.index), float(z.on_four),
              float(z.konversi),
              f"{z.band.letter} ({z.band.label_id})" if z.band else "sementara",
              _number(z.low), _number(z.high)) for z in found]
    return sheets.block_rows("SURVEI ZONA INTEGRITAS (SPKP DAN SPAK)", UNIT_HEADINGS, lines,
                             (None, 0, 0, 2, 2, 2, None, 2, 2)) if lines else []


SCOPE_HEADINGS = ("Kode unit", "Unit layanan", "Status ZI", "Skala", "Responden SPKP",
                  "IPKP (1–4)", "Target IPKP", "Responden SPAK", "IPAK (1–4)", "Target IPAK",
                  "Memenuhi target")
VERDICTS = {True: "ya", False: "tidak", None: ""}


def _index_cells(v: zone_figures.IndexVerdict | None) -> tuple:
    if v is None:
        return None, None, None
    return v.figure.n, float(v.figure.on_four), _number(v.target)


def scope_sheet_rows(session: Session, scope: Scope, period: Period) -> list[sheets.Row]:
    """Return the IPKP and IPAK rows of a scope's units set below its figures export."""
    lines = [(row.slug, row.name, (row.kind or "").upper(), row.scale_max,
              *_index_cells(row.ipkp), *_index_cells(row.ipak), VERDICTS[row.meets])
             for row in zone_figures.zone_rows(session, scope, period)]
    return sheets.block_rows("ZONA INTEGRITAS: IPKP DAN IPAK PER UNIT", SCOPE_HEADINGS, lines,
                             (None, None, None, 0, 0, 2, 2, 0, 2, 2)) if lines else []
