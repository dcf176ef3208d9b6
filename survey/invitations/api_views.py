"""POST /api/v1/invitations: one new invitation for the queue machine or counter application
that presents its point's API key (Authorization: Bearer <key>); POST
/api/v1/invitations/transactions: one served transaction, whose citizen SUARA then invites by
message. Both are described in survey/api/openapi.json."""

from flask import Response, current_app, jsonify, request

from survey import db
from survey.invitations import api_keys, api_transactions, codes, transactions
from survey.models import ServicePoint, utcnow

RETRY_SECONDS = 60


def _error(status: int, message: str, **headers):
    response = jsonify(error={"status": status, "message": message})
    response.status_code = status
    response.headers.update(headers)
    return response


def _bearer() -> str | None:
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _admitted(session, now) -> tuple[api_keys.Holder, ServicePoint] | Response:
    """Return the key of a request and its open point, or the answer refusing the request."""
    holder = api_keys.holder(session, _bearer(), current_app.config["SECRET_KEY"])
    if holder is None:
        return _error(401, "kunci API tidak dikenal atau sudah dicabut",
                      **{"WWW-Authenticate": 'Bearer realm="suara"'})
    if api_keys.issued_lately(session, holder.point_id, now) >= api_keys.RATE_LIMIT:
        return _error(429, f"paling banyak {api_keys.RATE_LIMIT} undangan per jam untuk satu "
                           "titik layanan; coba lagi nanti", **{"Retry-After": str(RETRY_SECONDS)})
    point = session.get(ServicePoint, holder.point_id)
    if not point.active or point.unit.status != "active":
        return _error(410, "titik layanan ini sudah ditutup")
    return holder, point


def create():
    """Issue one invitation of the key's point; answer its code, address and expiry."""
    session, now = db.session(), utcnow()
    admitted = _admitted(session, now)
    if isinstance(admitted, Response):
        return admitted
    holder, point = admitted
    [invitation] = codes.issue(session, point, 1, source="api", now=now)
    api_keys.used(session, holder.key_id, now)
    session.commit()
    return jsonify(code=invitation.code, shown=codes.shown(invitation.code),
                   url=codes.answer_address(current_app.config["SUARA_BASE_URL"],
                                             invitation.code),
                   expires_at=invitation.expires_at.isoformat()), 201


def transaction():
    """Invite the citizen of one served transaction by message (queued for `suara invitations
    send`); a contact that opted out gets nothing, and the answer says only "skipped"."""
    session, now = db.session(), utcnow()
    admitted = _admitted(session, now)
    if isinstance(admitted, Response):
        return admitted
    holder, point = admitted
    found = api_transactions.read(request.get_json(force=True, silent=True), point, now)
    if isinstance(found, list):
        return _error(400, "; ".join(found) + ".")
    invitation = transactions.invite_one(session, found, current_app.config["SECRET_KEY"], now)
    api_keys.used(session, holder.key_id, now)
    session.commit()
    if invitation is None:
        return jsonify(status="skipped"), 200
    return jsonify(code=invitation.code, shown=codes.shown(invitation.code),
                   channel=found.channel, status="queued"), 201
