"""Storing a citizen's submission: the service point, the row, its flags, the device key."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import Request, Response as HttpResponse, abort
from sqlalchemy import bindparam, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import db, instrument_store, memo, params
from survey.i18n import LOCALES
from survey.inbox import contacts
from survey.invitations import claims
from survey.models import (INSTRUMENT_CODES, Item, PointInstrument, Response, ServicePoint,
                           ServiceUnit, utcnow)
from survey.kiosks import devices as kiosks
from survey.public import abuse
from survey.public.forms import Question, Submission, questions
from survey.responses import NONE_PUBLISHED, insert_rows, questionnaire_used_by, response_values

# Faster than this from opening the form to sending it is not a person reading nine questions.
MIN_COMPLETION_SECONDS = 8
DEVICE_COOKIE = "suara_device"
DEVICE_COOKIE_MAX_AGE = 180 * 24 * 3600
CLOSED = object()  # a point that exists but is closed (410), as kept in memory


@dataclass(frozen=True)
class Unit:
    """What the citizen pages and a response row need of a service unit."""

    id: int
    name: str
    region_code: str


@dataclass(frozen=True)
class Point:
    """An open service point as the citizen pages use it, and the questionnaire of its form."""

    id: int
    token: str
    name: str
    unit: Unit
    questionnaire_id: int | None
    # The Zona Integritas surveys asked after the SKM: ((instrument, scale_max), ...).
    instruments: tuple[tuple[str, int], ...] = ()


# Built once, and plain rows rather than ORM objects: on the path of every submission, loading
# the objects cost several times what the query does.
POINTS, UNITS, ITEMS = ServicePoint.__table__, ServiceUnit.__table__, Item.__table__
QUESTIONNAIRE = questionnaire_used_by(POINTS.c.unit_id).scalar_subquery()
ASKED = PointInstrument.__table__
# The scale of each instrument the point asks (NULL: not asked), read with the point itself.
SCALES = [select(ASKED.c.scale_max)
          .where(ASKED.c.point_id == POINTS.c.id, ASKED.c.instrument == code)
          .scalar_subquery().label(f"{code}_scale") for code in INSTRUMENT_CODES]
POINT = (select(POINTS.c.id, POINTS.c.token, POINTS.c.name, POINTS.c.active,
                UNITS.c.id.label("unit_id"), UNITS.c.name.label("unit_name"),
                UNITS.c.region_code, UNITS.c.status.label("unit_status"),
                QUESTIONNAIRE.label("questionnaire_id"), *SCALES)
         .join_from(POINTS, UNITS, UNITS.c.id == POINTS.c.unit_id)
         .where(POINTS.c.token == bindparam("token")))
QUESTIONS = {locale: select(ITEMS.c.element_code, ITEMS.c.position, ITEMS.c[f"text_{locale}"],
                            ITEMS.c[f"labels_{locale}"])
             .where(ITEMS.c.questionnaire_id == bindparam("questionnaire_id"))
             for locale in LOCALES}


def open_point(session: Session, token: str) -> Point:
    """Return the active service point of a token; 404 if unknown, 410 if it or its unit closed.

    Kept in memory for a few seconds (survey/memo.py): read on every view and submission.
    """
    if not params.is_token(token):
        abort(404)
    found = memo.kept("points").get(token, lambda: _point(session, token))
    if found is None:
        abort(404)
    if found is CLOSED:
        abort(410)
    return found


def _point(session: Session, token: str) -> Point | object | None:
    """Return the point of a token from the database; CLOSED if it or its unit is closed."""
    found = session.execute(POINT, {"token": token}).first()
    if found is None:
        return None
    if not found.active or found.unit_status != "active":
        return CLOSED
    unit = Unit(found.unit_id, found.unit_name, found.region_code)
    scales = ((code, found._mapping[f"{code}_scale"]) for code in INSTRUMENT_CODES)
    return Point(found.id, found.token, found.name, unit, found.questionnaire_id,
                 tuple((code, scale) for code, scale in scales if scale is not None))


def questionnaire_questions(session: Session, point: Point, locale: str) -> tuple[Question, ...]:
    """Return the questions of a point's form in a locale, in position order.

    Kept in memory until the process ends: a published questionnaire is never edited.
    """
    if point.questionnaire_id is None:
        raise LookupError(NONE_PUBLISHED)

    def load():
        rows = session.execute(QUESTIONS[locale], {"questionnaire_id": point.questionnaire_id})
        return questions(rows, locale)

    return memo.kept("questions").get((point.questionnaire_id, locale), load)


def flag_reasons(submission: Submission, now: datetime, channel: str) -> list[str]:
    """Return why a valid submission looks automated; it is stored and flagged, never dropped.

    A kiosk's tablet is enrolled and serves one person after another from one page (offline,
    kiosk.js gives each a new client_uuid): its token is not bound to one view.
    """
    reasons = []
    if submission.honeypot_filled:
        reasons.append("honeypot filled")
    if submission.reused and channel != "kiosk":
        # Its view time is that of another answer's page: the time below would say nothing.
        reasons.append("token reuse: form token of another page view")
        return reasons
    seconds = int(now.timestamp()) - submission.started
    if seconds < MIN_COMPLETION_SECONDS:
        reasons.append(f"completed in {seconds} s (< {MIN_COMPLETION_SECONDS} s)")
    return reasons


def response_row(point: Point, submission: Submission, *, channel: str,
                 client_key: str | None, now: datetime,
                 invitation_code: str | None = None) -> dict:
    """Return the column values of a validated submission; with the code of the invitation
    it was sent with, if any, for `store_once` to claim (survey/invitations/claims.py)."""
    reasons = flag_reasons(submission, now, channel)
    answers = submission.answers
    # A unit's own items beyond the regulation's nine have no column: keep them, by code.
    own = {code: value for code, value in answers.items() if code not in ELEMENT_CODES}
    invited = {} if invitation_code is None else {"invitation_code": invitation_code}
    return response_values(
        point.unit, questionnaire_id=point.questionnaire_id, submitted_at=now, channel=channel,
        answers=answers, client_uuid=submission.client_uuid, point_id=point.id,
        client_key=client_key, flagged=bool(reasons), flag_reason="; ".join(reasons) or None,
        extra={"answers": own} if own else None, **invited, **submission.profile)


def store_answer(session: Session, point: Point, submission: Submission, instruments: dict,
                 request: Request, *, channel: str, secret: str,
                 invitation_code: str | None = None) -> None:
    """Store a point's validated submission sent by a request, with its instruments' answers
    ({instrument: (scale_max, answers)}), once (`store_once`)."""
    now = utcnow()
    row = response_row(point, submission, channel=channel, now=now,
                       client_key=client_key(request, secret), invitation_code=invitation_code)
    store_once(session, row, submission.contact,
               address=address_key(request, secret, point.id, now), instruments=instruments)


def already_stored(session: Session, client_uuid: uuid.UUID) -> bool:
    """Tell whether a response with this client_uuid exists."""
    return session.scalar(select(exists().where(Response.client_uuid == client_uuid)))


def store_once(session: Session, row: dict, contact: str | None = None, *,
               address: abuse.AddressKey | None = None, instruments: dict | None = None) -> None:
    """Screen a response row for abuse, then insert it, with the contact left (kept apart),
    and commit, unless its client_uuid is already stored.

    Over a rate limit raises abuse.TooMany (429), with nothing stored. `address` (the keyed
    hash of the sender's address and browser, never stored with the row) is counted in its
    rate window within the same transaction; a kiosk's row marks its tablet as seen. The
    screening reads in the transaction that writes: on SQLite, where that one begins with the
    write turn, a transaction of its own before the turn cost more than the turn is held longer
    for the read. On SQLite the answers other threads send meanwhile are written in the same
    transaction, each undone alone if it fails (`db.write_together`).
    A double tap, a resubmission, a kiosk's replay after a lost reply or a concurrent twin
    meets the unique client_uuid: that is success too. Inserting first and looking only after
    a conflict saves a query on every submission.

    A row with an invitation_code (or an invitation_id) claims its invitation in the same
    transaction; one unknown, already answered or expired raises InvitationSpent with nothing
    stored, unless this very answer (its client_uuid) is the one that answered it.

    `instruments` ({instrument: (scale_max, answers)}, survey/instrument_store.py) are stored
    with the row, in the same transaction; none (the SKM only) costs no statement.
    """
    def write(writer: Session) -> None:
        now = utcnow()
        abuse.screen(writer, row, now, address)
        if row.get("invitation_code") is not None:
            claims.claim_code(writer, row, now)
        elif row.get("invitation_id") is not None:
            claims.claim(writer, row["invitation_id"], now)
        insert_rows(writer, [row])
        if instruments:
            instrument_store.store(writer, row, instruments)
        if row.get("kiosk_id") is not None:
            kiosks.seen(writer, row["kiosk_id"], now)
        contacts.attach(writer, row["client_uuid"], contact)

    try:
        db.write_together(session, write)
    except (IntegrityError, claims.InvitationSpent):
        session.rollback()
        if not already_stored(session, row["client_uuid"]):
            raise


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


def address_key(request: Request, secret: str, point_id: int, now: datetime) -> abuse.AddressKey:
    """Return the keyed hash of the sender's address and browser at a point, in this window.

    The address is ProxyFix's (SUARA_PROXIES). The window's start is the salt, so a hash says
    nothing outside its window, and its row is deleted when the window ends (abuse.py).
    """
    window = abuse.window_start(now)
    text = f"{window}|{point_id}|{request.remote_addr}|{request.user_agent.string[:300]}"
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
    return abuse.AddressKey(digest, window)
