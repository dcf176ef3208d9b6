"""IPKP and IPAK over periods, on the unit dashboard and in the API: the figures of each period
are instrument_figures' own, the changes Welch's t as scipy computes it."""

import math
import uuid
from datetime import datetime, timezone

import pytest
from scipy import stats as scipy_stats
from sqlalchemy import select

from survey import instrument_figures, instrument_store, periods
from survey.models import ServiceUnit
from survey.reports.documents import recent_periods
from survey.responses import default_questionnaire, insert_rows, response_values

SKM = {f"U{n}": 3 for n in range(1, 10)}
# SPAK answers chosen here (five statements), by month of 2025: S1 in March, S2 in August.
SPAK_S1 = [(4, 4, 3, 4, 4), (2, 3, 3, 1, 2), (4, 4, 4, 4, 4), (3, 3, 2, 3, 3)]
SPAK_S2 = [(4, 4, 4, 4, 4), (4, 3, 4, 4, 4), (3, 4, 4, 4, 3), (4, 4, 4, 4, 4), (4, 4, 3, 4, 4)]
# SPKP in S2 only, on six points: one series of its own, never pooled with four points.
SPKP_6 = [(6, 5, 5, 4, 6, 3, 5, 6), (5, 5, 5, 5, 5, 5, 5, 5)]
TREND = "/api/v1/units/unit-sby/instruments/trend"


def _unit(session, slug: str) -> ServiceUnit:
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()


def _store(session, unit, month: int, day: int, answers: dict) -> None:
    row = response_values(unit, questionnaire_id=default_questionnaire(session).id,
                          submitted_at=datetime(2025, month, day, 3, tzinfo=timezone.utc),
                          channel="link", answers=SKM, client_uuid=uuid.uuid4())
    insert_rows(session, [row])
    instrument_store.store(session, row, answers)


@pytest.fixture
def answered(session, dataset):
    unit = _unit(session, "unit-sby")
    for day, values in enumerate(SPAK_S1, start=3):
        _store(session, unit, 3, day, {"spak": (4, values)})
    for day, values in enumerate(SPAK_S2, start=3):
        _store(session, unit, 8, day, {"spak": (4, values)})
    for day, values in enumerate(SPKP_6, start=20):
        _store(session, unit, 8, day, {"spkp": (6, values)})
    session.commit()
    return unit


@pytest.fixture
def minimum_two(app, monkeypatch):
    """Figures from two respondents on are graded and their changes tested."""
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", 2)
    monkeypatch.setenv("SUARA_MIN_RESPONDENTS", "2")


def _welch(earlier, later) -> float:
    """scipy's Welch p-value on the respondents' means (item total / number of items)."""
    def describe(answers):
        means = [sum(row) / len(row) for row in answers]
        mean = sum(means) / len(means)
        return mean, math.sqrt(sum((m - mean) ** 2 for m in means) / (len(means) - 1)), len(means)
    return scipy_stats.ttest_ind_from_stats(*describe(later), *describe(earlier),
                                            equal_var=False).pvalue


def test_each_periods_figure_is_instrument_figures_own(session, answered, minimum_two):
    period_list = recent_periods(periods.parse("2025-S2"))[1]
    trends = instrument_figures.unit_trends(session, answered.id, period_list)
    assert [(t.code, t.scale_max) for t in trends] == [("spkp", 6), ("spak", 4)]
    for found in trends:
        assert [p.label for p in found.points] == [p.label for p in period_list]
        for point, period in zip(found.points, period_list):
            own = {(f.code, f.scale_max): f for f in instrument_figures.unit_figures(
                session, answered.id, period, 0)}
            assert point.figure == own.get((found.code, found.scale_max))
    spak = trends[1]
    assert [p.figure.n for p in spak.points if p.figure] == [len(SPAK_S1), len(SPAK_S2)]


