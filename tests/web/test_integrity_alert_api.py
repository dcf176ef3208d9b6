"""The integrity alerts a page at a time, in the API and as CSV: the same rows everywhere, the
same rule of who may read them, and every refused value a 400 with a message."""

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from survey.auth import accounts
from survey.models import AuditEvent, IntegrityAlert, ServiceUnit
from tests.web.conftest import sign_in
from tests.web.test_integrity_alerts import _store

PAGE = "/dasbor/peringatan-integritas"
API = "/api/v1/integrity-alerts"
CSV = f"{PAGE}/unduh.csv"
SBY_ALERTS = 57  # > 50: two pages of the list, the second with 7 rows
ROW_ID = re.compile(r'id="alert-(\d+)"')


@pytest.fixture
def many(session, dataset) -> list[int]:
    """SBY_ALERTS answers of unit-sby, one a day from 1 March 2025, each with one pungli alert
    (and every third also an imbalan one); two answers of unit-mks. Return unit-sby's alert
    ids newest first (submitted_on descending, then id descending, as the list orders)."""
    units = {unit.slug: unit for unit in session.scalars(select(ServiceUnit))}
    start = datetime(2025, 3, 1, 3, tzinfo=timezone.utc)
    for day in range(SBY_ALERTS):
        imbalan = 1 if day % 3 == 0 else 4
        _store(session, units["unit-sby"], start + timedelta(days=day), (4, 4, imbalan, 1, 4))
    for day in range(2):
        _store(session, units["unit-mks"], start + timedelta(days=day), (4, 4, 4, 1, 4))
    session.commit()
    return list(session.scalars(
        select(IntegrityAlert.id).where(IntegrityAlert.unit_id == units["unit-sby"].id)
        .order_by(IntegrityAlert.submitted_on.desc(), IntegrityAlert.id.desc())))


def _bearer(session, user) -> dict:
    token = accounts.new_api_token(user)
    session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_the_list_pages_fifty_at_a_time_and_keeps_its_filters(web, users, many):
    # unit-sby's alerts: 57 pungli + 19 imbalan (days 0, 3, ..., 54) = 76, the unit's own.
    assert len(many) == SBY_ALERTS + 19
    sign_in(web, users["unit"])
    first = web.get(f"{PAGE}?scope=unit:unit-sby")
    assert "1–50 dari 76 peringatan" in first.text
    assert [int(i) for i in ROW_ID.findall(first.text)] == many[:50]
    second = web.get(f"{PAGE}?scope=unit:unit-sby&page=2")
    assert "51–76 dari 76 peringatan" in second.text
    assert [int(i) for i in ROW_ID.findall(second.text)] == many[50:]
    # Past the last page: the last page, as every list of the project (admin/listings.py);
    # anything but a page number reads as the first.
    assert ROW_ID.findall(web.get(f"{PAGE}?scope=unit:unit-sby&page=99999").text) == \
        ROW_ID.findall(second.text)
    assert ROW_ID.findall(web.get(f"{PAGE}?scope=unit:unit-sby&page=dua").text) == \
        ROW_ID.findall(first.text)
    # The filters ride along in the pager and the download link: pungli only, 57 on 2 pages.
    pungli = web.get(f"{PAGE}?scope=unit:unit-sby&aspect=pungli&status=open&period=2025").text
    assert "1–50 dari 57 peringatan" in pungli
    links = re.findall(r'href="([^"]*(?:page=2|unduh\.csv)[^"]*)"', pungli)
    assert len(links) == 2
    for link in links:
        assert all(part in link for part in ("scope=unit:unit-sby", "status=open",
                                             "aspect=pungli", "period=2025"))
    empty = web.get(f"{PAGE}?scope=unit:unit-sby&period=2024").text
    assert "0 peringatan." in empty and 'class="pager"' not in empty


def test_the_api_gives_the_rows_the_page_lists(web, session, users, many):
    headers = _bearer(session, users["agency"])  # Dinas Uji: unit-sby and unit-mks
    sign_in(web, users["agency"])
    for number in (1, 2):
        address = f"?scope=unit:unit-sby&page={number}"
        html = web.get(PAGE + address).text
        answer = web.get(API + address, headers=headers)
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        assert [row["id"] for row in answer.json["rows"]] == [int(i) for i in ROW_ID.findall(html)]
        paging = answer.json["paging"]
        assert (paging["page"], paging["pages"], paging["total"], paging["per_page"]) == (
            number, 2, 76, 50)
        assert (paging["first"], paging["last"]) == ((1, 50) if number == 1 else (51, 76))
    alert = session.get(IntegrityAlert, many[0])  # the newest: day 56 (26 April), pungli
    assert answer.json["rows"][-1]["id"] == many[-1]
    newest = web.get(API + "?scope=unit:unit-sby", headers=headers).json["rows"][0]
    assert newest == {"id": alert.id, "unit_slug": "unit-sby", "unit_name": "Unit unit-sby",
                      "aspect": alert.aspect, "answer": alert.answer, "scale_max": 4,
                      "submitted_on": "2025-04-26", "status": "open", "excluded": False,
                      "handled_at": None}
    # The counts per unit and month: March holds days 0..30 (31 respondents), April 26.
    months = web.get(API + "?scope=unit:unit-sby&aspect=pungli", headers=headers).json
    assert [(m["month"], m["respondents"], m["by_aspect"]["pungli"]) for m in
            months["unit_months"]] == [("2025-04", 26, 26), ("2025-03", 31, 31)]
    assert all(m["spak_n"] >= m["respondents"] for m in months["unit_months"])
    # Without a scope: the account's own (Dinas Uji), 76 + unit-mks's 2.
    assert web.get(API, headers=headers).json["paging"]["total"] == 78


