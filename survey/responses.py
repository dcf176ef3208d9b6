"""Building response rows: one place that knows how answers map to columns and dates."""

import uuid
from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import rollups
from survey.models import ANSWER_COLUMNS, Questionnaire, Response, ServiceUnit
from survey.regions import timezone_for

__all__ = ["ANSWER_COLUMNS", "default_questionnaire", "insert_rows", "local_date",
           "response_values", "unit_questionnaire"]


def local_date(unit: ServiceUnit, submitted_at: datetime) -> date:
    """Return the submission date in the unit's time zone (WIB, WITA or WIT)."""
    return submitted_at.astimezone(timezone_for(unit.region_code)).date()


def response_values(unit: ServiceUnit, *, questionnaire_id: int, submitted_at: datetime,
                    channel: str, answers: Mapping[str, int], client_uuid: uuid.UUID,
                    point_id: int | None = None, **profile) -> dict:
    """Return the column values of a response; answers are keyed by element code (U1..U9)."""
    missing = [code for code in ELEMENT_CODES if code not in answers]
    if missing:
        raise ValueError(f"answers missing for {', '.join(missing)}")
    return {
        "unit_id": unit.id, "point_id": point_id, "questionnaire_id": questionnaire_id,
        "submitted_at": submitted_at, "submitted_on": local_date(unit, submitted_at),
        "channel": channel, "client_uuid": client_uuid,
        **{code.lower(): int(answers[code]) for code in ELEMENT_CODES},
        **profile,
    }


def default_questionnaire(session: Session) -> Questionnaire:
    """Return the newest published questionnaire shared by every unit."""
    questionnaire = session.scalars(
        select(Questionnaire)
        .where(Questionnaire.unit_id.is_(None), Questionnaire.status == "published")
        .order_by(Questionnaire.version.desc(), Questionnaire.id.desc())
        .limit(1)).first()
    if questionnaire is None:
        raise LookupError("no published questionnaire: run `suara db upgrade`")
    return questionnaire


def insert_rows(session: Session, rows: list[dict]) -> None:
    """Insert response rows built by `response_values`, and count them in the rollups.

    A duplicate client_uuid raises IntegrityError before the rollups change; the caller's
    rollback then leaves both as they were.
    """
    # render_nulls keeps rows with different missing profile fields in one executemany batch.
    session.execute(insert(Response).execution_options(render_nulls=True), rows)
    rollups.add_rows(session, (row for row in rows if not row.get("excluded")))


def unit_questionnaire(session: Session, unit_id: int) -> Questionnaire:
    """Return the questionnaire a unit's form uses: its newest published one, else the default."""
    own = session.scalars(
        select(Questionnaire)
        .where(Questionnaire.unit_id == unit_id, Questionnaire.status == "published")
        .order_by(Questionnaire.version.desc(), Questionnaire.id.desc()).limit(1)).first()
    return own or default_questionnaire(session)
