"""The routes of the invitations blueprint, each view with its access rule (survey/access.py).

The answering page (/u/<code>) is the citizen's; the pages under /admin are the unit's staff's
and the levels' above it. The API's route is on the API blueprint (survey/api/views.py).
"""

from survey.invitations import blueprint, staff_views, views
# Messages and opt-outs declare their routes on the blueprint where they are written.
from survey.invitations import message_views  # noqa: F401
from survey.security import csrf

GET, POST = ("GET",), ("POST",)
POINT = "/admin/units/<slug>/points/<int:point_id>/invitations"
ROUTES = (
    # Answers go to /kirim for the reason the public form's do (survey/public/views.py).
    ("/u/<code>", "answer", views.answer, ("GET", "POST")),
    ("/u/<code>/kirim", "send", views.answer, POST),
    (POINT, "point", staff_views.point, GET),
    (f"{POINT}/issue", "issue", staff_views.issue, POST),
    (f"{POINT}/<int:first_id>/<any('lembar', 'tiket'):layout>.pdf", "download",
     staff_views.download, GET),
    (f"{POINT}/keys", "new_key", staff_views.new_key, POST),
    (f"{POINT}/keys/<int:key_id>/revoke", "revoke_key", staff_views.revoke_key, POST),
)
for rule, endpoint, view, methods in ROUTES:
    blueprint.add_url_rule(rule, endpoint, view_func=view, methods=methods)
# The citizen's form carries its own signed token, as the public form does (survey/__init__.py).
csrf.exempt(views.answer)
