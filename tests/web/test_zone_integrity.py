"""Zona Integritas: a unit's WBK/WBBM status, its Laporan Hasil SPKP dan SPAK, the units of a
scope with IPKP, IPAK and their targets (page and API), and IPAK on the public page and in the
figures exports; on SQLite and PostgreSQL alike."""

import csv
import io
import subprocess
import uuid
from datetime import date, datetime, timezone

import openpyxl
import pytest
from sqlalchemy import select

from survey import instrument_figures, instrument_store, periods
from survey.models import AuditEvent, ServiceUnit, UnitZone
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.web.conftest import ROLES, sign_in
from tests.web.test_auth import csrf_token

SKM = {f"U{n}": 3 for n in range(1, 10)}
# Chosen here. SPKP: item sums 11 (odd items) and 10 (even items) over 3 respondents, so
# IPKP = (4 x 11/3 + 4 x 10/3) / 8 = 3.5 exactly; konversi 87.50; LKE 3.5 / 4 x 17.5 = 15.3125.
SPKP = [(4,) * 8, (3,) * 8, (4, 3, 4, 3, 4, 3, 4, 3)]
# SPAK: item sums 11, 12, 12, 12, 11 = 58 over 3 respondents and 5 items, so
# IPAK = 58 / 15 = 3.8666..., printed 3.867; konversi 96.666... -> 96.67;
# LKE 58 / 15 / 4 x 17.5 = 16.9166... -> 16.92.
SPAK = [(4, 4, 4, 4, 4), (4, 4, 4, 4, 3), (3, 4, 4, 4, 4)]
# unit-sda: SPAK only, on six points, two respondents.
SPAK_6 = [(6, 6, 5, 6, 6), (5, 5, 5, 5, 5)]
PERIOD = "2025-S2"


def _unit(session, slug: str) -> ServiceUnit:
    return session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()


def _store(session, unit, day: int, answers: dict) -> None:
    row = response_values(unit, questionnaire_id=default_questionnaire(session).id,
                          submitted_at=datetime(2025, 8, day, 3, tzinfo=timezone.utc),
                          channel="link", answers=SKM, client_uuid=uuid.uuid4())
    insert_rows(session, [row])
    instrument_store.store(session, row, answers)


@pytest.fixture
def answered(session, dataset):
    sby, sda = _unit(session, "unit-sby"), _unit(session, "unit-sda")
    for day, (spkp, spak) in enumerate(zip(SPKP, SPAK), start=4):
        _store(session, sby, day, {"spkp": (4, spkp), "spak": (4, spak)})
    for day, spak in enumerate(SPAK_6, start=10):
        _store(session, sda, day, {"spak": (6, spak)})
    session.commit()
    return dataset


def _zone(session, slug: str, kind: str, since=date(2025, 1, 15)) -> None:
    session.add(UnitZone(unit_id=_unit(session, slug).id, kind=kind, since=since))
    session.commit()


def _pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "zi.pdf"
    path.write_bytes(body)
    result = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                            text=True)
    return " ".join(result.stdout.split())


def _post_zone(client, slug: str, **data):
    return client.post(f"/admin/units/{slug}/zone",
                       data={"csrf_token": csrf_token(client, "/akun"),
                             **{f"zona-{key}": value for key, value in data.items()}})


# --- the status --------------------------------------------------------------------------


def test_the_unit_sets_its_status_and_the_change_is_audited(web, session, users, dataset):
    sign_in(web, users["unit"])
    answer = _post_zone(web, "unit-sby", kind="wbk", since="2025-01-15")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#zona")
    zone = session.get(UnitZone, _unit(session, "unit-sby").id)
    assert (zone.kind, zone.since, zone.set_by) == ("wbk", date(2025, 1, 15), users["unit"].id)
    page = web.get("/admin/units/unit-sby").text
    assert "menuju WBK sejak 15-01-2025" in page
    _post_zone(web, "unit-sby", kind="", since="")
    session.expire_all()
    assert session.get(UnitZone, _unit(session, "unit-sby").id) is None
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "unit_zone_changed")
                             .order_by(AuditEvent.id)).all()
    assert [(e.detail["before"], e.detail["after"]) for e in events] == [
        (None, {"kind": "wbk", "since": "2025-01-15"}),
        ({"kind": "wbk", "since": "2025-01-15"}, None)]
    assert {e.user_id for e in events} == {users["unit"].id}


