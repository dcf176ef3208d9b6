"""Follow-up plans: proposals, recording and changing actions (audited), the change of each
action's element in the next period with its significance, the public page, the scope view."""

import re
import subprocess
import uuid
from datetime import date, datetime, timezone

import pytest
from flask import render_template_string
from scipy import stats as scipy_stats
from sqlalchemy import select

from survey.inbox import followups
from survey.models import AuditEvent, CaseTag, FollowUp, Response, ServiceUnit
from survey.periods import parse, shifted
from survey.regions import timezone_for
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.web.conftest import sign_in

# Ten respondents in each semester, invented so that U3 (waiting time) rises clearly and U5
# stays put; every other element is answered 3. Hand check, U3: before 21/10 = 2.1, after
# 37/10 = 3.7, so +1.6 NRR = +40.00 on the konversi scale (x25). U5: 29/10 both times, +0.00.
BEFORE = {"U3": [2, 2, 2, 2, 2, 3, 3, 2, 2, 1], "U5": [3, 3, 3, 3, 3, 3, 3, 3, 3, 2]}
AFTER = {"U3": [4, 3, 4, 4, 3, 4, 4, 3, 4, 4], "U5": [3, 3, 3, 3, 3, 3, 3, 3, 2, 3]}
S2_2025, S1_2026 = parse("2025-S2"), parse("2026-S1")


def csrf(client, address):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def answers_of(columns: dict, index: int) -> dict:
    return {f"U{i}": columns.get(f"U{i}", [3] * 10)[index] for i in range(1, 10)}


@pytest.fixture(autouse=True)
def ten_respondents_suffice(app, monkeypatch):
    """These tests are about the test of an element's change, from ten respondents a period:
    below the default minimum sample (30) the change would be provisional and untested, so
    the minimum is ten here (survey/samples.py)."""
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", 10)
    monkeypatch.setenv("SUARA_MIN_RESPONDENTS", "10")  # for calls outside a request


@pytest.fixture
def rtl_unit(session, dataset):
    """A unit in Surabaya with ten responses in 2025-S2 and ten in 2026-S1 (see BEFORE/AFTER)."""
    unit = ServiceUnit(slug="unit-rtl", name="Unit RTL", region_code="35.78",
                       agency_id=dataset["office"])
    session.add(unit)
    session.flush()
    questionnaire = default_questionnaire(session)
    rows = [response_values(unit, questionnaire_id=questionnaire.id, submitted_at=at,
                            channel="link", answers=answers_of(columns, i),
                            client_uuid=uuid.uuid4(), suggestion=f"Saran {label} {i}")
            for label, at, columns in (("lama", datetime(2025, 9, 15, 5, tzinfo=timezone.utc), BEFORE),
                                       ("baru", datetime(2026, 3, 16, 5, tzinfo=timezone.utc), AFTER))
            for i in range(10)]
    insert_rows(session, rows)
    session.commit()
    return unit


def action(unit, element, published=True, **values):
    return FollowUp(unit_id=unit.id, period_label="2025-S2", element_code=element,
                    action=values.pop("action", f"Perbaiki {element}"),
                    owner=values.pop("owner", "Kepala unit"),
                    due=values.pop("due", date(2026, 3, 31)), status=values.pop("status", "done"),
                    published=published, **values)


@pytest.fixture
def plan_2025(session, rtl_unit):
    """Actions for the 2025-S2 result: U3 and U5 published, U9 not."""
    session.add_all([action(rtl_unit, "U3", action="Tambah loket dan antrean daring"),
                     action(rtl_unit, "U5", action="Periksa produk sebelum diserahkan"),
                     action(rtl_unit, "U9", published=False, action="Perbaiki toilet")])
    session.commit()
    return rtl_unit


def suggestion_ids(session, unit, label):
    return session.scalars(select(Response.id).where(
        Response.unit_id == unit.id, Response.suggestion.startswith(f"Saran {label}"))
        .order_by(Response.id)).all()


