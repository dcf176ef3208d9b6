"""GET /api/v1/exchange/package: a signed package for a server holding one of this server's
exchange tokens (SUARA_EXCHANGE_TOKENS)."""

import hmac

from flask import current_app, jsonify, request

from survey import audit, db
from survey.exchange.package import read_month
from survey.exchange.signing import ExchangeRefused
from survey.exchange.sources import signed_package
from survey.models import utcnow
from survey.scopes import BadScope, parse_scope


def _error(status: int, message: str):
    return jsonify(error={"status": status, "message": message}), status


def _authorised() -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(given) and any(hmac.compare_digest(given.encode(), token.strip().encode())
                               for token in current_app.config["SUARA_EXCHANGE_TOKENS"])


def package():
    """Return the signed package of a scope over months from..to (YYYY-MM)."""
    if not _authorised():
        return _error(401, "token pertukaran tidak sah")
    try:
        scope = parse_scope(request.args.get("scope", "national"))
        first, last = read_month(request.args.get("from")), read_month(request.args.get("to"))
        signed = signed_package(db.session(), current_app.config, scope, first, last, utcnow())
    except (BadScope, ExchangeRefused) as error:
        return _error(400, str(error))
    audit.record_now(db.session(), "exchange_package", str(scope),
                     detail={"from": request.args["from"], "to": request.args["to"]})
    return jsonify(signed)
