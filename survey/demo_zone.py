"""The demo's Zona Integritas: two units building a ZI whose service points ask SPKP and SPAK,
with answers in the last two semesters, so that the ZI pages, reports and alerts have content.

Each demo respondent of those semesters who came through a point answers SPKP (about seven in
ten) and SPAK (about six in ten) whole or skips them, drawn from a seeded generator; a few SPAK
answers are low on gifts, levies or brokers, and raise alerts for the level above. Stored
through survey/instrument_store.py like a citizen's answers, so every rollup stays exact.
Idempotent like the rest of the demo: a unit that has any instrument answer gets none.
"""

from datetime import date

import numpy as np
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from analysis.instruments import INSTRUMENTS
from survey import instrument_store
from survey.demo_data import PERIODS
from survey.models import (InstrumentAnswer, PointInstrument, Response, ServicePoint,
                           ServiceUnit, UnitZone)

# (unit, kind, since, SPKP mean, SPAK mean): one near its WBK targets, one below them.
ZONES = (("disdukcapil-kota-surabaya", "wbk", date(2025, 7, 1), 3.45, 3.75),
         ("kemenag-kota-makassar-ptsp", "wbbm", date(2025, 7, 1), 3.05, 3.35))
ANSWERED = {"spkp": 0.7, "spak": 0.6}  # respondents who answer each, not skip it
SCALE_MAX = 4


def load_demo_zone(session: Session) -> int:
    """Add what is missing of the demo's ZI units; return the instrument answers added."""
    added = 0
    for slug, kind, since, *means in ZONES:
        unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).first()
        if unit is None:
            continue
        if session.get(UnitZone, unit.id) is None:
            session.add(UnitZone(unit_id=unit.id, kind=kind, since=since))
        points = session.scalars(select(ServicePoint.id).where(ServicePoint.unit_id == unit.id))
        for point_id in points:
            for code in INSTRUMENTS:
                if session.get(PointInstrument, (point_id, code)) is None:
                    session.add(PointInstrument(point_id=point_id, instrument=code,
                                                scale_max=SCALE_MAX))
        session.flush()
        if not _answered(session, unit.id):
            added += _answers(session, unit, dict(zip(INSTRUMENTS, means)))
    return added


def _answered(session: Session, unit_id: int) -> bool:
    return session.scalar(select(exists().where(
        InstrumentAnswer.response_id == Response.id, Response.unit_id == unit_id)))


def _answers(session: Session, unit: ServiceUnit, means: dict[str, float]) -> int:
    """Store SPKP and SPAK answers of the unit's point respondents of the last two semesters."""
    rows = session.execute(
        select(Response.client_uuid, Response.unit_id, Response.submitted_on, Response.excluded)
        .where(Response.unit_id == unit.id, Response.point_id.is_not(None),
               Response.submitted_on >= PERIODS[-2][1])
        .order_by(Response.submitted_on, Response.id)).mappings().all()
    rng = np.random.default_rng(sum(map(ord, unit.slug)))
    added = 0
    for row in rows:
        answers = {}
        for code, mean in means.items():
            items = len(INSTRUMENTS[code].items)
            drawn = rng.normal(mean, 0.55, size=items)  # drawn for every row: reproducible
            if rng.random() < ANSWERED[code]:
                answers[code] = (SCALE_MAX, tuple(int(v) for v in np.clip(np.rint(drawn), 1, 4)))
        if answers:
            instrument_store.store(session, dict(row), answers)
            added += len(answers)
    return added
