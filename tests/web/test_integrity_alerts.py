"""Integrity alerts: raised with the SPAK answer that signals gratification, illegal levies or
brokers, once per response and aspect, shown to the levels above the unit, closed only by them
(audited), and counted per unit and month exactly as the raw answers say."""

import random
import re
import uuid
from collections import Counter
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from analysis.integrity_alerts import signals
from survey import instrument_store
from survey.integrity_alerts import listing
from survey.models import AuditEvent, IntegrityAlert, PointInstrument, ServiceUnit
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import Scope
from tests.web.conftest import ROLES, sign_in
from tests.web.test_form import form_data, point  # noqa: F401 (a fixture)

PAGE = "/dasbor/peringatan-integritas"
SKM = {f"U{n}": 3 for n in range(1, 10)}
# A1 diskriminasi 1 and A2 kecurangan 1 (no alert), A3 imbalan 3, A4 pungli 2, A5 calo 4.
LOW_PUNGLI = {"spak_1": "1", "spak_2": "1", "spak_3": "3", "spak_4": "2", "spak_5": "4"}


@pytest.fixture
def spak_point(session, point):  # noqa: F811 (the fixture above)
    session.add(PointInstrument(point_id=point.id, instrument="spak", scale_max=4))
    session.commit()
    return point


def _alerts(session) -> list:
    return list(session.execute(select(
        IntegrityAlert.aspect, IntegrityAlert.answer, IntegrityAlert.scale_max,
        IntegrityAlert.status).order_by(IntegrityAlert.id)))


def test_a_low_pungli_answer_raises_one_alert_and_nothing_else_does(client, session, app,
                                                                    spak_point):
    assert client.post("/s/tok-uji-1/kirim",
                       data=form_data(app, spak_point, **LOW_PUNGLI)).status_code == 303
    assert _alerts(session) == [("pungli", 2, 4, "open")]
    alert = session.scalars(select(IntegrityAlert)).one()
    assert alert.unit_id == spak_point.unit_id and alert.handled_by is None
    # Nothing of the person: the alert's columns are the answer, its unit, day and handling.
    assert {column.name for column in IntegrityAlert.__table__.columns} == {
        "id", "unit_id", "response_id", "aspect", "answer", "scale_max", "raised_at",
        "submitted_on", "status", "handled_by", "handled_at", "note"}
    # Agreement (3, 4) on the three aspects raises nothing, nor the SKM alone.
    good = {**LOW_PUNGLI, "spak_3": "3", "spak_4": "3", "spak_5": "4"}
    answer = client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point, **good))
    assert answer.status_code == 303
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point)).status_code == 303
    assert len(_alerts(session)) == 1


def test_six_points_alert_at_three_not_at_four(client, session, app, point):  # noqa: F811
    session.add(PointInstrument(point_id=point.id, instrument="spak", scale_max=6))
    session.commit()
    three = {"spak_1": "6", "spak_2": "6", "spak_3": "4", "spak_4": "6", "spak_5": "3"}
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, point, **three)).status_code == 303
    assert _alerts(session) == [("calo", 3, 6, "open")]


def test_skm_only_and_agreeing_answers_cost_no_alert_statement(client, session, app, spak_point,
                                                               statements):
    client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point))  # the point is now kept
    statements.clear()
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point)).status_code == 303
    good = {f"spak_{n}": "4" for n in range(1, 6)}
    assert client.post("/s/tok-uji-1/kirim",
                       data=form_data(app, spak_point, **good)).status_code == 303
    assert not any("integrity_alert" in sql for sql in statements)
    assert client.post("/s/tok-uji-1/kirim",
                       data=form_data(app, spak_point, **LOW_PUNGLI)).status_code == 303
    assert sum("integrity_alert" in sql for sql in statements) == 1


def test_a_retried_post_raises_each_alert_once(client, session, app, spak_point):
    data = form_data(app, spak_point, **{**LOW_PUNGLI, "spak_3": "1", "spak_5": "2"})
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    assert sorted(aspect for aspect, *_ in _alerts(session)) == ["calo", "imbalan", "pungli"]


