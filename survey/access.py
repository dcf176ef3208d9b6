"""Who may see and do what: the one place that decides, for every route.

A user's role binds them to a scope (admin: the nation; ministry and agency: an agency subtree;
region: a region subtree; unit: one unit). Published index figures are open to everyone; raw
responses, suggestions, flags, exports and administration need a user whose scope covers them.
Every view declares its rule with one of the decorators below; a test fails for a route without.
"""

from functools import wraps

from flask import abort, g, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import db, queries
from survey.models import Agency, ServiceUnit, User
from survey.scopes import NATIONAL, Scope


def user_scope(user: User) -> Scope:
    """Return the part of the hierarchy a user's role is bound to."""
    if user.role == "admin":
        return NATIONAL
    if user.role in ("ministry", "agency"):
        return Scope("agency", str(user.agency_id))
    if user.role == "region":
        return Scope("region", user.region_code)
    return Scope("unit", user.unit.slug)


def _agency_path(session: Session, agency_id: str) -> str | None:
    return session.scalar(select(Agency.path).where(Agency.id == int(agency_id)))


def _in_region(code: str | None, region: str) -> bool:
    return code is not None and (code == region or code.startswith(region + "."))


def covers(session: Session, outer: Scope, inner: Scope) -> bool:
    """Tell whether everything in `inner` lies within `outer`."""
    if outer.kind == "national":
        return True
    if inner.kind == "unit":
        unit = queries.unit_by_slug(session, inner.value)
        if unit is None:
            return False
        if outer.kind == "unit":
            return outer.value == unit.slug
        if outer.kind == "region":
            return _in_region(unit.region_code, outer.value)
        path = _agency_path(session, outer.value)
        return path is not None and unit.agency.path.startswith(path)
    if outer.kind == "region" and inner.kind == "region":
        return _in_region(inner.value, outer.value)
    if outer.kind == "agency" and inner.kind == "agency":
        outer_path, inner_path = (_agency_path(session, outer.value),
                                  _agency_path(session, inner.value))
        return None not in (outer_path, inner_path) and inner_path.startswith(outer_path)
    return False


def may_see(session: Session, user: User | None, scope: Scope) -> bool:
    """Tell whether a user may see the private data (answers, suggestions, flags) of a scope."""
    return user is not None and user.active and covers(session, user_scope(user), scope)


# Roles above a unit: they decide on the exclusion of a unit's answers (DESIGN.md §7a).
ABOVE_UNITS = frozenset({"admin", "ministry", "agency", "region"})


def may_decide_exclusion(session: Session, user: User | None, unit: ServiceUnit,
                         proposer_id: int) -> bool:
    """Tell whether a user may approve or refuse a proposal on one of a unit's answers.

    Only an account of a level above the unit whose scope contains it, and never the person who
    proposed it: two people, one of them outside the unit, move a published number.
    """
    return (user is not None and user.role in ABOVE_UNITS and user.id != proposer_id
            and may_see(session, user, Scope("unit", unit.slug)))


def sees_contacts(user: User | None, unit: ServiceUnit) -> bool:
    """Tell whether a user may read the contacts citizens left: only the unit's own staff.

    The levels above a unit see its inbox, but a contact serves only the unit's answer.
    """
    return user is not None and user.active and user.role == "unit" and user.unit_id == unit.id


# Blueprints whose every route is open: the citizen pages and the published figures (read-only).
OPEN_BLUEPRINTS = frozenset({"public", "api"})


def rule_of(app, endpoint: str) -> str | None:
    """Return the access rule of an endpoint, or None if it has none (a test forbids that)."""
    if endpoint == "static" or endpoint.split(".", 1)[0] in OPEN_BLUEPRINTS:
        return "public"
    return getattr(app.view_functions[endpoint], "access_rule", None)


def _mark(view, rule: str):
    view.access_rule = rule
    return view


def public(view):
    """Declare a route open to everyone (citizen pages, published figures)."""
    return _mark(view, "public")


def _login_redirect():
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def signed_in(view):
    """Declare a route open to any signed-in user (their own account pages)."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if g.get("user") is None:
            return _login_redirect()
        return view(*args, **kwargs)
    return _mark(guarded, "signed_in")


def within(scope_of):
    """Declare a route about one scope, given by `scope_of(**view_args)`: its owners only."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            user = g.get("user")
            if user is None:
                return _login_redirect()
            if not may_see(db.session(), user, scope_of(**kwargs)):
                abort(403)
            return view(*args, **kwargs)
        return _mark(guarded, "within")
    return decorate


def unit_staff(view):
    """Declare a route for the staff of the unit its address names (`slug`): citizens' contacts."""
    @wraps(view)
    def guarded(*args, **kwargs):
        user = g.get("user")
        if user is None:
            return _login_redirect()
        unit = queries.unit_by_slug(db.session(), kwargs["slug"])
        if unit is None or not sees_contacts(user, unit):
            abort(403)
        return view(*args, **kwargs)
    return _mark(guarded, "unit_staff")


def above_units(view):
    """Declare a route for the levels above a unit (ministry, agency, region, admin)."""
    @wraps(view)
    def guarded(*args, **kwargs):
        user = g.get("user")
        if user is None:
            return _login_redirect()
        if user.role not in ABOVE_UNITS:
            abort(403)
        return view(*args, **kwargs)
    return _mark(guarded, "above_units")


def admin_only(view):
    """Declare a route for administrators only."""
    @wraps(view)
    def guarded(*args, **kwargs):
        user = g.get("user")
        if user is None:
            return _login_redirect()
        if user.role != "admin":
            abort(403)
        return view(*args, **kwargs)
    return _mark(guarded, "admin")
