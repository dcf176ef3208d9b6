"""Who sees what: every route has a rule, and every scoped route is checked for every role.

A unit head must not reach another unit's data by editing an address. The table below lists an
address for every route that is not open to all; a new route fails the first test until it has
both a rule and a row here.
"""

import pytest

from survey import access
from tests.web.conftest import ROLES, sign_in

# (address, roles allowed). Users: ministry = "Kementerian Uji" (all four units), agency =
# "Dinas Uji" (unit-sby, unit-sda, unit-mks), region = Jawa Timur (unit-sby, unit-sda),
# unit = unit-sby. unit-jpr belongs to the ministry directly, in Papua.
EVERYONE = set(ROLES)
TABLE = [
    ("/dasbor/unit/unit-sby", EVERYONE),
    ("/dasbor/unit/unit-sda", {"admin", "ministry", "agency", "region"}),
    ("/dasbor/unit/unit-mks", {"admin", "ministry", "agency"}),
    ("/dasbor/unit/unit-jpr", {"admin", "ministry"}),
    ("/dasbor/unit/unit-sby/grafik/gauge.svg?period=2025", EVERYONE),
    ("/dasbor/unit/unit-sda/grafik/gauge.svg?period=2025", {"admin", "ministry", "agency", "region"}),
    ("/dasbor/?scope=national&period=2025", {"admin"}),
    ("/dasbor/?scope=region:35&period=2025", {"admin", "region"}),
    ("/dasbor/?scope=region:35.78&period=2025", {"admin", "region"}),
    ("/dasbor/?scope=region:73&period=2025", {"admin"}),
    ("/dasbor/?scope=agency:{office}&period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/?scope=agency:{ministry}&period=2025", {"admin", "ministry"}),
    ("/dasbor/?scope=unit:unit-sby&period=2025", EVERYONE),
    ("/dasbor/?scope=unit:unit-mks&period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/grafik/ranking.svg?scope=region:35&period=2025", {"admin", "region"}),
    ("/dasbor/grafik/ranking.svg?scope=national&period=2025", {"admin"}),
    ("/dasbor/unit/unit-sby/laporan.pdf?period=2025", EVERYONE),
    ("/dasbor/unit/unit-mks/laporan.pdf?period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/unit/unit-sby/laporan.docx?period=2025", EVERYONE),
    ("/dasbor/unit/unit-mks/laporan.docx?period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/laporan.pdf?scope=region:35.78&period=2025", {"admin", "region"}),
    ("/dasbor/unduh.csv?scope=unit:unit-sda&period=2025&kind=responses",
     {"admin", "ministry", "agency", "region"}),
    ("/dasbor/unduh.xlsx?scope=agency:{office}&period=2025", {"admin", "ministry", "agency"}),
    # The Zona Integritas units of a scope: its owners, as the scope dashboard.
    ("/dasbor/zona-integritas?scope=region:35&period=2025", {"admin", "region"}),
    ("/dasbor/zona-integritas?scope=agency:{office}&period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/zona-integritas?scope=unit:unit-sby&period=2025", EVERYONE),
    ("/akun", EVERYONE),
    ("/dasbor/unit/unit-sby/kertas", EVERYONE),
    ("/dasbor/unit/unit-mks/kertas", {"admin", "ministry", "agency"}),
    ("/dasbor/unit/unit-sby/impor-riwayat", EVERYONE),
    ("/dasbor/unit/unit-mks/impor-riwayat", {"admin", "ministry", "agency"}),
    ("/dasbor/unit/unit-sby/tinjauan", EVERYONE),
    ("/dasbor/unit/unit-jpr/tinjauan", {"admin", "ministry"}),
    # The queue of exclusion proposals: the levels above a unit only.
    ("/dasbor/persetujuan", {"admin", "ministry", "agency", "region"}),
    ("/admin/", EVERYONE),
    ("/admin/units/new", {"admin", "ministry", "agency", "region"}),
    ("/admin/units/unit-sby", EVERYONE),
    ("/admin/units/unit-sda", {"admin", "ministry", "agency", "region"}),
    ("/admin/units/unit-mks", {"admin", "ministry", "agency"}),
    ("/admin/units/unit-jpr", {"admin", "ministry"}),
    ("/admin/units/unit-sby/edit", {"admin", "ministry", "agency", "region"}),
    ("/admin/units/unit-jpr/edit", {"admin", "ministry"}),
    ("/admin/units/unit-sby/periods", EVERYONE),
    ("/admin/units/unit-mks/periods", {"admin", "ministry", "agency"}),
    ("/admin/questionnaire", EVERYONE),
    ("/admin/units/unit-sby/questionnaires", EVERYONE),
    ("/admin/units/unit-jpr/questionnaires", {"admin", "ministry"}),
    ("/admin/units/unit-sby/questionnaires/draft", EVERYONE),
    ("/admin/units/unit-sda/questionnaires/draft", {"admin", "ministry", "agency", "region"}),
    ("/admin/users", {"admin"}),
    ("/admin/users/new", {"admin"}),
    ("/admin/audit", EVERYONE),
    # The inbox and follow-up plan of a unit: the unit and the levels above it.
    ("/dasbor/unit/unit-sby/kotak-masuk", EVERYONE),
    ("/dasbor/unit/unit-mks/kotak-masuk", {"admin", "ministry", "agency"}),
    ("/dasbor/unit/unit-jpr/kotak-masuk", {"admin", "ministry"}),
    ("/dasbor/unit/unit-sby/rtl?period=2025-S2", EVERYONE),
    ("/dasbor/unit/unit-jpr/rtl?period=2025-S2", {"admin", "ministry"}),
    ("/dasbor/tindak-lanjut?scope=national&period=2025", {"admin"}),
    ("/dasbor/tindak-lanjut?scope=region:35&period=2025", {"admin", "region"}),
    ("/dasbor/tindak-lanjut?scope=agency:{office}&period=2025", {"admin", "ministry", "agency"}),
    ("/dasbor/aturan-tag", {"admin"}),
    # Invitations by message hold citizens' contacts: the unit's own staff only.
    ("/dasbor/unit/unit-sby/undangan/pesan", {"unit"}),
    ("/dasbor/unit/unit-sda/undangan/pesan", set()),
    ("/admin/pesan-uji", {"admin"}),
    # The servers whose figures this one trusts: administrators only.
    ("/admin/exchange", {"admin"}),
    # Integrity alerts (SPAK): the unit sees its own, the levels above those of their scope.
    ("/dasbor/peringatan-integritas?scope=unit:unit-sby", EVERYONE),
    ("/dasbor/peringatan-integritas?scope=unit:unit-mks", {"admin", "ministry", "agency"}),
    ("/dasbor/peringatan-integritas?scope=region:35", {"admin", "region"}),
    # Their CSV and their API (with the same rule; a visitor of the API gets 401, not a form).
    ("/dasbor/peringatan-integritas/unduh.csv?scope=unit:unit-sby", EVERYONE),
    ("/dasbor/peringatan-integritas/unduh.csv?scope=unit:unit-mks", {"admin", "ministry", "agency"}),
    ("/api/v1/integrity-alerts?scope=unit:unit-sby", EVERYONE),
    ("/api/v1/integrity-alerts?scope=unit:unit-mks", {"admin", "ministry", "agency"}),
    ("/api/v1/integrity-alerts?scope=region:35", {"admin", "region"}),
    ("/api/v1/integrity-alerts?scope=agency:{office}", {"admin", "ministry", "agency"}),
]
ENDPOINTS_IN_TABLE = {"reports.unit", "reports.unit_chart", "reports.scope", "reports.scope_chart",
                      "downloads.unit_pdf", "downloads.unit_docx", "downloads.scope_pdf",
                      "downloads.export", "reports.zone_integrity",
                      # A unit's SPKP/SPAK report: role by role in test_zone_integrity.py.
                      "downloads.unit_zi_pdf",
                      "auth.account", "staff.paper", "review.flagged", "review.queue",
                      "admin.units_list", "admin.new_unit", "admin.unit", "admin.edit_unit",
                      "admin.periods", "admin.shared_questionnaire", "admin.questionnaires_list",
                      "admin.draft", "admin.users", "admin.new_user", "admin.audit_log",
                      "inbox.cases", "followup.plan", "followup.overview", "inbox.rules",
                      # Addresses with a service point or an account id, which the fixtures
                      # lack: checked role by role in test_admin_units.py / test_admin_users.py.
                      "admin.poster", "admin.edit_user", "admin.exchange_sources",
                      # An address with a response id: checked role by role in test_inbox.py.
                      "inbox.case",
                      # Addresses with a batch id: checked role by role in
                      # test_entry_batches.py.
                      "staff.batch", "staff.scan",
                      # Addresses with an upload token or an import's event id:
                      # test_history_import_page.py.
                      "history.upload", "history.preview", "history.result",
                      # Addresses with a point id: role by role in test_invitation_codes.py.
                      "invitations.point", "invitations.download",
                      "invitations.messages", "invitations.message_log",
                      "integrity_alerts.alerts", "integrity_alerts.download",
                      "integrity_alerts.api"}
