"""Dashboards: a unit's index, a scope's ranking, and their charts (SVG, cached on disk)."""

import hashlib
from importlib import metadata

from flask import Blueprint, abort, current_app, g, render_template, request

from survey import access, cache, db, indices, params, periods, queries, zone_figures
from survey.admin import listings
from survey.figures import METHODS
from survey.reports import chart_builders, dashboards, period_choice
from survey.scopes import NATIONAL, BadScope, Scope, parse_scope

blueprint = Blueprint("reports", __name__, url_prefix="/dasbor")
RELEASE = metadata.version("suara")
GROUP_BY = ("unit", "agency", "regency", "province")
RANKING_ROWS = 100  # rows of a ranking table a page shows (a national one has 20 000 units)


def _period(unit_id: int | None = None):
    label = request.args.get("period")
    if not label:
        return None
    try:
        return periods.resolve(db.session(), label, unit_id)
    except periods.UnknownPeriod as error:
        raise params.ParameterError(str(error)) from None


def requested_scope(**_) -> Scope:
    """Return the scope a dashboard address asks for (default: the user's own)."""
    if "scope" not in request.args:
        return access.user_scope(g.user) if g.get("user") else NATIONAL
    try:
        return parse_scope(request.args["scope"])
    except BadScope as error:
        raise params.ParameterError(str(error)) from None


def unit_scope(slug: str, **_) -> Scope:
    """Return the scope of a unit dashboard address."""
    return Scope("unit", slug)


def _scope_args(period=None):
    scope = requested_scope()
    name = queries.scope_name(db.session(), scope) or abort(404)
    group_by = params.arg("group_by", params.choice, "group_by", GROUP_BY,
                          dashboards.child_grouping(scope))
    method = params.arg("method", params.choice, "method", METHODS, "pooled")
    rank_by = params.arg("rank_by", params.choice, "rank_by", dashboards.RANK_BY, "all")
    period = period or _period() or indices.default_period(db.session(), scope)
    return scope, name, period, group_by, method, rank_by


def _key(*parts) -> str:
    """Return a cache key: what is shown, the release that draws it, and the data version."""
    return "|".join(map(str, (*parts, RELEASE, queries.data_version(db.session()))))


def _svg(key_parts: tuple, render):
    """Return an SVG response, rendered once per data version and served with an ETag."""
    key = _key(*key_parts)
    svg = cache.cached(cache.folder("charts"), key, render)
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.set_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    response.cache_control.public, response.cache_control.max_age = True, 300
    return response.make_conditional(request)


@blueprint.get("/")
@access.within(requested_scope)
def scope():
    """Show a scope's ranking, grade distribution and province × semester table."""
    chooser = period_choice.choose(db.session(), requested_scope(), request.args)
    page = _scope_page(_scope_args(chooser.period))
    ranking = listings.page_of(page.rows, params.arg("page", params.page_number), RANKING_ROWS)
    return render_template("reports/scope.html", page=page, ranking=ranking, chooser=chooser,
                           chart_rows=chart_builders.RANKING_CHART_ROWS, group_choices=GROUP_BY)


def _scope_page(args) -> dashboards.ScopePage:
    """Return a scope page's figures, computed once per data version for every viewer."""
    scope, name, period, group_by, method, rank_by = args
    return cache.cached_object("pages", _key("scope", scope, period, group_by, method, rank_by),
                               lambda: dashboards.scope_page(db.session(), *args))


@blueprint.get("/zona-integritas")
@access.within(requested_scope)
def zone_integrity():
    """List a scope's Zona Integritas units with IPKP, IPAK, their targets and LKE points."""
    scope = requested_scope()
    name = queries.scope_name(db.session(), scope) or abort(404)
    period = _period() or indices.default_period(db.session(), scope)
    sort = params.arg("sort", params.choice, "sort", zone_figures.SORTS, "name")
    # Not cached per data version: a unit's new ZI status changes the rows too.
    rows = zone_figures.zone_rows(db.session(), scope, period, sort)
    return render_template("reports/zone.html", scope=scope, name=name, period=period,
                           rows=rows, sort=sort)


@blueprint.get("/grafik/<name>.svg")
@access.within(requested_scope)
def scope_chart(name: str):
    """Draw one chart of the scope page."""
    build = chart_builders.SCOPE_CHARTS.get(name) or abort(404)
    args = _scope_args()
    return _svg(("scope", name, args[0], args[2].label, args[3], args[4]),
                lambda: build(_scope_page(args)))


@blueprint.get("/unit/<slug>")
@access.within(unit_scope)
def unit(slug: str):
    """Show a unit's index, elements, trend, answer spread, sample and suggestions."""
    unit_row = queries.unit_by_slug(db.session(), slug) or abort(404)
    chooser = period_choice.choose(db.session(), Scope("unit", slug), request.args, unit_row.id)
    page = dashboards.unit_page(db.session(), slug, chooser.period)
    return render_template("reports/unit.html", page=page, chooser=chooser)


@blueprint.get("/unit/<slug>/grafik/<name>.svg")
@access.within(unit_scope)
def unit_chart(slug: str, name: str):
    """Draw one chart of the unit page."""
    build = chart_builders.UNIT_CHARTS.get(name) or abort(404)
    unit_row = queries.unit_by_slug(db.session(), slug) or abort(404)
    period = _period(unit_row.id)
    return _svg(("unit", name, slug, period.label if period else "-"),
                lambda: build(dashboards.unit_page(db.session(), slug, period)))
