"""SPKP and SPAK in the submission bench (bench/submissions.py --instruments): the points ask
both on four points, each POST answers both whole, and the answers stored are counted."""

INSTRUMENT_ITEMS = {"spkp": 8, "spak": 5}  # statements (analysis/instruments.py)


def instrument_fields(instruments: bool, n: int = 0) -> str:
    """Return SPKP's and SPAK's answers (1..4, varied by n) as form fields, or nothing."""
    if not instruments:
        return ""
    return "".join(f"&{code}_{k}={(n + k) % 4 + 1}"
                   for code, count in INSTRUMENT_ITEMS.items() for k in range(1, count + 1))


def ask_instruments(url: str, tokens: list[str]) -> None:
    """Make the bench's service points (their tokens) ask SPKP and SPAK on four points."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from survey.db import make_engine
    from survey.models import PointInstrument, ServicePoint

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            session.add_all(PointInstrument(point_id=point_id, instrument=code, scale_max=4)
                            for point_id in session.scalars(select(ServicePoint.id).where(
                                ServicePoint.token.in_(tokens)))
                            for code in INSTRUMENT_ITEMS)
            session.commit()
    finally:
        engine.dispose()


def instrument_rows(url: str) -> tuple[int, int, bool]:
    """Return the instrument answers stored, the responses of points asking them and whether
    rollup_instrument equals the raw answers."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from survey import instrument_store
    from survey.db import make_engine
    from survey.models import InstrumentAnswer, PointInstrument, Response

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            asking = select(PointInstrument.point_id)
            return (session.scalar(select(func.count()).select_from(InstrumentAnswer)),
                    session.scalar(select(func.count()).select_from(Response)
                                   .where(Response.point_id.in_(asking))),
                    not instrument_store.differences(session))
    finally:
        engine.dispose()
