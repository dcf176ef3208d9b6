"""POST /api/v1/invitations: one new invitation for the queue machine or counter application
that presents its point's API key (Authorization: Bearer <key>); described in
survey/api/openapi.json."""

from flask import current_app, jsonify, request

from survey import db
from survey.invitations import api_keys, codes
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


def create():
    """Issue one invitation of the key's point; answer its code, address and expiry."""
    session, now = db.session(), utcnow()
    holder = api_keys.holder(session, _bearer(), current_app.config["SECRET_KEY"])
    if holder is None:
        return _error(401, "kunci API tidak dikenal atau sudah dicabut",
                      **{"WWW-Authenticate": 'Bearer realm="suara"'})
    if api_keys.issued_lately(session, holder.point_id, now) >= api_keys.RATE_LIMIT:
        return _error(429, f"paling banyak {api_keys.RATE_LIMIT} kode per jam untuk satu titik "
                           "layanan; coba lagi nanti", **{"Retry-After": str(RETRY_SECONDS)})
    point = session.get(ServicePoint, holder.point_id)
    if not point.active or point.unit.status != "active":
        return _error(410, "titik layanan ini sudah ditutup")
    [invitation] = codes.issue(session, point, 1, source="api", now=now)
    api_keys.used(session, holder.key_id, now)
    session.commit()
    return jsonify(code=invitation.code, shown=codes.shown(invitation.code),
                   url=codes.answer_address(current_app.config["SUARA_BASE_URL"],
                                             invitation.code),
                   expires_at=invitation.expires_at.isoformat()), 201