@pytest.mark.parametrize("since, problem", [
    ("", "Isi tanggal pencanangan"), ("1999-12-31", "terlalu awal"),
    ("2999-01-01", "belum terjadi")])
def test_a_status_needs_a_plausible_date(web, session, users, dataset, since, problem):
    sign_in(web, users["admin"])
    answer = _post_zone(web, "unit-sby", kind="wbbm", since=since)
    assert answer.status_code == 422 and problem in answer.text
    assert session.get(UnitZone, _unit(session, "unit-sby").id) is None


@pytest.mark.parametrize("role", ROLES)
def test_the_unit_and_the_levels_above_set_the_status_and_no_one_else(web, session, users,
                                                                       dataset, role):
    sign_in(web, users[role])
    answer = _post_zone(web, "unit-sda", kind="wbk", since="2025-02-01")
    # unit-sda: Dinas Uji (ministry's office) in Jawa Timur; the unit user is unit-sby's.
    assert answer.status_code == (403 if role == "unit" else 303)
    assert (session.get(UnitZone, _unit(session, "unit-sda").id) is None) == (role == "unit")


# --- the report --------------------------------------------------------------------------


@pytest.mark.parametrize("kind, verdict", [("wbk", "memenuhi"), ("wbbm", "belum memenuhi")])
def test_the_report_prints_the_index_konversi_and_the_verdict_of_the_units_kind(
        admin, session, answered, tmp_path, kind, verdict):
    _zone(session, "unit-sby", kind)
    response = admin.get(f"/dasbor/unit/unit-sby/laporan-zi.pdf?period={PERIOD}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="laporan-zi-unit-sby-2025-S2.pdf"' in response.headers["Content-Disposition"]
    text = _pdf_text(response.data, tmp_path)
    # Figures worked out above SPKP and SPAK, in Indonesian number format.
    assert "IPKP 3,500 (skala 4: 3,500)" in text and "IPAK 3,867 (skala 4: 3,867)" in text
    assert "nilai konversi 87,50" in text and "nilai konversi 96,67" in text
    assert (f"Dengan IPKP 3,500 dan IPAK 3,867 (skala 4), Unit unit-sby {verdict} target "
            f"survei eksternal {kind.upper()}") in text
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.download")
                            .order_by(AuditEvent.id.desc())).first()
    assert event.target == "laporan-zi-unit-sby-2025-S2.pdf"


def test_the_report_is_cached_until_the_status_changes(admin, session, answered):
    first = admin.get(f"/dasbor/unit/unit-sby/laporan-zi.pdf?period={PERIOD}")
    again = admin.get(f"/dasbor/unit/unit-sby/laporan-zi.pdf?period={PERIOD}",
                      headers={"If-None-Match": first.headers["ETag"].strip('"')})
    assert again.status_code == 304
    _zone(session, "unit-sby", "wbk")
    changed = admin.get(f"/dasbor/unit/unit-sby/laporan-zi.pdf?period={PERIOD}",
                        headers={"If-None-Match": first.headers["ETag"].strip('"')})
    assert changed.status_code == 200


def test_the_reports_counts_match_the_rollups(session, answered):
    unit = _unit(session, "unit-sby")
    period = periods.parse(PERIOD)
    counts = instrument_figures.answer_counts(session, unit.id, period)
    sums = instrument_figures.unit_sums(session, unit.id, period)
    for key, items in counts.items():
        # Every item answered by every respondent; the GROUP BY's sums equal the rollup's.
        assert {sum(item) for item in items} == {sums[key]["n"]}
        assert [sum(v * c for v, c in enumerate(item, 1)) for item in items] == [
            sums[key][f"s{i}"] for i in range(1, len(items) + 1)]
    assert counts["spak", 4][0] == (0, 0, 1, 2)  # A1: answers 4, 4, 3 above


def test_a_period_without_answers_gets_a_polite_page(admin, answered):
    response = admin.get("/dasbor/unit/unit-mks/laporan-zi.pdf?period=2025")
    assert response.status_code == 404 and "Belum ada jawaban SPKP dan SPAK" in response.text
    early = admin.get(f"/dasbor/unit/unit-sby/laporan-zi.pdf?period=2025-S1")
    assert early.status_code == 404 and "Semester I 2025" in early.text