@pytest.mark.parametrize("role, scope, status", [
    ("unit", "unit:unit-sby", 200),  # a unit reads its own, as on the page
    ("unit", "unit:unit-mks", 403),
    ("unit", "region:35", 403),
    ("region", "unit:unit-mks", 403),  # Jawa Timur does not cover Makassar
    ("region", "region:73", 403),
    ("agency", "unit:unit-jpr", 403),  # unit-jpr belongs to the ministry directly
    ("admin", "agency:2147483647", 404),  # no such agency
])
def test_the_api_follows_the_pages_rule(web, session, users, many, role, scope, status):
    sign_in(web, users[role])
    assert web.get(f"{PAGE}?scope={scope}").status_code == status
    answer = web.get(f"{API}?scope={scope}", headers=_bearer(session, users[role]))
    assert answer.status_code == status and answer.mimetype == "application/json"
    if status != 200:
        assert answer.json["error"]["status"] == status


def test_the_api_without_a_valid_token_answers_401(web, many):
    for headers in ({}, {"Authorization": "Bearer suara_bukan-token"}):
        answer = web.get(f"{API}?scope=unit:unit-sby", headers=headers)
        assert answer.status_code == 401 and answer.json["error"]["status"] == 401


@pytest.mark.parametrize("query", [
    "page=0", "page=-1", "page=1.5", "page=abc", "page=", "page=%D9%A3",  # Arabic-Indic 3
    "page=100001", "page=99999999999999999999", "status=closed", "aspect=suap",
    "period=2026-S9", "period=1999", "period=2025%00", "scope=unit:UNIT", "scope=agency:0",
    "scope=agency:99999999999", "scope=planet:mars",
])
def test_bad_values_answer_400_with_a_message(web, session, users, many, query):
    answer = web.get(f"{API}?{query}", headers=_bearer(session, users["admin"]))
    assert answer.status_code == 400, answer.text[:200]
    assert answer.json["error"]["status"] == 400 and answer.json["error"]["message"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://contoh.test\")", "+62 Loket", "-1+1",
                                  "@SUM(A1)"])
def test_the_csv_has_the_api_rows_with_formulas_neutralised(web, session, users, many, name):
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    unit.name = name
    session.commit()
    headers = _bearer(session, users["region"])
    rows = [row for number in (1, 2) for row in web.get(
        f"{API}?scope=unit:unit-sby&page={number}", headers=headers).json["rows"]]
    sign_in(web, users["region"])
    answer = web.get(f"{CSV}?scope=unit:unit-sby")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "peringatan-integritas-unit-unit-sby.csv" in answer.headers["Content-Disposition"]
    text = answer.get_data(as_text=True)
    assert text.startswith("\ufeff") and "\r\n" in text
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0] == ["ID", "Slug unit", "Nama unit", "Aspek", "Jawaban", "Skala maksimum",
                        "Tanggal jawaban", "Status", "Jawaban dikeluarkan", "Ditandai pada"]
    # The API's rows as text: the name behind a quote, booleans in words, None empty.
    assert table[1:] == [[str(r["id"]), r["unit_slug"], "'" + name, r["aspect"], str(r["answer"]),
                          str(r["scale_max"]), r["submitted_on"], r["status"],
                          "ya" if r["excluded"] else "tidak", r["handled_at"] or ""]
                         for r in rows]
    assert len(table) - 1 == 76
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (event.user_id, event.target) == (users["region"].id,
                                             "peringatan-integritas-unit-unit-sby.csv")


def test_a_handled_alert_shows_its_time_in_the_api_and_the_csv(web, session, users, many):
    sign_in(web, users["agency"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get(PAGE).text).group(1)
    form = {"status": "handled", "note": "Diperiksa.", "csrf_token": token}
    assert web.post(f"{PAGE}/{many[0]}", data=form).status_code == 303
    session.expire_all()
    handled_at = session.get(IntegrityAlert, many[0]).handled_at
    row = web.get(f"{API}?scope=unit:unit-sby&status=handled",
                  headers=_bearer(session, users["agency"])).json["rows"]
    assert [(r["id"], r["status"], r["handled_at"]) for r in row] == [
        (many[0], "handled", handled_at.isoformat())]
    table = list(csv.reader(io.StringIO(web.get(f"{CSV}?scope=unit:unit-sby&status=handled")
                                        .get_data(as_text=True).removeprefix("\ufeff"))))
    assert [line[0] for line in table[1:]] == [str(many[0])]
    assert table[1][-1] == handled_at.isoformat()
