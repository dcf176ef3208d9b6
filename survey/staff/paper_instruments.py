"""SPKP and SPAK on a typed-in paper or interview sheet: the instruments the unit's points ask,
each optional and typed whole (every statement, or none), read by the citizen form's own reader
(survey/public/instrument_form.py) so that a sheet obeys the same rules as an answer online."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from analysis.instruments import INSTRUMENTS
from survey.models import INSTRUMENT_CODES, PointInstrument, ServicePoint
from survey.public import instrument_form

PROBLEM = ("Isi semua {count} pernyataan {short} (angka 1 sampai {scale}), atau kosongkan "
           "semuanya jika lembar ini tidak menjawabnya.")


@dataclass(frozen=True)
class PaperSection:
    """One instrument's boxes on the entry form: its scales (several when the unit's points
    differ; the typist then picks the sheet's), the scale chosen and the values typed."""

    code: str
    short: str
    name: str
    scales: tuple[int, ...]
    scale: int
    statements: tuple[tuple[str, int, str, str], ...]  # (field name, number, text, typed)
    problem: str | None = None


def unit_scales(session: Session, unit_id: int) -> dict[str, tuple[int, ...]]:
    """Return {instrument: scales} of the instruments any point of a unit asks."""
    rows = session.execute(
        select(PointInstrument.instrument, PointInstrument.scale_max).distinct()
        .join(ServicePoint, ServicePoint.id == PointInstrument.point_id)
        .where(ServicePoint.unit_id == unit_id))
    found: dict[str, set[int]] = {}
    for code, scale in rows:
        found.setdefault(code, set()).add(scale)
    return {code: tuple(sorted(found[code])) for code in INSTRUMENT_CODES if code in found}


def chosen(scales: dict[str, tuple[int, ...]], data: MultiDict) -> tuple[tuple[str, int], ...]:
    """Return ((instrument, scale_max), ...) as the form asks them: the sheet's scale if typed
    and offered, else the first one offered."""
    picked = []
    for code, offered in scales.items():
        typed = data.get(f"{code}_scale", "")
        picked.append((code, int(typed) if typed in {str(s) for s in offered} else offered[0]))
    return tuple(picked)


def read(scales: dict, data: MultiDict) -> instrument_form.Reading:
    """Return the instruments a sheet answered whole, and those typed in part or off scale."""
    if not scales:
        return instrument_form.NOTHING
    return instrument_form.read(data, chosen(scales, data))


def sections(scales: dict, data: MultiDict | None,
             half: tuple[str, ...] = ()) -> tuple[PaperSection, ...]:
    """Return the entry form's instrument sections, with what was typed if shown again."""
    result = []
    for code, scale in chosen(scales, data or MultiDict()):
        instrument = INSTRUMENTS[code]
        statements = tuple(
            (f"{code}_{number}", number, item.text_id,
             (data.get(f"{code}_{number}") or "")[:2] if data else "")
            for number, item in enumerate(instrument.items, start=1))
        problem = (PROBLEM.format(count=len(statements), short=code.upper(), scale=scale)
                   if code in half else None)
        result.append(PaperSection(code, code.upper(), instrument.name_id, scales[code], scale,
                                   statements, problem))
    return tuple(result)
