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
from tests.web.conftest import UNITS

DESCRIPTION = views.Path(views.__file__).with_name("openapi.json")

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATIONS = [result.ok().path
              for result in schemathesis.openapi.from_path(DESCRIPTION).get_all_operations()]
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
    assert sorted(OPERATIONS) == sorted(routes)


@pytest.mark.parametrize("path", OPERATIONS)
def test_the_api_keeps_its_description(app, dataset, path):
    operation = _bound(app)[path]["GET"]
    cases = [operation.as_strategy(GenerationMode.POSITIVE),
             operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{slug}" in path:  # a stored unit too, not only the 404 of a random slug
        cases += [operation.as_strategy(mode, path_parameters={"slug": slug})
                  for mode in GenerationMode for slug, _, _ in UNITS[:1]]

    calls = []

    @EXAMPLES
    @given(case=st.one_of(cases))
    def run(case):
        calls.append(case.call_and_validate(checks=CHECKS).status_code)

    run()
    # Both kinds of values reached the views: figures for allowed ones, 400 for the others
    # (an operation without parameters has a single case, and Hypothesis stops after it).
    expected = {200, 400} if operation.query or operation.path_parameters else {200}
    assert expected <= set(calls), sorted(set(calls))
