"""POST /api/v1/invitations: one new invitation for the queue machine or counter application
that presents its point's API key (Authorization: Bearer <key>); POST
/api/v1/invitations/transactions: one served transaction, whose citizen SUARA then invites by
message. Both take an Idempotency-Key (survey/invitations/idempotency.py) and are described in
survey/api/openapi.json."""

from dataclasses import dataclass

from flask import Response, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from survey import db
from survey.invitations import api_keys, api_transactions, codes, idempotency, transactions
from survey.models import ServicePoint, utcnow

RETRY_SECONDS = 60
RACE_RETRY_SECONDS = 1  # a concurrent call with the same key is about to commit
REPLAYED = "Idempotent-Replayed"


def _error(status: int, message: str, **headers):
    response = jsonify(error={"status": status, "message": message})
    response.status_code = status
    response.headers.update(headers)
    return response


def _bearer() -> str | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _repeated(stored: idempotency.Stored, claim: idempotency.Claim) -> Response:
    """Answer a call whose key is stored: the stored answer again, or 422 for another call."""
    if stored.request_hash != claim.request_hash:
        return _error(422, f"{idempotency.HEADER} ini sudah dipakai dalam 24 jam terakhir untuk "
                           "permintaan dengan isi atau alamat lain; pakai kunci baru untuk "
                           "permintaan baru")
    response = Response(stored.body, status=stored.status, mimetype="application/json")
    response.headers[REPLAYED] = "true"
    return response


@dataclass(frozen=True)
class _Call:
    """An admitted call: its API key, the key's open point and its Idempotency-Key, if any."""

    holder: api_keys.Holder
    point: ServicePoint
    claim: idempotency.Claim | None


def _admitted(session, now) -> _Call | Response:
    """Return an admitted call, or the answer to it: a refusal or the stored answer of a
    repeat (before the rate is counted: a repeat makes nothing)."""
    holder = api_keys.holder(session, _bearer(), current_app.config["SECRET_KEY"])
    if holder is None:
        return _error(401, "kunci API tidak dikenal atau sudah dicabut",
                      **{"WWW-Authenticate": 'Bearer realm="suara"'})
    claim = idempotency.claim(holder.key_id, request.headers.get(idempotency.HEADER),
                              request.path, request.get_data())
    if isinstance(claim, str):
        return _error(400, claim + ".")
    stored = idempotency.find(session, claim, now) if claim is not None else None
    if stored is not None:
        return _repeated(stored, claim)
    if api_keys.issued_lately(session, holder.point_id, now) >= api_keys.RATE_LIMIT:
        return _error(429, f"paling banyak {api_keys.RATE_LIMIT} undangan per jam untuk satu "
                           "titik layanan; coba lagi nanti", **{"Retry-After": str(RETRY_SECONDS)})
    point = session.get(ServicePoint, holder.point_id)
    if not point.active or point.unit.status != "active":
        return _error(410, "titik layanan ini sudah ditutup")
    return _Call(holder, point, claim)


def _answered(session, call: _Call, now, status: int, body: dict) -> Response:
    """Commit a call's effect with its answer kept under its Idempotency-Key, and answer it;
    if a concurrent call with the same key committed first, undo this one's effect and answer
    that call's (or 409 while its commit is not visible yet)."""
    response = jsonify(body)
    response.status_code = status
    api_keys.used(session, call.holder.key_id, now)
    try:
        if call.claim is not None:
            idempotency.keep(session, call.claim, status, response.get_data(as_text=True), now)
        session.commit()
    except IntegrityError:
        session.rollback()
        if call.claim is None:
            raise
        stored = idempotency.find(session, call.claim, now)
        if stored is None:
            return _error(409, f"permintaan lain dengan {idempotency.HEADER} yang sama sedang "
                               "diproses; coba lagi sebentar lagi",
                          **{"Retry-After": str(RACE_RETRY_SECONDS)})
        return _repeated(stored, call.claim)
    return response


def create():
    """Issue one invitation of the key's point; answer its code, address and expiry."""
    session, now = db.session(), utcnow()
    call = _admitted(session, now)
    if isinstance(call, Response):
        return call
    [invitation] = codes.issue(session, call.point, 1, source="api", now=now)
    return _answered(session, call, now, 201, {
        "code": invitation.code, "shown": codes.shown(invitation.code),
        "url": codes.answer_address(current_app.config["SUARA_BASE_URL"], invitation.code),
        "expires_at": invitation.expires_at.isoformat()})


def transaction():
    """Invite the citizen of one served transaction by message (queued for `suara invitations
    send`); a contact that opted out gets nothing, and the answer says only "skipped"."""
    session, now = db.session(), utcnow()
    call = _admitted(session, now)
    if isinstance(call, Response):
        return call
    found = api_transactions.read(request.get_json(force=True, silent=True), call.point, now)
    if isinstance(found, list):
        return _error(400, "; ".join(found) + ".")
    invitation = transactions.invite_one(session, found, current_app.config["SECRET_KEY"], now)
    if invitation is None:
        return _answered(session, call, now, 200, {"status": "skipped"})
    return _answered(session, call, now, 201, {
        "code": invitation.code, "shown": codes.shown(invitation.code),
        "channel": found.channel, "status": "queued"})
