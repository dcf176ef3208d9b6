"""No cache keeps what a sign-in shows: `private, no-store` on every staff route and every
signed-in request; the citizens' pages and /hasil keep their own caching."""

import pytest
from flask import url_for

from survey import access
from tests.web.conftest import sign_in

PRIVATE = "private, no-store"
# Values for the converters of staff routes, enough to reach each view or its refusal.
SAMPLE_ARGS = {"slug": "unit-sby", "name": "gauge", "fmt": "csv", "kind": "qr.svg",
               "code": "U1", "user_id": 1, "response_id": 1, "point_id": 1, "reply_id": 1,
               "rule_id": 1, "action_id": 1, "proposal_id": 1, "device_id": 1,
               "batch_id": 1, "scan_id": 1, "first_id": 1, "layout": "lembar", "key_id": 1,
               "message_id": 1, "source_id": 1, "token": "unggahan-uji",
               "event_id": 1, "alert_id": 1}


def staff_routes(app):
    """Return (rule, method) of every route behind a sign-in, from the app's url_map."""
    return [(rule, method) for rule in app.url_map.iter_rules()
            if access.rule_of(app, rule.endpoint) != "public"
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def test_every_staff_route_is_private_even_when_it_turns_a_visitor_away(app, client, users):
    routes = staff_routes(app)
    assert len(routes) > 40  # the dashboards, exports, inbox, admin and account pages
    for rule, method in routes:
        with app.test_request_context():
            address = url_for(rule.endpoint, **{arg: SAMPLE_ARGS[arg] for arg in rule.arguments})
        response = client.open(address, method=method)
        # An API route answers a visitor 401 (tests/web/test_access.py), a page sends them on.
        expected = (401,) if address.startswith("/api/") else (302, 400)
        assert response.status_code in expected, (address, method, response.status_code)
        assert response.headers["Cache-Control"] == PRIVATE, (address, method)


@pytest.mark.parametrize("address, role, kind", [
    ("/dasbor/?scope=national&period=2025", "admin", "text/html"),
    ("/dasbor/unit/unit-sby?period=2025", "unit", "text/html"),
    ("/dasbor/grafik/ranking.svg?scope=national&period=2025", "admin", "image/svg+xml"),
    ("/dasbor/unit/unit-sby/grafik/gauge.svg?period=2025", "unit", "image/svg+xml"),
    ("/dasbor/unit/unit-sby/kotak-masuk", "unit", "text/html"),
    ("/dasbor/unduh.csv?scope=unit:unit-sby&period=2025&kind=responses", "unit", "text/csv"),
    ("/dasbor/unit/unit-sby/laporan.pdf?period=2025", "unit", "application/pdf"),
    ("/admin/users", "admin", "text/html"),
    ("/akun", "unit", "text/html"),
])
def test_signed_in_pages_and_files_are_never_cached(client, users, address, role, kind):
    sign_in(client, users[role])
    response = client.get(address)
    assert response.status_code == 200 and response.mimetype == kind
    assert response.headers["Cache-Control"] == PRIVATE


def test_a_public_page_is_private_for_a_signed_in_user_only(client, users):
    visitor = client.get("/hasil/unit-sby")
    assert visitor.status_code == 200
    assert visitor.headers["Cache-Control"] == "public, max-age=300"  # its own, unchanged
    assert client.get("/masuk").headers.get("Cache-Control") != PRIVATE
    sign_in(client, users["unit"])
    assert client.get("/hasil/unit-sby").headers["Cache-Control"] == PRIVATE