def _store(session, unit, when: datetime, values: tuple, excluded: bool = False) -> dict:
    row = response_values(unit, questionnaire_id=default_questionnaire(session).id,
                          submitted_at=when, channel="link", answers=SKM,
                          client_uuid=uuid.uuid4())
    row["excluded"] = row["flagged"] = excluded
    insert_rows(session, [row])
    instrument_store.store(session, row, {"spak": (4, values)})
    return row


def test_the_same_answer_cannot_raise_an_alert_twice(session, dataset):
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    row = _store(session, unit, datetime(2025, 3, 3, 3, tzinfo=timezone.utc), (4, 4, 4, 1, 4))
    with pytest.raises(IntegrityError):
        instrument_store.raise_alerts(session, row, {"spak": (4, (4, 4, 4, 1, 4))})
        session.flush()


@pytest.fixture
def alerts_by_unit(session, dataset) -> dict[str, int]:
    """One pungli alert in each of unit-sby (Jawa Timur, Dinas Uji), unit-mks (Sulawesi
    Selatan, Dinas Uji) and unit-jpr (Papua, the ministry directly); return their ids."""
    ids = {}
    for slug in ("unit-sby", "unit-mks", "unit-jpr"):
        unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()
        _store(session, unit, datetime(2025, 5, 6, 3, tzinfo=timezone.utc), (4, 4, 4, 1, 4))
        ids[slug] = session.scalar(select(IntegrityAlert.id)
                                   .where(IntegrityAlert.unit_id == unit.id))
    session.commit()
    return ids


# Who may open the alerts page of unit-mks: the levels above it (admin, the ministry, Dinas
# Uji), not Jawa Timur's region account nor unit-sby's head (tests/web/test_access.py users).
@pytest.mark.parametrize("role", ROLES)
def test_the_levels_above_see_a_units_alerts_other_units_roles_do_not(web, users, alerts_by_unit,
                                                                      role):
    sign_in(web, users[role])
    answer = web.get(f"{PAGE}?scope=unit:unit-mks")
    assert answer.status_code == (200 if role in ("admin", "ministry", "agency") else 403)
    if answer.status_code == 200:
        assert f'id="alert-{alerts_by_unit["unit-mks"]}"' in answer.text


def test_each_sees_the_alerts_of_their_own_scope(web, users, alerts_by_unit):
    sign_in(web, users["region"])  # Jawa Timur: unit-sby only of the three
    html = web.get(PAGE).text
    assert f'id="alert-{alerts_by_unit["unit-sby"]}"' in html
    assert f'id="alert-{alerts_by_unit["unit-mks"]}"' not in html
    assert "1 peringatan" in html
    sign_in(web, users["unit"])  # the unit sees its own, without the form to close it
    html = web.get(PAGE).text
    assert f'id="alert-{alerts_by_unit["unit-sby"]}"' in html and "Simpan #" not in html
    # The badges: the scope dashboard of the ministry counts its three open alerts.
    sign_in(web, users["ministry"])
    assert '<span class="badge">3</span> terbuka' in web.get("/dasbor/?period=2025").text


def _token(web) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', web.get(PAGE).text).group(1)


