"""Hostile values in every address and in the main forms never make a 500 (DESIGN.md §7a).

Every GET route of the application is requested, anonymously, as an administrator and as a unit
head, with path variables and query parameters drawn by hypothesis: the names the views read
plus random ones, and values that broke loose parsing before (digit strings past an INTEGER,
Unicode digits, NUL, CR LF, percent-encodings, very long texts, dates of year 1 and 9999,
negative numbers). In TESTING mode an unhandled exception propagates out of the test client,
so a server error fails here with its traceback; a streamed body is read to its end.
"""

import re
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from survey import create_app
from survey.models import Response, ServicePoint, ServiceUnit
from survey.reports.chart_builders import SCOPE_CHARTS, UNIT_CHARTS
from tests.web.conftest import sign_in
from tests.web.test_auth import csrf_token
from tests.web.test_form import form_data

# Bounded so that the module runs in about a minute on two cores (see the README's test notes).
# No shrinking: a request that fails is reported as drawn (the draws name the endpoint).
ROUNDS = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                  phases=(Phase.explicit, Phase.generate),
                  suppress_health_check=[HealthCheck.function_scoped_fixture,
                                         HealthCheck.too_slow, HealthCheck.data_too_large])
FORMS = settings(ROUNDS, max_examples=25)

HOSTILE = [
    "99999999999999999999", "2147483648", "2147483647", "0", "-1", "-2147483649", "+1", " 1",
    "1_000", "1e309", "nan", "²", "٣", "١٢", "１２", "߀", "\x00", "a\x00b", "\r\nSet-Cookie: x=1",
    "%00", "%0d%0a", "%", "%zz", "x" * 3000, "9" * 400, "0001-01-01", "9999-12-31", "2099-12-31",
    "0001-01-01..9999-12-31", "2026-S٢", "٢٠٢٦-S1", "9999", "1999", "2100-S2", "2026-S3",
    "agency:99999999999999999999", "agency:²", "agency:-1", "region:\x00", "region:35\n",
    "unit:\x00", "unit:" + "a" * 300, "unit:UNIT-SBY", "national:", "../../etc/passwd", "'", '"',
    "<script>", "\ud7ff\uffff", "\U0001f600", "true", "1", "en", "id", "csv",
]
VALID = ["2025", "2025-S1", "2025-Q3", "2025-03", "national", "region:35", "unit:unit-sby",
         "province", "unit", "pooled", "mean_of_units", "exact", "responses", "figures", "2",
         "unit-sby", "baru", "U1", "2025-06-01"]
# Every parameter name the views read (grep request.args, FilterForm and AuditFilterForm).
NAMES = ["scope", "period", "periods", "group_by", "method", "convention", "elements", "page",
         "q", "provinsi", "lang", "locale", "kind", "saran", "versi", "status", "tag", "action",
         "since", "until", "unit", "coba", "next"]
RAW_QUERIES = ["period=%zz", "scope=agency%3A%C2%B2", "page=%FF%FE", "q=%00", "a=%",
               "period=2025&period=9999-12-31", "scope", "=", "&&&", "page=99999999999999999999",
               "versi=%D9%A3", "since=0001-01-01&until=9999-12-31", "lang=%0D%0A"]

values = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(VALID), st.text(max_size=20),
                   st.from_regex(r"-?[0-9]{1,25}", fullmatch=True),
                   st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩²³０１２-:.", min_size=1, max_size=22))
queries = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(NAMES), st.text(max_size=8)), values, max_size=4),
    st.sampled_from(RAW_QUERIES))


def _get_rules():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    return sorted((rule.rule, rule.endpoint, tuple(rule.arguments - set(rule.defaults or ())))
                  for rule in app.url_map.iter_rules() if "GET" in rule.methods)


GET_RULES = _get_rules()
STAFF = tuple(rule for rule in GET_RULES if not rule[1].startswith(("public.", "api.", "static")))


@pytest.fixture
def known(session, users):
    """Return a valid value of each path variable: ids and tokens of stored rows."""
    sby = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    point = ServicePoint(unit_id=sby.id, name="Loket uji", token="tokfuzz234")
    session.add(point)
    session.commit()
    answer = session.scalars(select(Response.id).where(Response.unit_id == sby.id)).first()
    ids = {"point_id": point.id, "user_id": users["unit"].id, "response_id": answer}
    return {"slug": "unit-sby", "token": point.token, "fmt": "csv", "kind": "qr.svg",
            "filename": "style.css", "name": "trend", **{key: str(v) for key, v in ids.items()}}


