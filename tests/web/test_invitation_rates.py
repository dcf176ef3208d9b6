"""Response rates of invitations and the index of invited answers, on a small hand-made data
set whose every expected number is worked out in the comments of `invited`."""

import re
import uuid
from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest
from sqlalchemy import select

from analysis.invitation_rates import response_rates
from analysis.report.unit_pdf import unit_report_pdf
from survey import indices, invitation_rates, periods, queries, rollups
from survey.invitations import codes
from survey.models import Agency, Invitation, ServicePoint, ServiceUnit
from survey.reports import documents
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from tests.analysis.test_report_pdf import pdf_text
from tests.web.conftest import sign_in

S1 = periods.parse("2025-S1")
UTC = timezone.utc


def _unit(session, agency: Agency, slug: str, region: str, points: list[str]) -> ServiceUnit:
    unit = ServiceUnit(slug=slug, name=f"Unit Undangan {slug[-1].upper()}", region_code=region,
                       agency_id=agency.id)
    session.add(unit)
    session.flush()
    session.add_all(ServicePoint(unit_id=unit.id, name=name, token=f"tok-{slug}-{i}")
                    for i, name in enumerate(points))
    session.flush()
    return unit


def _issue(session, unit: ServiceUnit, point: str, count: int, at: datetime) -> list[Invitation]:
    found = next(p for p in unit.points if p.name == point)
    return codes.issue(session, found, count, source="sheet", now=at)


class Answers:
    """Response rows of one test, answered with the same value on all nine elements."""

    def __init__(self, session):
        self.session, self.rows = session, []
        self.questionnaire = default_questionnaire(session).id

    def add(self, unit, value: int, count: int, at: datetime, invitations=()):
        invitations = list(invitations) or [None] * count
        for i, invitation in zip(range(count), invitations):
            when = at + timedelta(minutes=i + 1)
            if invitation is not None:
                invitation.answered_at = when
            self.rows.append(response_values(
                unit, questionnaire_id=self.questionnaire, submitted_at=when, channel="link",
                answers={f"U{e}": value for e in range(1, 10)}, client_uuid=uuid.uuid4(),
                invitation_id=None if invitation is None else invitation.id))


@pytest.fixture
def invited(session):
    """Three units of one agency; A and B in Jawa Timur (WIB), C in Makassar (WITA).

    Invitations issued in 2025-S1 (by local issue date):
      A, Loket 1: 10 issued 10 March; 6 opened, 4 of them answered.      -> 10 / 6 / 4
      A, Loket 2: 5 issued 1 April; #0 opened and answered, #1 answered
                  with no opening recorded (counts as opened), #2 opened.  -> 5 / 3 / 2
      A:          15 / 9 / 6;  B, Loket 1: 4 issued 1 February, all opened, 3 answered.
      C:          none.  Jawa Timur, the agency and the nation: 19 / 13 / 9.
    Outside 2025-S1: A issues 3 on 30 June 17:30 UTC, already 1 July 00:30 in WIB (2025-S2:
    3 / 0 / 0); B issues 1 on 31 December 2024, answered on 5 January 2025 (2024-S2: 1 / 1 / 1).

    Answers in 2025-S1 (each respondent gives one value to all nine elements):
      A: 40 uninvited all 2, 6 invited all 4    -> all: (40·2 + 6·4)/46 · 25 = 56.52 (n 46);
                                                   invited: 100.00 (n 6, provisional < 30)
      B: 35 uninvited all 3, 4 invited all 1 (3 of this semester's codes and the one of
         December)                              -> all: (35·3 + 4·1)/39 · 25 = 69.87 (n 39);
                                                   invited: 25.00 (n 4, provisional)
      C: 30 uninvited all 4                      -> all: 100.00 (n 30); no invited answer.
    By the index of all answers: C, B, A; by the index of invited answers: A, B, then C.
    """
    agency = Agency(name="Dinas Undangan", kind="dinas")
    session.add(agency)
    session.flush()
    agency.path = f"/{agency.id}/"
    a = _unit(session, agency, "inv-a", "35.78", ["Loket 1", "Loket 2"])
    b = _unit(session, agency, "inv-b", "35.15", ["Loket 1"])
    c = _unit(session, agency, "inv-c", "73.71", ["Loket 1"])
    a1 = _issue(session, a, "Loket 1", 10, datetime(2025, 3, 10, 3, tzinfo=UTC))
    a2 = _issue(session, a, "Loket 2", 5, datetime(2025, 4, 1, 3, tzinfo=UTC))
    b1 = _issue(session, b, "Loket 1", 4, datetime(2025, 2, 1, 3, tzinfo=UTC))
    _issue(session, a, "Loket 1", 3, datetime(2025, 6, 30, 17, 30, tzinfo=UTC))
    december = _issue(session, b, "Loket 1", 1, datetime(2024, 12, 31, 3, tzinfo=UTC))
    opened = datetime(2025, 4, 2, tzinfo=UTC)
    for invitation in (*a1[:6], a2[0], a2[2], *b1):
        invitation.opened_at = opened
    december[0].opened_at = datetime(2025, 1, 5, tzinfo=UTC)
    answers = Answers(session)
    answers.add(a, 2, 40, datetime(2025, 2, 3, 3, tzinfo=UTC))
    answers.add(a, 4, 4, datetime(2025, 3, 11, 3, tzinfo=UTC), a1[:4])
    answers.add(a, 4, 2, datetime(2025, 4, 2, 3, tzinfo=UTC), a2[:2])
    answers.add(b, 3, 35, datetime(2025, 2, 3, 3, tzinfo=UTC))
    answers.add(b, 1, 3, datetime(2025, 2, 2, 3, tzinfo=UTC), b1[:3])
    answers.add(b, 1, 1, datetime(2025, 1, 5, 3, tzinfo=UTC), december)
    answers.add(c, 4, 30, datetime(2025, 5, 5, 3, tzinfo=UTC))
    insert_rows(session, answers.rows)
    session.commit()
    return {"a": a, "b": b, "c": c}