def test_the_change_of_each_actions_element_is_welchs_test_on_its_answers(session, plan_2025):
    plan = followups.plan(session, plan_2025, S2_2025)
    assert plan.measured_in == S1_2026
    changes = {a.element_code: a.change for a in plan.actions}
    u3 = changes["U3"]
    expected = scipy_stats.ttest_ind(AFTER["U3"], BEFORE["U3"], equal_var=False)
    assert (u3.nrr_before, u3.nrr_after) == pytest.approx((2.1, 3.7))
    assert u3.change.difference == pytest.approx(40.0)
    assert u3.change.p_value == pytest.approx(expected.pvalue)
    assert u3.change.significant and expected.pvalue < 0.05
    u5 = changes["U5"].change
    assert u5.difference == pytest.approx(0.0) and u5.p_value == pytest.approx(1.0)
    assert not u5.significant


def test_the_next_periods_dashboard_shows_each_actions_change_and_significance(
        client, users, plan_2025):
    sign_in(client, users["agency"])
    page = client.get("/dasbor/unit/unit-rtl?period=2026-S1").text
    section = " ".join(page[page.index("Hasil tindak lanjut periode sebelumnya"):].split())
    assert "Tindakan dari hasil Semester II 2025 dan perubahan unsurnya pada Semester I 2026." \
        in section
    assert "Tambah loket dan antrean daring" in section
    assert "2,10 → 3,70<br><strong>+40,00</strong> (<strong>signifikan</strong>, p = 0,000)" \
        in section
    assert "2,90 → 2,90<br><strong>0,00</strong> (tidak signifikan, p = 1,000)" in section


def test_the_plan_page_proposes_the_weakest_elements_and_most_frequent_complaints(
        client, users, session, rtl_unit):
    responses = suggestion_ids(session, rtl_unit, "lama")
    session.add_all([CaseTag(response_id=responses[0], element_code="U9"),
                     CaseTag(response_id=responses[1], element_code="U9"),
                     CaseTag(response_id=responses[1], element_code="U3")])
    session.commit()
    sign_in(client, users["unit"])  # unit-sby's head: another unit, refused
    assert client.get("/dasbor/unit/unit-rtl/rtl?period=2025-S2").status_code == 403
    sign_in(client, users["agency"])
    page = client.get("/dasbor/unit/unit-rtl/rtl?period=2025-S2").text
    weakest = page[page.index("Tiga unsur dengan nilai terendah"):]
    # U3 2.1 and U5 2.9, then the first of the elements at 3.0 by code (U1).
    assert weakest.index("U3 Waktu Penyelesaian: NRR 2,100") < weakest.index(
        "U5 Produk Spesifikasi Jenis Pelayanan: NRR 2,900") < weakest.index(
        "U1 Persyaratan: NRR 3,000")
    assert "U9 Sarana dan Prasarana: 2 saran" in page and "U3 Waktu Penyelesaian: 1 saran" in page
    # The new action's element is the weakest, its due date the later of the end of the next
    # semester (2026-06-30) and 3 months from the unit's today: never a day already past.
    region = session.scalar(select(ServiceUnit.region_code).where(ServiceUnit.slug == "unit-rtl"))
    due = followups.default_due(parse("2025-S2"), datetime.now(timezone_for(region)).date())
    assert '<option selected value="U3">' in page and f'value="{due.isoformat()}"' in page
    assert due >= date(2026, 6, 30)


@pytest.mark.parametrize(("period", "today", "due"), [
    ("2025-S2", date(2026, 1, 10), date(2026, 6, 30)),  # end of 2026-S1, after Jan + 3 months
    ("2025-S2", date(2026, 12, 7), date(2027, 3, 7)),  # a period long past: 3 months from today
    ("2025-S1", date(2025, 5, 1), date(2025, 12, 31)),  # the period still running: 2025-S2's end
    ("2025", date(2025, 11, 30), date(2026, 6, 30)),  # a year: the semester after it
    ("2025-S2", date(2026, 11, 30), date(2027, 2, 28)),  # 30 November + 3 months: last of Feb
])
def test_a_new_actions_due_date_is_never_past(period, today, due):
    assert followups.default_due(parse(period), today) == due