# Routes reached by POST only, checked in tests/web/test_auth.py, test_exclusions.py,
# test_admin_*.py, test_kiosk_enrolment.py, test_inbox.py and test_followup.py.
POST_ONLY = {"auth.logout", "auth.api_token", "review.flag", "review.keep",
             "review.propose", "review.decide",
             "admin.add_point", "admin.rename_point", "admin.point_state",
             "admin.save_population", "admin.save_period", "admin.copy_questionnaire",
             "admin.save_draft", "admin.add_item", "admin.remove_item", "admin.publish",
             "admin.discard_draft", "admin.user_state", "admin.reset_password",
             "admin.end_sessions", "admin.kiosk_start", "admin.kiosk_revoke",
             "inbox.save_tags", "inbox.set_status", "inbox.reply", "inbox.mark_sent",
             "inbox.public_answer", "inbox.remove_rule", "followup.update",
             "staff.close", "staff.upload", "admin.report_profile",
             # test_invitation_codes.py and test_invitation_api.py
             "invitations.issue", "invitations.new_key", "invitations.revoke_key",
             # test_invitation_messages.py
             "invitations.mark_sent",
             # test_exchange.py and test_instruments_form.py
             "admin.add_source", "admin.revoke_source", "admin.point_instruments_view",
             # test_integrity_alerts.py
             "integrity_alerts.handle",
             # test_zone_integrity.py
             "admin.unit_zone"}