def test_the_unit_cannot_close_its_alert_the_level_above_can_audited(web, session, users,
                                                                    alerts_by_unit):
    alert_id = alerts_by_unit["unit-sby"]
    form = {"status": "handled", "note": "Petugas loket diperiksa Inspektorat."}
    sign_in(web, users["unit"])
    assert web.post(f"{PAGE}/{alert_id}", data={**form, "csrf_token": _token(web)}
                    ).status_code == 403
    sign_in(web, users["region"])  # Jawa Timur does not cover unit-mks
    form["csrf_token"] = _token(web)
    assert web.post(f"{PAGE}/{alerts_by_unit['unit-mks']}", data=form).status_code == 403
    session.expire_all()
    assert session.get(IntegrityAlert, alert_id).status == "open"
    # Handled needs a note of what was done.
    assert web.post(f"{PAGE}/{alert_id}", data={"status": "handled",
                                                "csrf_token": form["csrf_token"]}
                    ).status_code == 303
    session.expire_all()
    assert session.get(IntegrityAlert, alert_id).status == "open"
    answer = web.post(f"{PAGE}/{alert_id}", data={**form, "back": "unit:unit-sby"})
    assert answer.status_code == 303 and "scope=unit:unit-sby" in answer.headers["Location"]
    session.expire_all()
    alert = session.get(IntegrityAlert, alert_id)
    assert (alert.status, alert.note, alert.handled_by) == (
        "handled", form["note"], users["region"].id)
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "integrity_alert_handled")).one()
    assert (event.user_id, event.unit_id, event.target) == (
        users["region"].id, alert.unit_id, f"integrity_alert:{alert_id}")
    assert event.detail["note"] == form["note"] and event.detail["before"] == "open"


def test_counts_per_unit_and_month_equal_the_raw_answers(session, dataset):
    rng = random.Random(2202)
    units = list(session.scalars(select(ServiceUnit).where(
        ServiceUnit.slug.in_(("unit-sby", "unit-sda")))))
    respondents, n, aspects, excluded = Counter(), Counter(), Counter(), Counter()
    for _ in range(120):
        unit, month = rng.choice(units), rng.randint(1, 4)
        values = tuple(rng.choice((1, 2, 3, 4, 4, 4)) for _ in range(5))
        out = rng.random() < 0.1
        _store(session, unit, datetime(2025, month, rng.randint(1, 28), 3, tzinfo=timezone.utc),
               values, excluded=out)
        key = (unit.slug, date(2025, month, 1))
        found = signals(values, 4)
        if out:
            excluded[key] += bool(found)
            continue
        n[key] += 1
        respondents[key] += bool(found)
        aspects.update((*key, signal.aspect) for signal in found)
    session.commit()
    months = listing.unit_months(session, Scope("agency", str(dataset["office"])),
                                 listing.Filters())
    assert {(m.slug, m.month): m.respondents for m in months} == +respondents
    assert {(m.slug, m.month): m.spak_n for m in months} == {key: n[key] for key in
                                                             {(m.slug, m.month) for m in months}}
    assert Counter({(m.slug, m.month, aspect): count for m in months
                    for aspect, count in m.by_aspect.items()}) == +aspects
    assert {(m.slug, m.month): m.excluded for m in months if m.excluded} == +excluded
    # The open badge of the office counts every alert, excluded ones too (none handled yet).
    assert listing.open_count(session, Scope("agency", str(dataset["office"]))) == session.scalar(
        select(func.count()).select_from(IntegrityAlert))


def test_a_decision_returns_to_the_same_filters_and_page_and_drops_odd_ones(
        web, users, alerts_by_unit):
    sign_in(web, users["admin"])
    listed = web.get(f"{PAGE}?scope=national&status=open&aspect=pungli")
    alert_id = alerts_by_unit["unit-sby"]
    # The form carries the page's filters and its page number back.
    assert f'action="{PAGE}/{alert_id}"' in listed.text
    for hidden in ('name="back_status" value="open"', 'name="back_aspect" value="pungli"',
                   'name="back_page" value="1"'):
        assert hidden in listed.text
    form = {"status": "noted", "csrf_token": _token(web), "back": "national",
            "back_status": "open", "back_aspect": "pungli", "back_page": "1",
            "back_period": "2026-S1"}
    answer = web.post(f"{PAGE}/{alert_id}", data=form)
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert {"scope=national", "status=open", "aspect=pungli", "page=1", "period=2026-S1"} <= set(
        location.split("?")[1].split("&"))
    odd = web.post(f"{PAGE}/{alerts_by_unit['unit-mks']}", data={
        **form, "back_status": "dibuang", "back_aspect": "<b>", "back_page": "0",
        "back_period": "2026\x00S1"})
    assert odd.headers["Location"].endswith(f"{PAGE}?scope=national")