FORM = {"element_code": "U3", "action": "Tambah dua petugas loket pada jam sibuk",
        "owner": "Kepala Subbag Umum", "due": "2026-03-31", "status": "planned",
        "evidence": "", "published": "y"}


def test_a_unit_head_records_and_changes_an_action_and_both_are_audited(client, users, session,
                                                                        rtl_unit):
    head = users["unit"]
    head.unit_id = rtl_unit.id
    session.commit()
    sign_in(client, head)
    address = "/dasbor/unit/unit-rtl/rtl?period=2025-S2"
    response = client.post(address, data={"csrf_token": csrf(client, address), **FORM})
    assert response.status_code == 303
    row = session.scalars(select(FollowUp)).one()
    assert (row.period_label, row.element_code, row.owner, row.due, row.status, row.published) == (
        "2025-S2", "U3", "Kepala Subbag Umum", date(2026, 3, 31), "planned", True)
    edit = {f"a{row.id}-{name}": value for name, value in FORM.items()}
    edit.update({f"a{row.id}-status": "done", f"a{row.id}-evidence": "SK penambahan petugas"})
    response = client.post(f"/dasbor/unit/unit-rtl/rtl/{row.id}?period=2025-S2",
                           data={"csrf_token": csrf(client, address), **edit})
    assert response.status_code == 303
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.target == f"follow_up:{row.id}").order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["follow_up_added", "follow_up_changed"]
    assert events[1].detail == {"period": "2025-S2", "status": ["planned", "done"],
                                "evidence": ["None", "SK penambahan petugas"]}
    assert all(e.user_id == head.id and e.unit_id == rtl_unit.id for e in events)


def test_an_action_without_its_text_is_refused_and_named(client, users, session, rtl_unit):
    sign_in(client, users["agency"])
    address = "/dasbor/unit/unit-rtl/rtl?period=2025-S2"
    response = client.post(address, data={"csrf_token": csrf(client, address),
                                          **FORM, "action": "  "})
    assert response.status_code == 422 and "Wajib diisi." in response.text
    assert session.scalars(select(FollowUp)).all() == []


def test_a_period_the_plan_cannot_name_is_shown_politely_and_never_written_to(
        client, users, session, rtl_unit):
    sign_in(client, users["agency"])
    page = client.get("/dasbor/unit/unit-rtl/rtl?period=2026-S9")
    # The page stays, with the unit's default period (2026-S1: its latest semester with
    # answers, survey/samples.py) and a message; the chooser lists the semesters with answers.
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert '<option value="2025-S2"' in page.text and '<select id="period"' in page.text
    token = csrf(client, "/dasbor/unit/unit-rtl/rtl?period=2025-S2")
    response = client.post("/dasbor/unit/unit-rtl/rtl?period=2026-S9",
                           data={"csrf_token": token, **FORM})
    assert response.status_code == 400
    assert session.scalars(select(FollowUp)).all() == []


def test_an_action_of_another_unit_cannot_be_changed_through_this_units_address(
        client, users, session, plan_2025):
    other = session.scalars(select(FollowUp)).first()
    sign_in(client, users["unit"])  # unit-sby
    token = csrf(client, "/dasbor/unit/unit-sby/rtl?period=2025-S2")
    edit = {f"a{other.id}-{name}": value for name, value in FORM.items()}
    response = client.post(f"/dasbor/unit/unit-sby/rtl/{other.id}?period=2025-S2",
                           data={"csrf_token": token, **edit})
    assert response.status_code == 404


def test_the_public_page_partial_shows_only_published_actions_with_their_change(
        app, session, plan_2025):
    with app.test_request_context():
        html = render_template_string('{% include "inbox/_public_followup.html" %}',
                                      unit=plan_2025, period=S1_2026)
    assert "Rencana tindak lanjut hasil Semester II 2025" in html
    assert "Tambah loket dan antrean daring" in html and "Perbaiki toilet" not in html
    assert "+40,00" in html and "signifikan" in html


