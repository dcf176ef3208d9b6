"""Small samples are shown as what they are: default views keep the latest adequate period, and
a figure below the minimum sample (30, survey/samples.py) is provisional on every view."""

import csv
import io
import subprocess
import uuid
from datetime import datetime, time, timedelta, timezone

import pytest

from survey import indices, samples
from survey.models import ServiceUnit
from survey.periods import current_semester, shifted
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from tests.web.conftest import sign_in

WIB = timezone(timedelta(hours=7))  # Surabaya (35.78)
ALL_FOUR = {f"U{i}": 4 for i in range(1, 10)}
CURRENT = current_semester(indices.latest_local_day())
PREVIOUS = shifted(CURRENT, -1)
EARLIER = shifted(CURRENT, -2)


def _varied(i: int) -> dict:
    """Answers 3 or 4 by respondent: 2 of every 3 respondents all 4, the third all 3."""
    return {f"U{e}": 3 if i % 3 == 0 else 4 for e in range(1, 10)}


def add_unit(session, dataset, slug: str, batches) -> ServiceUnit:
    """Add a unit in Surabaya with responses: batches of (period, count, answers(i))."""
    unit = ServiceUnit(slug=slug, name=f"Unit {slug}", region_code="35.78",
                       agency_id=dataset["office"])
    session.add(unit)
    session.flush()
    questionnaire = default_questionnaire(session)
    rows = []
    for period, count, answers in batches:
        start = datetime.combine(period.starts_on, time(1), WIB)
        rows += [response_values(unit, questionnaire_id=questionnaire.id,
                                 submitted_at=start + timedelta(minutes=i), channel="link",
                                 answers=answers(i), client_uuid=uuid.uuid4())
                 for i in range(count)]
    insert_rows(session, rows)
    session.commit()
    return unit


@pytest.fixture
def new_semester(session, dataset):
    """40 respondents in the closed semester, then two identical answers in the new one."""
    return add_unit(session, dataset, "unit-baru", [(PREVIOUS, 40, _varied),
                                                    (CURRENT, 2, lambda i: ALL_FOUR)])


@pytest.fixture
def small(session, dataset):
    """40 varied respondents two semesters ago, then 7 identical answers (all 4) last semester."""
    return add_unit(session, dataset, "unit-kecil", [(EARLIER, 40, _varied),
                                                     (PREVIOUS, 7, lambda i: ALL_FOUR)])


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "download.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_the_default_period_waits_for_the_minimum_in_the_new_semester(session, new_semester):
    unit_scope = Scope("unit", "unit-baru")
    assert samples.respondents_in(session, unit_scope, CURRENT) == 2
    assert indices.default_period(session, unit_scope) == PREVIOUS
    # The nation: the dataset (2025) and this unit; the new semester has 2 answers in all.
    assert indices.default_period(session, NATIONAL) == PREVIOUS


def test_the_current_semester_is_the_default_once_it_has_the_minimum(session, dataset):
    add_unit(session, dataset, "unit-penuh", [(PREVIOUS, 40, _varied), (CURRENT, 30, _varied)])
    assert indices.default_period(session, Scope("unit", "unit-penuh")) == CURRENT


def test_a_unit_with_only_a_few_new_answers_shows_them_as_provisional(session, dataset):
    add_unit(session, dataset, "unit-awal", [(CURRENT, 2, lambda i: ALL_FOUR)])
    assert indices.default_period(session, Scope("unit", "unit-awal")) == CURRENT


def test_every_default_view_keeps_the_closed_semester(web, users, new_semester):
    sign_in(web, users["admin"])
    assert PREVIOUS.name in web.get("/dasbor/").text
    assert PREVIOUS.name in web.get("/dasbor/unit/unit-baru").text
    assert PREVIOUS.name in web.get("/hasil/unit-baru").text
    assert f"({PREVIOUS.label})" in web.get("/hasil/unit-baru/lencana.svg").text
    pdf = web.get("/dasbor/unit/unit-baru/laporan.pdf")
    assert f"laporan-skm-unit-baru-{PREVIOUS.label}.pdf" in pdf.headers["Content-Disposition"]
    scope_pdf = web.get("/dasbor/laporan.pdf?scope=national")
    assert f"national-{PREVIOUS.label}.pdf" in scope_pdf.headers["Content-Disposition"]
    with web.get("/dasbor/unduh.csv?scope=unit:unit-baru") as export:  # streamed: closed here
        assert f"unit-unit-baru-{PREVIOUS.label}.csv" in export.headers["Content-Disposition"]
    api = web.get("/api/v1/units/unit-baru/ikm").get_json()
    assert api["period"]["label"] == PREVIOUS.label and api["respondents"] == 40
    assert web.get("/api/v1/aggregate").get_json()["period"]["label"] == PREVIOUS.label


