"""Building response rows: one place that knows how answers map to columns and dates."""

import functools
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import Select, insert, or_, select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import rollups
from survey.models import ANSWER_COLUMNS, Questionnaire, Response, utcnow
from survey.prepared import Prepared
from survey.regions import timezone_for

__all__ = ["ANSWER_COLUMNS", "default_questionnaire", "insert_rows", "local_date",
           "questionnaire_used_by", "response_values", "unit_questionnaire"]

TABLE = Response.__table__
NONE_PUBLISHED = "no published questionnaire: run `suara db upgrade`"


class UnitRef(Protocol):
    """What a response needs of its unit: a ServiceUnit, or a plain record with these fields."""

    id: int
    region_code: str


def local_date(unit: UnitRef, submitted_at: datetime) -> date:
    """Return the submission date in the unit's time zone (WIB, WITA or WIT)."""
    return submitted_at.astimezone(timezone_for(unit.region_code)).date()


def response_values(unit: UnitRef, *, questionnaire_id: int, submitted_at: datetime,
                    channel: str, answers: Mapping[str, int], client_uuid: uuid.UUID,
                    point_id: int | None = None, **profile) -> dict:
    """Return the column values of a response; answers are keyed by element code (U1..U9)."""
    missing = [code for code in ELEMENT_CODES if code not in answers]
    if missing:
        raise ValueError(f"answers missing for {', '.join(missing)}")
    return {
        "flagged": False, "flag_reason": None, "excluded": False, "created_at": utcnow(),
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
        raise LookupError(NONE_PUBLISHED)
    return questionnaire


def insert_rows(session: Session, rows: list[dict]) -> None:
    """Insert response rows built by `response_values`, and count them in the rollups.

    Every row has the same keys, every column `response_values` gives (one executemany). A
    duplicate client_uuid raises IntegrityError before the rollups change; the caller's
    rollback then leaves both as they were.
    """
    if not rows:
        return
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("response rows with different columns: pass None for a missing value")
    _insert(tuple(rows[0])).execute_many(session, rows)
    rollups.add_rows(session, (row for row in rows if not row.get("excluded")))


@functools.cache
def _insert(columns: tuple[str, ...]) -> Prepared:
    """Return the INSERT of rows with these columns (a few shapes: one per caller)."""
    return Prepared(insert(TABLE), columns)


def questionnaire_used_by(unit_id) -> Select:
    """Return the SELECT of the id of the questionnaire a unit's form uses: its newest published
    one, else the newest shared one. unit_id is a value, or a column to correlate with."""
    columns = Questionnaire.__table__.c
    return (select(columns.id)
            .where(columns.status == "published",
                   or_(columns.unit_id == unit_id, columns.unit_id.is_(None)))
            .order_by(columns.unit_id.is_(None), columns.version.desc(), columns.id.desc())
            .limit(1))


def unit_questionnaire(session: Session, unit_id: int) -> Questionnaire:
    """Return the questionnaire a unit's form uses: its newest published one, else the default."""
    questionnaire = session.scalars(select(Questionnaire).where(
        Questionnaire.id == questionnaire_used_by(unit_id).scalar_subquery())).first()
    if questionnaire is None:
        raise LookupError(NONE_PUBLISHED)
    return questionnaire
