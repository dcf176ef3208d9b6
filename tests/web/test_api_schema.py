"""The API against its own description (survey/api/openapi.json), by schemathesis in-process:
every operation answers with no server error, and with the status codes, content types and
bodies the description promises, for values it allows and for values it does not."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (content_type_conformance, not_a_server_error,
                                 response_schema_conformance, status_code_conformance)

from survey.api import views
from survey.exchange import signing
from tests.web.conftest import UNITS

DESCRIPTION = views.Path(views.__file__).with_name("openapi.json")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATIONS = [(result.ok().path, result.ok().method.upper())
              for result in schemathesis.openapi.from_path(DESCRIPTION).get_all_operations()]
SMS_SECRET = "rahasia-webhook-uji"
# Answer only with a service point's API key: tested on their own, below.
KEYED = ("/api/v1/invitations", "POST")
KEYED_TRANSACTIONS = ("/api/v1/invitations/transactions", "POST")
# A scope's integrity alerts: with a personal API token of a staff account, tested below.
ALERTS = ("/api/v1/integrity-alerts", "GET")
# A package of figures for another server: with an exchange token and this server's key.
EXCHANGE = "/api/v1/exchange/package"
EXCHANGE_TOKEN = "token-pertukaran-uji"
# Bounded so that the module runs in well under a minute on two cores.
EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def _bound(app):
    """Return the description of the API with its calls going to the application in-process."""
    schema = schemathesis.openapi.from_path(DESCRIPTION)
    schema.app = app
    return schema


def test_the_description_names_every_route_of_the_api(app):
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert sorted({path for path, _ in OPERATIONS}) == sorted(routes)


@pytest.mark.parametrize(("path", "method"),
                         [op for op in OPERATIONS
                          if op not in (KEYED, KEYED_TRANSACTIONS, ALERTS)])
def test_the_api_keeps_its_description(app, dataset, path, method, monkeypatch, tmp_path):
    operation = _bound(app)[path][method]
    # The SMS webhook with its secret: any form it is sent is answered with a reply text.
    monkeypatch.setitem(app.config, "SUARA_SMS_SECRET", SMS_SECRET)
    # Bodies as the description has them: compression is the transport's (test_compression.py).
    headers = {"Accept-Encoding": "identity"}
    if path == EXCHANGE:
        monkeypatch.setitem(app.config, "SUARA_EXCHANGE_TOKENS", [EXCHANGE_TOKEN])
        monkeypatch.setitem(app.config, "SUARA_EXCHANGE_KEY", str(tmp_path / "key.pem"))
        signing.generate(tmp_path / "key.pem")
        headers["Authorization"] = f"Bearer {EXCHANGE_TOKEN}"
    if method == "POST":
        headers["X-Suara-Secret"] = SMS_SECRET
    cases = [operation.as_strategy(GenerationMode.POSITIVE),
             operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{slug}" in path:  # a stored unit too, not only the 404 of a random slug
        cases += [operation.as_strategy(mode, path_parameters={"slug": slug})
                  for mode in GenerationMode for slug, _, _ in UNITS[:1]]

    calls = []

    @EXAMPLES
    @given(case=st.one_of(cases))
    def run(case):
        calls.append(case.call_and_validate(checks=CHECKS, headers=headers).status_code)

    run()
    # Both kinds of values reached the views: figures for allowed ones, 400 for the others
    # (an operation without parameters has a single case, and Hypothesis stops after it).
    expected = {200, 400} if operation.query or operation.path_parameters else {200}
    assert expected <= set(calls), sorted(set(calls))


def _point_key(session, users) -> str:
    """Return a new API key of a new point of the dataset's first unit."""
    from survey.invitations import api_keys
    from survey.models import ServicePoint, ServiceUnit, utcnow

    unit = session.query(ServiceUnit).filter_by(slug=UNITS[0][0]).one()
    point = ServicePoint(unit_id=unit.id, name="Loket 1", token="loket1schema")
    session.add(point)
    session.flush()
    _, key = api_keys.create(session, point, "Mesin antrean", users["unit"], "test-secret",
                             utcnow())
    session.commit()
    return key


def test_the_invitation_api_keeps_its_description(app, session, dataset, users):
    key = _point_key(session, users)
    operation = _bound(app)[KEYED[0]][KEYED[1]]
    calls = []

    @EXAMPLES
    @given(case=operation.as_strategy(GenerationMode.POSITIVE),
           headers=st.sampled_from([{"Authorization": f"Bearer {key}"},
                                    {"Authorization": "Bearer suara_bukan-kunci"}, {}]))
    def run(case, headers):
        calls.append(case.call_and_validate(
            checks=CHECKS, headers={**headers, "Accept-Encoding": "identity"}).status_code)

    run()
    # A new code with the key; 401 with a wrong key or none.
    assert set(calls) == {201, 401}, sorted(set(calls))


def test_the_transaction_api_keeps_its_description(app, session, dataset, users):
    key = _point_key(session, users)
    operation = _bound(app)[KEYED_TRANSACTIONS[0]][KEYED_TRANSACTIONS[1]]
    calls = []

    @EXAMPLES
    @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          *operation.get_strategies_from_examples()),
           headers=st.sampled_from([{"Authorization": f"Bearer {key}"},
                                    {"Authorization": "Bearer suara_bukan-kunci"}, {}]))
    def run(case, headers):
        calls.append(case.call_and_validate(
            checks=CHECKS, headers={**headers, "Accept-Encoding": "identity"}).status_code)

    run()
    # The description's example body is invited (201); generated contacts and times are
    # mostly refused (400); a wrong key or none gets 401; a generated Idempotency-Key drawn
    # again with another body gets 422.
    assert {201, 400, 401} <= set(calls) <= {201, 400, 401, 422}, sorted(set(calls))


def test_the_integrity_alert_api_keeps_its_description(app, session, dataset, users):
    from survey.auth import accounts

    token = accounts.new_api_token(users["region"])  # Jawa Timur: some scopes are not its own
    session.commit()
    operation = _bound(app)[ALERTS[0]][ALERTS[1]]
    calls = []

    @EXAMPLES
    @given(case=st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                          operation.as_strategy(GenerationMode.NEGATIVE)),
           headers=st.sampled_from([{"Authorization": f"Bearer {token}"},
                                    {"Authorization": "Bearer suara_bukan-token"}, {}]))
    def run(case, headers):
        calls.append(case.call_and_validate(
            checks=CHECKS, headers={**headers, "Accept-Encoding": "identity"}).status_code)

    run()
    # Alerts of its own scope (200), refused values (400), no token or a wrong one (401).
    assert {200, 400, 401} <= set(calls), sorted(set(calls))
