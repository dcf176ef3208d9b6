"""The administration blueprint and its routes, each view with its access rule (survey/access.py).

Units and their points are addressed by slug and id; a point, draft or version is always
looked up within the unit of the address, so changing an id never reaches another unit.
"""

from flask import Blueprint

from analysis.elements import BY_CODE
from survey.admin import (audit_views, kiosk_views, period_views, questionnaire_views,
                          unit_views, user_views)
from survey.admin.accounts import ROLE_LABELS
from survey.admin.units import STATUSES
from survey.exchange import admin_views as exchange_views

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
UNIT = "/units/<slug>"
DRAFT = f"{UNIT}/questionnaires/draft"
USER = "/users/<int:user_id>"
ROUTES = (
    ("/", unit_views.units_list, GET),
    ("/units/new", unit_views.new_unit, BOTH),
    (UNIT, unit_views.unit, GET),
    (f"{UNIT}/edit", unit_views.edit_unit, BOTH),
    (f"{UNIT}/report-profile", unit_views.report_profile, POST),
    (f"{UNIT}/zone", unit_views.unit_zone, POST),
    (f"{UNIT}/points", unit_views.add_point, POST),
    (f"{UNIT}/points/<int:point_id>", unit_views.rename_point, POST),
    (f"{UNIT}/points/<int:point_id>/state", unit_views.point_state, POST),
    (f"{UNIT}/points/<int:point_id>/instruments", unit_views.point_instruments_view, POST),
    (f"{UNIT}/points/<int:point_id>/<any('poster.pdf', 'qr.svg', 'qr.png'):kind>",
     unit_views.poster, GET),
    (f"{UNIT}/points/<int:point_id>/kiosks", kiosk_views.kiosk_start, POST),
    (f"{UNIT}/kiosks/<int:device_id>/revoke", kiosk_views.kiosk_revoke, POST),
    (f"{UNIT}/periods", period_views.periods, GET),
    (f"{UNIT}/periods/population", period_views.save_population, POST),
    (f"{UNIT}/periods/range", period_views.save_period, POST),
    ("/questionnaire", questionnaire_views.shared_questionnaire, GET),
    (f"{UNIT}/questionnaires", questionnaire_views.questionnaires_list, GET),
    (f"{UNIT}/questionnaires/copy", questionnaire_views.copy_questionnaire, POST),
    (DRAFT, questionnaire_views.draft, GET),
    (DRAFT, questionnaire_views.save_draft, POST),
    (f"{DRAFT}/items", questionnaire_views.add_item, POST),
    (f"{DRAFT}/items/<code>/remove", questionnaire_views.remove_item, POST),
    (f"{DRAFT}/publish", questionnaire_views.publish, POST),
    (f"{DRAFT}/discard", questionnaire_views.discard_draft, POST),
    ("/users", user_views.users, GET),
    ("/users/new", user_views.new_user, BOTH),
    (USER, user_views.edit_user, BOTH),
    (f"{USER}/state", user_views.user_state, POST),
    (f"{USER}/password", user_views.reset_password, POST),
    (f"{USER}/sessions", user_views.end_sessions, POST),
    ("/audit", audit_views.audit_log, GET),
    ("/exchange", exchange_views.exchange_sources, GET),
    ("/exchange/sources", exchange_views.add_source, POST),
    ("/exchange/sources/<int:source_id>/revoke", exchange_views.revoke_source, POST),
)
for rule, view, methods in ROUTES:
    blueprint.add_url_rule(rule, view_func=view, methods=methods)


@blueprint.context_processor
def names():
    """Offer admin templates the Indonesian names of elements, unit statuses and roles."""
    return {"element_names": {code: element.name_id for code, element in BY_CODE.items()},
            "unit_statuses": STATUSES, "role_labels": ROLE_LABELS}