@pytest.fixture
def analyst(web, session, invited):
    """Return the test client signed in as an administrator (the dashboards need a user)."""
    from survey.auth.accounts import hash_password
    from survey.models import User

    user = User(email="analis@uji.go.id", name="Analis", role="admin",
                password_hash=hash_password("kata-sandi-uji-123"))
    session.add(user)
    session.commit()
    sign_in(web, user)
    return web


def _counts(rates) -> tuple:
    return rates.issued, rates.opened, rates.answered


def test_counts_and_rates_per_point_unit_and_scope(session, invited):
    points = invitation_rates.group_rates(session, Scope("unit", "inv-a"), S1, "point")
    assert sorted((p.name, p.unit, _counts(p.rates)) for p in points.values()) == [
        ("Loket 1", "inv-a", (10, 6, 4)), ("Loket 2", "inv-a", (5, 3, 2))]
    units = invitation_rates.group_rates(session, NATIONAL, S1, "unit")
    assert {key: _counts(g.rates) for key, g in units.items()} == {
        "inv-a": (15, 9, 6), "inv-b": (4, 4, 3)}  # inv-c issued none: no row, no rate
    assert units["inv-a"].rates.answer_rate == Fraction(6, 15)
    b = units["inv-b"].rates
    assert b.open_rate == 1 and b.answer_rate == Fraction(3, 4)
    regencies = invitation_rates.group_rates(session, NATIONAL, S1, "regency")
    assert {key: _counts(g.rates) for key, g in regencies.items()} == {
        "35.78": (15, 9, 6), "35.15": (4, 4, 3)}
    for scope, group_by in ((NATIONAL, "province"), (Scope("region", "35"), "none")):
        found = invitation_rates.group_rates(session, scope, S1, group_by)
        assert [_counts(g.rates) for g in found.values()] == [(19, 13, 9)]
    agency = Scope("agency", str(invited["a"].agency_id))
    assert _counts(invitation_rates.scope_rates(session, agency, S1)) == (19, 13, 9)
    assert invitation_rates.scope_rates(session, Scope("unit", "inv-c"), S1).answer_rate is None


def test_invitations_count_in_the_period_of_their_local_issue_date(session, invited):
    s2, before = periods.parse("2025-S2"), periods.parse("2024-S2")
    late = invitation_rates.scope_rates(session, Scope("unit", "inv-a"), s2)
    assert _counts(late) == (3, 0, 0) and late.answer_rate == 0  # issued, none answered yet
    assert _counts(invitation_rates.scope_rates(session, Scope("unit", "inv-b"), before)) == (
        1, 1, 1)
    rates, points = invitation_rates.unit_rates(session, invited["a"], S1)
    assert rates == response_rates(15, 9, 6) and [p.name for p in points] == ["Loket 1",
                                                                              "Loket 2"]


def test_rollup_of_invited_answers_equals_the_raw_answers(session, invited):
    assert rollups.differences(session, NATIONAL, rollups.INVITED_TABLE) == []
    # A range whose edge days are read from the raw answers: 10..31 March holds A's four
    # invited answers of Loket 1 (11 March) and none of B.
    march = periods.Period(S1.starts_on.replace(month=3, day=10),
                           S1.starts_on.replace(month=3, day=31), "uji", "uji")
    totals = queries.index_totals(session, NATIONAL, march, source=queries.ROLLUP_INVITED)
    assert list(zip(totals.keys, totals.n, totals.t)) == [("inv-a", 4, 4 * 36)]