def test_the_change_is_welchs_t_on_the_same_numbers(session, answered, minimum_two):
    trends = instrument_figures.unit_trends(session, answered.id,
                                            [periods.parse("2025-S1"), periods.parse("2025-S2")])
    first, second = trends[1].points  # SPAK
    assert first.change is None
    assert second.change.test == "welch"
    assert second.change.p_value == pytest.approx(_welch(SPAK_S1, SPAK_S2), rel=1e-9)
    # The difference of the exact indices: totals 64/20 in S1 (19 + 11 + 20 + 14 over 4 x 5)
    # and 96/25 in S2 (20 + 19 + 18 + 20 + 19 over 5 x 5).
    assert second.change.difference == pytest.approx(96 / 25 - 64 / 20, rel=1e-12)
    # SPKP answered in S2 only: no change to test.
    assert [p.change for p in trends[0].points] == [None, None]


def test_provisional_figures_are_marked_and_not_tested(client, answered):
    body = client.get(f"{TREND}?period=2025-S2&instrument=spak").get_json()
    (spak,) = body["series"]
    last = spak["periods"][-1]
    # Five respondents, below the default minimum of 30 (survey/samples.py).
    assert last["provisional"] is True and last["n"] == len(SPAK_S2)
    assert last["change"]["test"] == "provisional" and last["change"]["p_value"] is None


def test_the_api_answers_the_last_periods_of_the_kind_asked(client, answered, minimum_two):
    body = client.get(f"{TREND}?period=2025-S2&instrument=spak").get_json()
    assert (body["unit"], body["kind"], body["instrument"]) == ("unit-sby", "semester", "spak")
    (spak,) = body["series"]
    # Six semesters ending with 2025-S2 (survey/reports/documents.py TREND_LENGTH).
    assert [p["period"] for p in spak["periods"]] == [
        "2023-S1", "2023-S2", "2024-S1", "2024-S2", "2025-S1", "2025-S2"]
    assert [p["n"] for p in spak["periods"]] == [0, 0, 0, 0, len(SPAK_S1), len(SPAK_S2)]
    assert spak["periods"][-1]["change"]["p_value"] == pytest.approx(
        _welch(SPAK_S1, SPAK_S2), abs=1e-6)  # rounded to six places at the edge
    assert spak["periods"][-1]["index"] == 3.84  # 96 / 25, two places
    quarters = client.get(f"{TREND}?period=2025-Q3").get_json()
    assert quarters["kind"] == "quarter" and len(quarters["series"][0]["periods"]) == 8
    assert [s["code"] for s in quarters["series"]] == ["spkp", "spak"]


def test_a_unit_without_instrument_answers_has_an_empty_trend(client, session, answered):
    assert client.get("/api/v1/units/unit-mks/instruments/trend?period=2025-S2").get_json()[
        "series"] == []
    assert instrument_figures.unit_trends(session, _unit(session, "unit-mks").id,
                                          [periods.parse("2025-S2")]) == ()
    assert instrument_figures.unit_trends(session, answered.id, []) == ()


@pytest.mark.parametrize("query", ["instrument=skm", "instrument=", "period=2025-S9",
                                   "period=1999", "period=abc&instrument=spak"])
def test_bogus_parameters_answer_400(client, answered, query):
    response = client.get(f"{TREND}?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["message"]


def test_an_unknown_unit_answers_404(client, dataset):
    assert client.get("/api/v1/units/tidak-ada/instruments/trend").status_code == 404


def test_the_unit_dashboard_shows_the_trend_under_the_ipkp_ipak_table(admin, answered,
                                                                      minimum_two):
    page = admin.get("/dasbor/unit/unit-sby?period=2025-S2").text
    table = page.index("Survei Zona Integritas")
    assert table < page.index("Perkembangan IPAK (SPAK, skala 1–4)")
    assert table < page.index("Perkembangan IPKP (SPKP, skala 1–6)")
    p_value = _welch(SPAK_S1, SPAK_S2)
    verdict = "signifikan" if p_value < 0.05 else "tidak signifikan"
    assert f"{verdict}, p = {p_value:.3f}".replace(".", ",") in page