def test_the_api_labels_a_small_sample_provisional(web, small):
    body = web.get("/api/v1/units/unit-kecil/ikm").get_json()
    assert body["period"]["label"] == PREVIOUS.label and body["respondents"] == 7
    assert body["provisional"] is True and body["grade"] is None and body["label"] is None
    assert body["min_respondents"] == 30 and body["interval_method"] == "t_pseudo_extremes"
    assert {e["grade"] for e in body["elements"]} == {None}
    # Seven identical answers: konversi 100, yet an interval of real width inside 25..100.
    assert body["ikm_konversi"] == 100.0
    assert 25 <= body["ci"]["low"] < body["ci"]["high"] <= 100 and body["ci"]["margin"] > 5


def test_the_api_trend_does_not_test_a_change_into_a_provisional_period(web, small):
    body = web.get(f"/api/v1/units/unit-kecil/trend?periods={EARLIER.label},{PREVIOUS.label}")
    earlier, latest = body.get_json()["periods"]
    assert earlier["provisional"] is False and earlier["grade"] is not None
    assert latest["provisional"] is True and latest["grade"] is None
    change = latest["change"]
    assert change["p_value"] is None and change["significant"] is False
    assert change["test"] == "provisional"


def test_pages_and_the_badge_show_no_grade_below_the_minimum(web, users, small):
    public = web.get("/hasil/unit-kecil").text
    assert "Angka sementara: baru 7 responden, kurang dari minimal 30" in public
    headline = public.split('id="tr-h"')[0]  # the trend below grades the earlier period
    for letter in "ABCD":
        assert f'class="grade grade-{letter}"' not in headline
    badge = web.get("/hasil/unit-kecil/lencana.svg").text
    assert "sementara, n = 7" in badge and "#9F9F9F" in badge
    sign_in(web, users["admin"])
    page = web.get("/dasbor/unit/unit-kecil").text
    assert "Angka sementara" in page and "grade-provisional" in page
    assert "tidak diuji" in page and "<strong>signifikan</strong>" not in page
    assert "sementara" in web.get("/dasbor/unit/unit-kecil/grafik/gauge.svg").text
    elements = web.get("/dasbor/unit/unit-kecil/grafik/elements.svg").text
    assert "100,00" in elements or "4,00" in elements  # every NRR is 4 (seven all-4 answers)
    assert not any(f"\u00b7 {letter}" in elements for letter in "ABCD")


def test_reports_and_exports_label_a_small_sample_provisional(web, users, small, tmp_path):
    sign_in(web, users["admin"])
    text = pdf_text(web.get("/dasbor/unit/unit-kecil/laporan.pdf").data, tmp_path)
    assert "Angka sementara: baru 7 responden, kurang dari minimal 30" in text
    assert "responden semu" in text  # the methods chapter states the interval method
    assert "signifikan secara statistik" not in text and "tidak diuji" in text
    rows = list(csv.reader(io.StringIO(web.get("/dasbor/unduh.csv?scope=unit:unit-kecil").text)))
    assert ["Mutu pelayanan", "sementara (n = 7 < 30)"] in [row[:2] for row in rows]


def test_a_scope_below_the_minimum_is_provisional_in_its_report(web, users, small, tmp_path):
    sign_in(web, users["admin"])
    address = f"/dasbor/laporan.pdf?scope=unit:unit-kecil&period={PREVIOUS.label}"
    text = pdf_text(web.get(address).data, tmp_path)
    assert "Angka sementara: baru 7 responden, kurang dari minimal 30" in text
    assert "responden semu" in text