@pytest.mark.parametrize("address", [
    "/dasbor/unit/unit-sby/laporan-zi.pdf?period=2025-S9",
    "/dasbor/unit/unit-sby/laporan-zi.pdf?period=1999",
    "/dasbor/unit/unit-sby/laporan-zi.pdf?period=2025-S2&locale=fr",
    "/dasbor/zona-integritas?scope=region:99x&period=2025",
    "/dasbor/zona-integritas?scope=region:35&period=abc",
    "/dasbor/zona-integritas?scope=region:35&period=2025&sort=n",
    "/api/v1/zone-integrity?scope=planet:mars",
    "/api/v1/zone-integrity?scope=region:35&period=2025-13",
])
def test_bogus_parameters_answer_400(admin, answered, address):
    assert admin.get(address).status_code == 400


@pytest.mark.parametrize("address", [
    "/dasbor/unit/tidak-ada/laporan-zi.pdf?period=2025",
    "/dasbor/zona-integritas?scope=agency:999999&period=2025",
    "/api/v1/zone-integrity?scope=agency:999999&period=2025",
])
def test_unknown_units_and_scopes_answer_404(admin, answered, address):
    assert admin.get(address).status_code == 404


@pytest.mark.parametrize("slug, allowed", [
    ("unit-sby", set(ROLES)), ("unit-sda", {"admin", "ministry", "agency", "region"})])
@pytest.mark.parametrize("role", ROLES)
def test_the_report_is_for_the_units_owners(web, users, answered, slug, allowed, role):
    sign_in(web, users[role])
    response = web.get(f"/dasbor/unit/{slug}/laporan-zi.pdf?period={PERIOD}")
    assert response.status_code == (200 if role in allowed else 403)


def test_the_unit_dashboard_links_the_report_when_it_has_answers(admin, answered):
    link = "/dasbor/unit/unit-sby/laporan-zi.pdf?period=2025-S2"
    assert link in admin.get(f"/dasbor/unit/unit-sby?period={PERIOD}").text
    assert "laporan-zi.pdf" not in admin.get("/dasbor/unit/unit-mks?period=2025").text


# --- the level above ---------------------------------------------------------------------


def _expected(session, slug: str) -> dict:
    """Return instrument_figures' own per-unit figures of the period, by instrument."""
    found = instrument_figures.unit_figures(session, _unit(session, slug).id,
                                            periods.parse(PERIOD), 0)
    return {figure.code: figure for figure in found}


def _api(client, scope: str, sort: str = "name") -> list:
    response = client.get(f"/api/v1/zone-integrity?scope={scope}&period={PERIOD}&sort={sort}")
    assert response.status_code == 200
    return response.get_json()["rows"]


