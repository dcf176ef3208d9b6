"""JSON API v1: unit index, aggregates and trends. Read-only and public (published figures)."""

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from analysis.ikm import CONVENTIONS
from survey import (cache, db, indices, instrument_figures, integrity, invitation_rates, params,
                    periods, queries, zone_figures)
from survey.api import serialise
from survey.exchange import api_views as exchange
from survey.exchange import sources
from survey.figures import METHODS
from survey.invitations import api_views as invitations
from survey.models import INSTRUMENT_CODES
from survey.reports.documents import recent_periods
from survey.scopes import BadScope, Scope, parse_scope

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
# The routes that write, with a service point's API key: a queue machine's new invitation,
# and a served transaction whose citizen is then invited by message.
blueprint.add_url_rule("/invitations", "invitations", invitations.create, methods=("POST",))
blueprint.add_url_rule("/invitations/transactions", "invitation_transactions",
                       invitations.transaction, methods=("POST",))
# Another SUARA server fetching this one's figures, with an exchange token (survey/exchange/).
blueprint.add_url_rule("/exchange/package", "exchange_package", exchange.package)
GROUP_BY = ("unit", "agency", "regency", "province")
RANK_BY = ("all", "invited")
TREND_PERIODS_MAX = 60  # thirty years of semesters


class ApiError(HTTPException):
    """An error answered as JSON with a message for people."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code


@blueprint.errorhandler(ApiError)
def api_error(error: ApiError):
    return jsonify(error={"status": error.code, "message": error.description}), error.code


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    try:
        return params.choice(request.args.get(name), name, allowed, default)
    except params.BadParameter as error:
        raise ApiError(400, str(error)) from None


def _period(scope: Scope, unit_id: int | None = None):
    label = request.args.get("period")
    if not label:
        return indices.default_period(db.session(), scope)
    try:
        return periods.resolve(db.session(), label, unit_id)
    except periods.UnknownPeriod as error:
        raise ApiError(400, str(error)) from None


def _unit(slug: str):
    unit = queries.unit_by_slug(db.session(), slug)
    if unit is None:
        raise ApiError(404, f"unit layanan '{slug}' tidak ditemukan")
    return unit


@blueprint.get("/units/<slug>/ikm")
def unit_ikm(slug: str):
    """Return a unit's IKM for a period (default: the latest semester with responses)."""
    unit = _unit(slug)
    period = _period(Scope("unit", slug), unit.id)
    convention = _choice("convention", CONVENTIONS, "exact")
    index = indices.unit_index(db.session(), unit, period, convention)
    source = sources.source_of_unit(db.session(), unit)
    basis = (integrity.scope_integrity(db.session(), Scope("unit", slug), index.period) if source
             else integrity.unit_integrity(db.session(), unit.id, index.period))
    rates, points = invitation_rates.unit_rates(db.session(), unit, index.period)
    invited = indices.invited_figures(db.session(), unit, index.period, convention)
    zi = instrument_figures.unit_figures(db.session(), unit.id, index.period,
                                         index.figures.respondents)
    return jsonify(**serialise.unit_index(index, basis, source),
                   invited=serialise.invited(invited),
                   instruments=[serialise.instrument(figure) for figure in zi],
                   invitations={**serialise.rates(rates), "points": [
                       {"id": int(p.key), "name": p.name, **serialise.rates(p.rates)}
                       for p in points]})


@blueprint.get("/units/<slug>/trend")
def unit_trend(slug: str):
    """Return a unit's IKM per period with each change's significance and the trend."""
    unit = _unit(slug)
    labels = [label for label in request.args.get("periods", "").split(",") if label]
    if len(labels) > TREND_PERIODS_MAX:
        raise ApiError(400, f"paling banyak {TREND_PERIODS_MAX} periode dalam satu permintaan")
    try:
        period_list = [periods.resolve(db.session(), l, unit.id) for l in labels] or None
    except periods.UnknownPeriod as error:
        raise ApiError(400, str(error)) from None
    convention = _choice("convention", CONVENTIONS, "exact")
    result = indices.trend(db.session(), Scope("unit", slug), period_list, convention=convention)
    return jsonify(unit=slug, convention=convention, **serialise.trend(result))