def test_the_scope_view_counts_published_plans_overdue_actions_and_tags_by_region(
        client, users, session, plan_2025):
    session.add(action(plan_2025, "U7", status="planned", due=date(2025, 12, 31),
                       action="Pelatihan pelayanan prima"))
    tagged = suggestion_ids(session, plan_2025, "lama")[0]
    session.add(CaseTag(response_id=tagged, element_code="U9"))
    session.commit()
    sign_in(client, users["agency"])
    page = client.get(f"/dasbor/tindak-lanjut?scope=agency:{plan_2025.agency_id}"
                      "&period=2025-S2").text
    # Dinas Uji: unit-sby, unit-sda, unit-mks and unit-rtl; only unit-rtl published a plan.
    assert "1 dari 4 unit menerbitkan rencana tindak lanjut untuk Semester II 2025." in page
    assert "25,0 %" in page and "Tindakan lewat batas waktu: 1." in page
    jatim = "".join(page[page.index("Jawa Timur"):].split("\n"))
    # Jawa Timur: 3 units, 1 with a plan (33,3 %), 1 overdue action, one U9 complaint.
    assert jatim.startswith('Jawa Timur</th><td class="num">3</td><td class="num">1</td>'
                            '<td class="num">33,3 %</td><td class="num">1</td>'
                            '<td>U9 Sarana dan Prasarana (1)</td>')
    assert "Pelatihan pelayanan prima" in page


@pytest.mark.parametrize(("label", "steps", "expected"), [
    ("2025-S2", 1, "2026-S1"), ("2026-S1", -1, "2025-S2"), ("2025-Q4", 1, "2026-Q1"),
    ("2025-12", 1, "2026-01"), ("2025", -1, "2024"), ("2100-S2", 1, None),
])
def test_the_next_period_is_of_the_same_kind(label, steps, expected):
    result = shifted(parse(label), steps)
    assert (result.label if result else None) == expected


def test_the_public_results_page_shows_the_published_plan(client, plan_2025):
    page = client.get("/hasil/unit-rtl?period=2026-S1")
    assert page.status_code == 200
    assert "Rencana tindak lanjut hasil Semester II 2025" in page.text
    assert "Tambah loket dan antrean daring" in page.text and "Perbaiki toilet" not in page.text


def test_the_public_results_page_shows_the_plan_in_english_on_request(client, plan_2025):
    page = client.get("/hasil/unit-rtl?period=2026-S1&lang=en").text
    assert "Follow-up plan of the Semester II 2025 result" in page
    assert "U3 Completion time" in page and "significant" in page


def test_the_next_periods_report_prints_each_actions_change_and_its_own_plan(
        session, plan_2025, tmp_path):
    from analysis.report.unit_pdf import unit_report_pdf
    from survey.reports import documents

    session.add(FollowUp(unit_id=plan_2025.id, period_label="2026-S1", element_code="U9",
                         action="Renovasi ruang tunggu", owner="Kasubag Umum",
                         due=date(2026, 12, 31), status="in_progress", published=True))
    session.commit()
    pdf = tmp_path / "laporan.pdf"
    pdf.write_bytes(unit_report_pdf(documents.unit_report(session, plan_2025, S1_2026)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = " ".join(text.split())
    assert "Renovasi ruang tunggu" in flat and "31 Desember 2026" in flat
    assert "Sedang berjalan" in flat and "Kasubag Umum" in flat
    assert "Tindak lanjut hasil Semester II 2025" in flat
    # Cells in reading order. U3 (hand check above): 2,100 -> 3,700, +40,00 on the konversi
    # scale, significant; U5 unchanged.
    cells = text.split("\n")
    u3 = next(i for i, c in enumerate(cells) if c.startswith("Tambah loket"))
    following = " ".join(" ".join(cells[u3:u3 + 16]).split())
    assert "2,100" in following and "3,700" in following and "+40,00" in following
    assert "signifikan (p = 0,000)" in following
    u5 = next(i for i, c in enumerate(cells) if c.startswith("Periksa produk"))
    assert "±0,00" in " ".join(cells[u5:u5 + 12]) and "1,000" in " ".join(cells[u5:u5 + 14])
    assert "Perbaiki toilet" in flat  # the unit's own report lists unpublished actions too