def test_scope_rows_are_the_units_own_figures(app, admin, session, answered, monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", 2)
    monkeypatch.setenv("SUARA_MIN_RESPONDENTS", "2")  # for _expected, outside a request
    _zone(session, "unit-sby", "wbk")
    _zone(session, "unit-mks", "wbbm")
    rows = {row["unit"]: row for row in _api(admin, f"agency:{answered['office']}")}
    assert set(rows) == {"unit-sby", "unit-sda", "unit-mks"}  # unit-jpr: no status, no answers
    for slug in ("unit-sby", "unit-sda"):
        expected = _expected(session, slug)
        for code, short in (("spkp", "ipkp"), ("spak", "ipak")):
            got = rows[slug][short]
            if code not in expected:
                assert got is None
                continue
            figure = expected[code]
            assert (got["n"], got["index"], got["on_four_point"], got["ci_low"],
                    got["ci_high"], got["provisional"]) == (
                figure.n, float(figure.index), float(figure.on_four),
                float(figure.low), float(figure.high), figure.provisional)
    sby = rows["unit-sby"]
    # WBK targets 3.20 and 3.60; LKE points worked out above SPKP and SPAK.
    assert (sby["ipkp"]["target"], sby["ipak"]["target"]) == (3.2, 3.6)
    assert (sby["ipkp"]["lke_points"], sby["ipak"]["lke_points"]) == (15.31, 16.92)
    assert sby["meets_target"] is True and sby["zone"] == {"kind": "wbk", "since": "2025-01-15"}
    # unit-sda: SPAK on six points, no status; unit-mks: a status without answers.
    assert rows["unit-sda"]["zone"] is None and rows["unit-sda"]["scale_max"] == 6
    assert rows["unit-sda"]["ipak"]["target"] is None and rows["unit-sda"]["meets_target"] is None
    assert (rows["unit-mks"]["ipkp"], rows["unit-mks"]["ipak"]) == (None, None)
    assert rows["unit-mks"]["meets_target"] is None


def test_provisional_figures_leave_the_verdict_open(admin, session, answered):
    _zone(session, "unit-sby", "wbk")
    (sby,) = [row for row in _api(admin, "region:35") if row["unit"] == "unit-sby"]
    # Three respondents, below the default minimum of 30 (survey/samples.py).
    assert sby["ipak"]["provisional"] is True and sby["ipak"]["meets_target"] is None
    assert sby["meets_target"] is None


def test_rows_sort_by_ipak(admin, answered):
    # IPAK on four points: unit-sby 58 / 15 = 3.87; unit-sda (6 + 6 + 5 + 6 + 6 + 5 x 5) / 10
    # = 5.4 on six points, 1 + 4.4 x 3 / 5 = 3.64 on four.
    rows = _api(admin, "region:35", sort="ipak")
    assert [(row["unit"], row["ipak"]["on_four_point"]) for row in rows] == [
        ("unit-sby", 3.87), ("unit-sda", 3.64)]


def test_the_scope_page_lists_the_same_rows(app, admin, session, answered, monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", 2)
    _zone(session, "unit-sby", "wbbm")
    page = admin.get(f"/dasbor/zona-integritas?scope=region:35&period={PERIOD}&sort=ipak")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert text.index("Unit unit-sby") < text.index("Unit unit-sda")
    assert "menuju WBBM" in text and "belum ada status" in text
    # IPKP 3.50 < 3.60 for WBBM: not met.
    assert '<td class="num">3,50</td>' in page.text and "<td>tidak</td>" in page.text
    scope_page = admin.get(f"/dasbor/?scope=region:35&period={PERIOD}").text
    assert "/dasbor/zona-integritas?scope=region:35&amp;period=2025-S2" in scope_page


def test_the_scope_sums_take_one_statement(session, answered, statements):
    from survey import zone_figures
    from survey.scopes import NATIONAL

    statements.clear()
    zone_figures.zone_rows(session, NATIONAL, periods.parse(PERIOD))
    # Sums, statuses, ids, unit details: four, whatever the number of units.
    assert len([s for s in statements if s.startswith("SELECT")]) == 4


# --- public page and exports -------------------------------------------------------------


def test_the_public_page_shows_ipak_with_n(client, answered):
    text = " ".join(client.get(f"/hasil/unit-sby?period={PERIOD}").text.split())
    assert "Survei Zona Integritas: IPKP dan IPAK" in text
    # IPAK 3.87 (instrument_figures: two places), 3 respondents.
    assert '<th scope="row">IPAK (SPAK)</th> <td class="num">3,87</td>' in text
    assert '<td class="num">3</td>' in text
    assert "Survei Zona Integritas" not in client.get("/hasil/unit-mks?period=2025").text


def test_the_figures_exports_carry_ipak(admin, session, answered):
    unit = _unit(session, "unit-sda")
    unit.name = "=HYPERLINK(\"http://x\")"  # typed text never becomes a formula
    session.commit()
    lines = list(csv.reader(io.StringIO(admin.get(
        f"/dasbor/unduh.csv?scope=region:35&period={PERIOD}").text.lstrip("\ufeff"))))
    at = lines.index(["ZONA INTEGRITAS: IPKP DAN IPAK PER UNIT"])
    rows = {line[0]: line for line in lines[at + 2:]}
    assert rows["unit-sby"][:9] == ["unit-sby", "Unit unit-sby", "", "4", "3", "3.5", "",
                                    "3", "3.87"]
    assert rows["unit-sda"][1] == "'=HYPERLINK(\"http://x\")" and rows["unit-sda"][8] == "3.64"
    book = openpyxl.load_workbook(io.BytesIO(admin.get(
        f"/dasbor/unduh.xlsx?scope=unit:unit-sby&period={PERIOD}").data))
    cells = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    assert ["IPAK (SPAK)", 4, 3, 3.87, 3.87, 96.67, "sementara"] == cells[
        cells.index(["SURVEI ZONA INTEGRITAS (SPKP DAN SPAK)"]) + 3][:7]
    sda = openpyxl.load_workbook(io.BytesIO(admin.get(
        f"/dasbor/unduh.xlsx?scope=region:35&period={PERIOD}").data))
    names = [row[1] for row in sda.active.iter_rows(values_only=True) if len(row) > 1]
    assert "=HYPERLINK(\"http://x\")" in names  # a string cell, not a formula