def _address(rule: str, arguments: dict) -> str:
    """Fill a rule's variables with percent-encoded values."""
    return re.sub(r"<(?:[^:<>]+:)?([a-z_]+)>",
                  lambda match: quote(arguments[match[1]], safe=""), rule)


def _path_values(known: dict, names: tuple[str, ...]):
    return st.fixed_dictionaries({name: st.one_of(st.just(known.get(name, "x")), values)
                                  for name in names})


def _request_every_rule(client, known, data, rules) -> int:
    """Request each rule once with drawn values; return how many requests were made."""
    for rule, endpoint, names in rules:
        arguments = data.draw(_path_values(known, names), label=endpoint)
        if endpoint.endswith("_chart"):
            arguments.setdefault("name", data.draw(st.sampled_from(
                [*UNIT_CHARTS, *SCOPE_CHARTS, "pie"])))
        query = data.draw(queries, label=f"{endpoint} query")
        response = client.get(_address(rule, arguments), query_string=query)
        response.get_data()  # a streamed export fails while it is read
        assert response.status_code < 500, (endpoint, arguments, query)
        response.close()
    return len(rules)


@pytest.mark.parametrize("role", [None, "admin", "unit"])
def test_no_get_route_answers_500_to_hostile_values(client, users, known, role):
    if role:
        sign_in(client, users[role])
    rules = GET_RULES if role else tuple(r for r in GET_RULES if r not in STAFF)

    made = []

    @ROUNDS
    @given(data=st.data())
    def run(data):
        made.append(_request_every_rule(client, known, data, rules))

    run()
    # Every route had its max_examples draws (derandomized: the same ones on every run).
    assert made == [len(rules)] * ROUNDS.max_examples


def _text_fields(names, valid: dict):
    return st.fixed_dictionaries({name: st.one_of(st.just(valid.get(name, "")), values)
                                  for name in names})


def test_the_citizen_form_never_answers_500(app, client, users, known, session):
    point = session.get(ServicePoint, int(known["point_id"]))
    valid = form_data(app, point)

    @FORMS
    @given(fields=_text_fields(list(valid), valid), channel=st.sampled_from(["s", "q", "k"]))
    def run(fields, channel):
        fields["client_uuid"] = fields["client_uuid"] or str(uuid.uuid4())
        response = client.post(f"/{channel}/{point.token}", data=fields)
        assert response.status_code < 500, fields
        statuses.append(response.status_code)

    statuses = []
    run()
    # Valid answers were stored (303) and hostile ones refused: the draws reached the form.
    assert len(statuses) == FORMS.max_examples and 303 in statuses and 422 in statuses, statuses


def test_sign_in_never_answers_500(client, users):
    token = csrf_token(client)
    valid = {"email": "unit@uji.go.id", "password": "salah-sekali-123", "csrf_token": token}

    @FORMS
    @given(fields=_text_fields(list(valid), valid))
    def run(fields):
        response = client.post("/masuk", data=fields)
        assert response.status_code < 500, fields
        statuses.append(response.status_code)

    statuses = []
    run()
    assert len(statuses) == FORMS.max_examples, statuses


ADMIN_FORMS = {
    "/admin/units/new": {"name": "Unit Fuzz", "slug": "unit-fuzz", "agency_id": "1",
                         "region_code": "35.78"},
    "/admin/units/unit-sby/edit": {"name": "Unit Fuzz", "slug": "unit-sby", "agency_id": "1",
                                   "region_code": "35.78", "status": "active"},
    "/admin/units/unit-sby/periods/range": {"label": "fuzz", "name": "Fuzz",
                                            "starts_on": "2025-01-01", "ends_on": "2025-02-01"},
    "/admin/units/unit-sby/periods/population": {"label": "2025-S1", "population": "100"},
}


@pytest.mark.parametrize("address", ADMIN_FORMS)
def test_the_admin_unit_and_period_forms_never_answer_500(client, users, address):
    sign_in(client, users["admin"])
    token = csrf_token(client, "/akun")
    valid = {**ADMIN_FORMS[address], "csrf_token": token}

    @FORMS
    @given(fields=_text_fields(list(valid), valid))
    def run(fields):
        response = client.post(address, data=fields)
        assert response.status_code < 500, fields
        statuses.append(response.status_code)

    statuses = []
    run()
    assert len(statuses) == FORMS.max_examples, statuses