def test_every_route_declares_an_access_rule(app):
    missing = [rule.endpoint for rule in app.url_map.iter_rules()
               if access.rule_of(app, rule.endpoint) is None]
    assert missing == []


def test_every_route_that_is_not_open_has_a_row_in_the_table(app):
    guarded = {rule.endpoint for rule in app.url_map.iter_rules()
               if access.rule_of(app, rule.endpoint) not in ("public", None)
               and rule.endpoint != "auth.login"}
    assert guarded - POST_ONLY == ENDPOINTS_IN_TABLE


@pytest.mark.parametrize("address, allowed", TABLE)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_scope(client, users, dataset, address, allowed, role):
    sign_in(client, users[role])
    response = client.get(address.format(**dataset))
    assert response.status_code == (200 if role in allowed else 403), response.text[:300]


@pytest.mark.parametrize("address, _", TABLE)
def test_visitors_are_sent_to_sign_in(client, dataset, address, _):
    response = client.get(address.format(**dataset))
    if address.startswith("/api/"):  # a program is told in JSON, not sent to a form
        assert (response.status_code, response.json["error"]["status"]) == (401, 401)
        return
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


def test_without_a_scope_the_dashboard_opens_on_the_users_own(client, users, dataset):
    sign_in(client, users["region"])
    page = client.get("/dasbor/?period=2025")
    assert page.status_code == 200
    assert "IKM Jawa Timur" in page.text


@pytest.mark.parametrize("address", [
    "/", "/api/v1/units/unit-mks/ikm?period=2025", "/api/v1/aggregate?period=2025",
    "/api/v1/openapi.json", "/masuk",
])
def test_published_figures_and_citizen_pages_stay_open(client, dataset, address):
    assert client.get(address).status_code == 200