@blueprint.get("/units/<slug>/instruments/trend")
def unit_instrument_trend(slug: str):
    """Return a unit's IPKP and IPAK per period up to a period (the last periods of its kind,
    as the IKM's report), each change's significance and the trend; instrument picks one."""
    unit = _unit(slug)
    period = _period(Scope("unit", slug), unit.id)
    instrument = _choice("instrument", ("all", *INSTRUMENT_CODES), "all")
    kind, period_list = recent_periods(period)
    codes = INSTRUMENT_CODES if instrument == "all" else (instrument,)
    found = instrument_figures.unit_trends(db.session(), unit.id, period_list, codes)
    return jsonify(unit=slug, period=serialise.period(period), kind=kind,
                   instrument=instrument, series=[serialise.instrument_trend(t) for t in found])


@blueprint.get("/aggregate")
def aggregate():
    """Return the index of each group of a scope, best first; elements=true adds elements."""
    try:
        scope = parse_scope(request.args.get("scope", "national"))
    except BadScope as error:
        raise ApiError(400, str(error)) from None
    period = _period(scope)
    group_by = _choice("group_by", GROUP_BY, "unit")
    method = _choice("method", METHODS, "pooled")
    convention = _choice("convention", CONVENTIONS, "exact")
    elements = _choice("elements", ("false", "true"), "false") == "true"
    rank_by = _choice("rank_by", RANK_BY, "all")
    args = (scope, period, group_by, method, convention)
    key = "|".join(map(str, ("aggregate", *args, elements, rank_by,
                             queries.data_version(db.session()))))
    rows = cache.cached_object("api", key, lambda: _aggregate_rows(*args, elements, rank_by))
    return jsonify(scope=str(scope), period=serialise.period(period), group_by=group_by,
                   method=method, convention=convention, rank_by=rank_by, rows=rows)


def _aggregate_rows(scope, period, group_by, method, convention, elements, rank_by) -> list:
    """Return the rows of /aggregate, each with its invited index and invitations, ordered by
    the index of all answers or of invited ones (groups without any follow)."""
    session = db.session()
    ranking, shape = ((indices.group_figures, serialise.figures) if elements
                      else (indices.scope_ranking, serialise.ranked))
    rows = list(ranking(session, scope, period, group_by, method, convention))
    invited = {row.key: row for row in indices.invited_ranking(session, scope, period,
                                                               group_by, method, convention)}
    if rank_by == "invited":
        place = {key: i for i, key in enumerate(invited)}
        rows.sort(key=lambda row: (row.key not in place, place.get(row.key, 0)))  # stable
    rates = invitation_rates.group_rates(session, scope, period, group_by)
    # IPKP and IPAK of each unit (on the scale most of its respondents answered), one statement.
    asked = (instrument_figures.scope_unit_figures(session, scope, period)
             if group_by == "unit" else None)
    return [{**shape(row), "invited": serialise.invited(invited.get(row.key)),
             "invitations": serialise.rates(rates[row.key].rates if row.key in rates
                                            else invitation_rates.NONE),
             **({} if asked is None else {"instruments": {
                 code: serialise.instrument(found[0])
                 for code, found in asked.get(row.key, {}).items()}})}
            for row in rows]


@blueprint.get("/zone-integrity")
def zone_integrity():
    """Return the Zona Integritas units of a scope with IPKP, IPAK, targets and LKE points."""
    try:
        scope = parse_scope(request.args.get("scope", "national"))
    except BadScope as error:
        raise ApiError(400, str(error)) from None
    if queries.scope_name(db.session(), scope) is None:
        raise ApiError(404, f"cakupan '{scope}' tidak ditemukan")
    period = _period(scope)
    sort = _choice("sort", zone_figures.SORTS, "name")
    rows = zone_figures.zone_rows(db.session(), scope, period, sort)
    return jsonify(scope=str(scope), period=serialise.period(period), sort=sort,
                   rows=[serialise.zone_row(row) for row in rows])


@blueprint.post("/sms/masuk")
def sms_incoming():
    """Answer an SMS an SMS gateway forwards (with the shared secret): the body is the reply."""
    from survey.invitations import sms_answers

    if not sms_answers.authorised(request, current_app.config["SUARA_SMS_SECRET"]):
        raise ApiError(401, "kunci webhook SMS tidak sah")
    reply = sms_answers.respond(db.session(), *sms_answers.fields(request),
                                current_app.config["SECRET_KEY"])
    if "MessageSid" in request.form:  # Twilio sends the reply only as TwiML
        return current_app.response_class(sms_answers.twiml(reply), mimetype="text/xml")
    return current_app.response_class(reply, mimetype="text/plain")


@blueprint.get("/openapi.json")
def openapi():
    """Serve the OpenAPI description of this API."""
    document = Path(__file__).with_name("openapi.json").read_bytes()
    return current_app.response_class(document, mimetype="application/json")
