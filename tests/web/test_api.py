"""The JSON API's numbers equal a plain-Python recomputation from the stored rows."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from sqlalchemy import select

from survey.models import Response, ServiceUnit
from survey.responses import ANSWER_COLUMNS
from tests.web.conftest import UNITS


def stored(session, slugs, start, end):
    """Return the answer rows (lists of 9) of units between local dates, excluded ones left out."""
    query = (select(*(getattr(Response, c) for c in ANSWER_COLUMNS))
             .join(ServiceUnit, ServiceUnit.id == Response.unit_id)
             .where(ServiceUnit.slug.in_(slugs), Response.excluded.is_(False),
                    Response.submitted_on.between(date.fromisoformat(start),
                                                  date.fromisoformat(end))))
    return [list(row) for row in session.execute(query)]


def konversi(rows) -> Decimal:
    """Recompute PermenPANRB 14/2017 by hand: mean of the nine NRR (weight 1/9) times 25."""
    n = len(rows)
    nrr = [Fraction(sum(row[i] for row in rows), n) for i in range(9)]
    exact = sum(nrr) / 9 * 25
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def as_decimal(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_unit_ikm_equals_a_recomputation_from_rows(client, session, dataset):
    body = client.get("/api/v1/units/unit-sby/ikm?period=2025-S2").get_json()
    rows = stored(session, ["unit-sby"], "2025-07-01", "2025-12-31")
    assert body["respondents"] == len(rows)
    assert as_decimal(body["ikm_konversi"]) == konversi(rows)
    for index, element in enumerate(body["elements"]):
        assert element["code"] == f"U{index + 1}"
        assert element["nrr"] == pytest.approx(sum(r[index] for r in rows) / len(rows), abs=1e-4)
        assert sum(element["answers"].values()) == len(rows)
    assert body["ci"]["low"] < body["ikm_konversi"] < body["ci"]["high"]
    assert body["period"] == {"label": "2025-S2", "name": "Semester II 2025",
                              "starts_on": "2025-07-01", "ends_on": "2025-12-31"}


def test_a_response_belongs_to_the_period_of_its_local_date(client, session, dataset):
    # The all-1 response at 2025-06-30 20:00 UTC is 1 July in Jayapura (WIT): semester II.
    s1 = client.get("/api/v1/units/unit-jpr/ikm?period=2025-S1").get_json()
    s2 = client.get("/api/v1/units/unit-jpr/ikm?period=2025-S2").get_json()
    assert s1["respondents"] == len(stored(session, ["unit-jpr"], "2025-01-01", "2025-06-30"))
    assert s2["respondents"] == len(stored(session, ["unit-jpr"], "2025-07-01", "2025-12-31"))
    july = client.get("/api/v1/units/unit-jpr/ikm?period=2025-07").get_json()
    assert july["elements"][0]["answers"]["1"] >= 1


@pytest.mark.parametrize("method", ["pooled", "mean_of_units"])
def test_aggregate_by_province_equals_a_recomputation(client, session, dataset, method):
    body = client.get(f"/api/v1/aggregate?scope=national&period=2025&group_by=province"
                      f"&method={method}").get_json()
    provinces = {"35": ["unit-sby", "unit-sda"], "73": ["unit-mks"], "91": ["unit-jpr"]}
    by_key = {row["key"]: row for row in body["rows"]}
    assert set(by_key) == set(provinces)
    for code, slugs in provinces.items():
        if method == "pooled":
            expected = konversi(stored(session, slugs, "2025-01-01", "2025-12-31"))
        else:
            # The mean of unit indices is taken on exact values; recompute them exactly.
            expected = _mean_exact(session, slugs)
        assert as_decimal(by_key[code]["ikm_konversi"]) == expected, code
    values = [row["ikm_konversi"] for row in body["rows"]]
    assert values == sorted(values, reverse=True)


def _mean_exact(session, slugs) -> Decimal:
    exact = []
    for slug in slugs:
        rows = stored(session, [slug], "2025-01-01", "2025-12-31")
        exact.append(sum(Fraction(sum(r[i] for r in rows), len(rows)) for i in range(9)) / 9 * 25)
    mean = sum(exact) / len(exact)
    return (Decimal(mean.numerator) / Decimal(mean.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_agency_scope_covers_its_subtree(client, session, dataset):
    ministry = client.get(f"/api/v1/aggregate?scope=agency:{dataset['ministry']}&period=2025"
                          "&group_by=unit").get_json()
    office = client.get(f"/api/v1/aggregate?scope=agency:{dataset['office']}&period=2025"
                        "&group_by=unit").get_json()
    assert {row["key"] for row in ministry["rows"]} == {slug for slug, _, _ in UNITS}
    assert {row["key"] for row in office["rows"]} == {"unit-sby", "unit-sda", "unit-mks"}


def test_trend_gives_each_semester_and_the_change(client, session, dataset):
    body = client.get("/api/v1/units/unit-sda/trend?periods=2025-S1,2025-S2").get_json()
    s1 = stored(session, ["unit-sda"], "2025-01-01", "2025-06-30")
    s2 = stored(session, ["unit-sda"], "2025-07-01", "2025-12-31")
    first, second = body["periods"]
    assert (first["period"], first["respondents"]) == ("2025-S1", len(s1))
    assert as_decimal(second["ikm_konversi"]) == konversi(s2)
    assert first["change"] is None
    # The change is the difference of exact indices (mean respondent score x 25).
    exact = [sum(sum(r) for r in rows) / len(rows) / 9 * 25 for rows in (s1, s2)]
    assert second["change"]["difference"] == pytest.approx(exact[1] - exact[0], abs=1e-4)
    assert second["change"]["significant"] == (second["change"]["p_value"] < 0.05)


@pytest.mark.parametrize("group_by", ["unit", "agency", "regency", "province"])
@pytest.mark.parametrize("method", ["pooled", "mean_of_units"])
@pytest.mark.parametrize("convention", ["exact", "w011"])
def test_a_ranking_gives_each_group_the_index_of_its_full_figures(client, dataset, group_by,
                                                                   method, convention):
    # Rows of a ranking are computed for all groups at once from three sums each; with
    # elements=true each group's figures come one by one from all 48 statistics.
    address = (f"/api/v1/aggregate?scope=national&period=2025&group_by={group_by}"
               f"&method={method}&convention={convention}")
    ranking = client.get(address).get_json()["rows"]
    full = client.get(address + "&elements=true").get_json()["rows"]
    assert len(ranking) > 1 and all("elements" not in row for row in ranking)
    assert [len(row["elements"]) for row in full] == [9] * len(full)
    assert ranking == [{k: v for k, v in row.items() if k != "elements"} for row in full]


@pytest.mark.parametrize("address, status, words", [
    ("/api/v1/units/tidak-ada/ikm", 404, "tidak ditemukan"),
    ("/api/v1/units/unit-sby/ikm?period=2025-S3", 400, "periode"),
    ("/api/v1/units/unit-sby/ikm?convention=w01", 400, "convention"),
    ("/api/v1/aggregate?scope=planet:3", 400, "cakupan"),
    ("/api/v1/aggregate?group_by=desa", 400, "group_by"),
    ("/api/v1/aggregate?method=median", 400, "method"),
    ("/api/v1/aggregate?elements=ya", 400, "elements"),
])
def test_errors_are_json_with_a_clear_message(client, dataset, address, status, words):
    response = client.get(address)
    assert response.status_code == status
    assert words in response.get_json()["error"]["message"]


def test_the_openapi_document_lists_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    routes = {rule.rule.replace("<slug>", "{slug}") for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/")}
    assert routes == set(document["paths"])
