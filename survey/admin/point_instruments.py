"""Which Zona Integritas surveys (SPKP, SPAK) each service point asks after the SKM, and on
which scale; every change is audited."""

from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from wtforms import SelectChoice, SelectField

from survey import audit
from survey.models import INSTRUMENT_CODES, PointInstrument, ServicePoint

CHOICES = [SelectChoice("", "tidak ditanyakan"), SelectChoice("4", "ditanyakan, skala 1–4"),
           SelectChoice("6", "ditanyakan, skala 1–6")]


class PointInstrumentsForm(FlaskForm):
    """Whether a point asks SPKP and SPAK too, and on four or six points."""

    spkp = SelectField("Tanyakan juga SPKP", choices=CHOICES)
    spak = SelectField("Tanyakan juga SPAK", choices=CHOICES)

    def chosen(self) -> dict[str, int | None]:
        """Return {instrument: scale_max, or None when not asked}."""
        return {code: int(self[code].data) if self[code].data else None
                for code in INSTRUMENT_CODES}


def asked_by_points(session: Session, unit_id: int) -> dict[int, dict[str, int]]:
    """Return {point_id: {instrument: scale_max}} of a unit's points that ask any."""
    asked: dict[int, dict[str, int]] = {}
    rows = session.execute(
        select(PointInstrument.point_id, PointInstrument.instrument, PointInstrument.scale_max)
        .join(ServicePoint, ServicePoint.id == PointInstrument.point_id)
        .where(ServicePoint.unit_id == unit_id))
    for point_id, instrument, scale_max in rows:
        asked.setdefault(point_id, {})[instrument] = scale_max
    return asked


def form_for(point_id: int, asked: dict[str, int]) -> PointInstrumentsForm:
    """Return a point's blank form showing what it asks now."""
    return PointInstrumentsForm(formdata=None, prefix=f"zi{point_id}",
                                data={code: str(asked.get(code, "")) for code in INSTRUMENT_CODES})


def set_asked(session: Session, point: ServicePoint, chosen: dict[str, int | None]) -> bool:
    """Make a point ask exactly the chosen instruments; tell whether anything changed.

    Answers already stored keep their scale: a change applies to answers sent from now on
    (within the few seconds a point is kept in memory, survey/memo.py).
    """
    before = asked_by_points(session, point.unit_id).get(point.id, {})
    after = {code: scale for code, scale in chosen.items() if scale is not None}
    if before == after:
        return False
    session.execute(delete(PointInstrument).where(PointInstrument.point_id == point.id))
    session.add_all(PointInstrument(point_id=point.id, instrument=code, scale_max=scale)
                    for code, scale in sorted(after.items()))
    audit.record(session, "point_instruments_changed", f"point:{point.id}",
                 unit_id=point.unit_id,
                 detail={"name": point.name, "before": before, "after": after})
    session.flush()
    return True