def test_invited_index_beside_the_index_of_all(session, invited):
    a, c = invited["a"], invited["c"]
    figures = indices.invited_figures(session, a, S1)
    assert (figures.respondents, str(figures.konversi), figures.provisional, figures.grade) == (
        6, "100.00", True, None)
    assert str(indices.unit_index(session, a, S1).figures.konversi) == "56.52"
    assert indices.invited_figures(session, c, S1).respondents == 0


def test_unit_page_shows_the_invited_index_with_its_n_and_the_rates(analyst):
    text = analyst.get("/dasbor/unit/inv-a?period=2025-S1").text
    row = re.search(r"IKM jawaban undangan.*?</tr>", text, re.S).group(0)
    assert "100,00" in row and "sementara" in row and ">6<" in row
    assert "56,52" in text
    assert re.search(r"<strong>15</strong>;\s*dibuka 9 \(60,0 %\); dijawab <strong>6 \(40,0 %\)",
                     text)
    assert "Loket 2" in text  # per point, two points issued


def test_a_unit_without_invitations_shows_no_rate_and_no_error(analyst):
    response = analyst.get("/dasbor/unit/inv-c?period=2025-S1")
    assert response.status_code == 200
    assert "Belum ada undangan yang diterbitkan" in response.text
    assert "dijawab <strong>" not in response.text


def _ranking_order(text: str) -> list[str]:
    table = text[text.index("<h2>Peringkat"):text.index("jump-h")]
    return re.findall(r"Unit Undangan ([ABC])</a>", table)


def test_scope_ranking_by_the_invited_index(analyst):
    base = "/dasbor/?scope=national&period=2025-S1&group_by=unit"
    assert _ranking_order(analyst.get(base).text) == ["C", "B", "A"]
    text = analyst.get(base + "&rank_by=invited").text
    assert _ranking_order(text) == ["A", "B", "C"]
    assert "40,0 % (6/15)" in text and "75,0 % (3/4)" in text and "belum ada undangan" in text
    assert "100,00 sementara (6)" in text and "25,00 sementara (4)" in text


@pytest.mark.parametrize("value", ["semua", "INVITED", "", "invited;1"])
def test_a_bad_rank_parameter_is_a_clear_400(analyst, value):
    page = analyst.get("/dasbor/", query_string={"scope": "national", "period": "2025-S1",
                                             "rank_by": value})
    assert page.status_code == 400 and "rank_by" in page.text
    api = analyst.get("/api/v1/aggregate", query_string={"period": "2025-S1", "rank_by": value})
    assert api.status_code == 400 and "rank_by" in api.get_json()["error"]["message"]


def test_the_api_returns_the_rates_and_the_invited_index(web, invited):
    unit = web.get("/api/v1/units/inv-a/ikm?period=2025-S1").get_json()
    assert unit["invited"]["respondents"] == 6 and unit["invited"]["ikm_konversi"] == 100.0
    assert unit["invited"]["provisional"] is True and unit["invited"]["grade"] is None
    rates = unit["invitations"]
    assert (rates["issued"], rates["opened"], rates["answered"]) == (15, 9, 6)
    assert (rates["open_rate"], rates["answer_rate"], rates["note"]) == (0.6, 0.4, None)
    assert [(p["name"], p["issued"], p["answered"]) for p in rates["points"]] == [
        ("Loket 1", 10, 4), ("Loket 2", 5, 2)]
    none = web.get("/api/v1/units/inv-c/ikm?period=2025-S1").get_json()
    assert none["invitations"]["answer_rate"] is None
    assert none["invitations"]["note"] == "belum ada undangan"
    assert none["invited"]["respondents"] == 0
    rows = web.get("/api/v1/aggregate?period=2025-S1&rank_by=invited").get_json()["rows"]
    assert [row["key"] for row in rows] == ["inv-a", "inv-b", "inv-c"]
    assert [row["invitations"]["answer_rate"] for row in rows] == [0.4, 0.75, None]
    assert [row["invited"]["respondents"] for row in rows] == [6, 4, 0]


def test_the_report_method_chapter_gives_the_invitations(session, invited, tmp_path):
    text = pdf_text(unit_report_pdf(documents.unit_report(session, invited["a"], S1)),
                    tmp_path)
    assert "15 undangan diterbitkan pada periode ini, 6 di antaranya dijawab" in text
    # Wilson, 6 of 15, z = 1.96: centre (0.4 + z²/30) / (1 + z²/15) = 0.4204, half-width
    # z / (1 + z²/15) · √(0.24/15 + z²/900) = 0.2222: 19.8 % to 64.3 %.
    assert "tingkat jawaban 40,0% (selang kepercayaan 95 % metode Wilson: 19,8% – 64,3%)" in text
    none = pdf_text(unit_report_pdf(documents.unit_report(session, invited["c"], S1)),
                    tmp_path)
    assert "tidak digunakan undangan survei" in none
