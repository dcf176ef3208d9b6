"""Storing a citizen's submission: the service point, the row, its flags, the device key."""

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime

from flask import Request, Response as HttpResponse, abort
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload

from analysis.elements import ELEMENT_CODES
from survey.models import Questionnaire, Response, ServicePoint, utcnow
from survey.public import abuse
from survey.public.forms import SurveyForm
from survey.responses import insert_rows, response_values

# Faster than this from opening the form to sending it is not a person reading nine questions.
MIN_COMPLETION_SECONDS = 8
DEVICE_COOKIE = "suara_device"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600


def open_point(session: Session, token: str) -> ServicePoint:
    """Return the active service point of a token; 404 if unknown, 410 if it or its unit closed."""
    point = session.scalars(
        select(ServicePoint).options(joinedload(ServicePoint.unit))
        .where(ServicePoint.token == token)).first()
    if point is None:
        abort(404)
    if not point.active or point.unit.status != "active":
        abort(410)
    return point


def flag_reasons(form: SurveyForm, now: datetime) -> list[str]:
    """Return why a valid submission looks automated; it is stored and flagged, never dropped."""
    reasons = []
    if form.honeypot_filled():
        reasons.append("honeypot filled")
    seconds = int(now.timestamp()) - form.started_at()
    if seconds < MIN_COMPLETION_SECONDS:
        reasons.append(f"completed in {seconds} s (< {MIN_COMPLETION_SECONDS} s)")
    return reasons


def response_row(point: ServicePoint, questionnaire: Questionnaire, form: SurveyForm, *,
                 channel: str, client_key: str | None, now: datetime) -> dict:
    """Return the column values of a validated submission."""
    reasons = flag_reasons(form, now)
    answers = form.answers()
    # A unit's own items beyond the regulation's nine have no column: keep them, by code.
    own = {code: value for code, value in answers.items() if code not in ELEMENT_CODES}
    return response_values(
        point.unit, questionnaire_id=questionnaire.id, submitted_at=now, channel=channel,
        answers=answers, client_uuid=form.client_uuid.data, point_id=point.id,
        client_key=client_key, flagged=bool(reasons), flag_reason="; ".join(reasons) or None,
        extra={"answers": own} if own else None, **form.profile())


def add_response(session: Session, row: dict) -> None:
    """Screen a response row for abuse, then insert it.

    Over a rate limit raises abuse.TooMany (429); a duplicate client_uuid raises IntegrityError
    on flush, which callers answer with the thank-you page.
    """
    abuse.screen(session, row, utcnow())
    insert_rows(session, [row])


def already_stored(session: Session, client_uuid: uuid.UUID) -> bool:
    """Tell whether a response with this client_uuid exists."""
    return session.scalar(select(exists().where(Response.client_uuid == client_uuid)))


def _device_id(request: Request) -> str | None:
    device = request.cookies.get(DEVICE_COOKIE)
    return device if device and len(device) <= 64 else None


def client_key(request: Request, secret: str) -> str | None:
    """Return the keyed hash of the device cookie (never the raw id, never an IP), if any."""
    device = _device_id(request)
    if device is None:
        return None
    return hmac.new(secret.encode(), device.encode(), hashlib.sha256).hexdigest()[:32]


def remember_device(request: Request, response: HttpResponse) -> None:
    """Give the browser a random device id if it has none, for per-device limits later."""
    if _device_id(request) is not None:
        return
    response.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(16),
                        max_age=DEVICE_COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure)
