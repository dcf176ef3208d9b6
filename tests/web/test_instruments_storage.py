"""Stored answers to the Zona Integritas surveys and their rollups: exact against the raw
answers after inserts, an exclusion and a restoration, on SQLite and PostgreSQL alike."""

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey import instrument_store
from survey.cli import cli
from survey.models import InstrumentAnswer, Response, RollupInstrument, ServiceUnit
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import Scope
from survey.staff import review

DESCRIPTION = Path(__file__).parents[2] / "survey" / "api" / "openapi.json"
SKM = {f"U{n}": 3 for n in range(1, 10)}
# Three SPAK answers (five items each) and one SPKP on six points, chosen here.
SPAK = [(4, 4, 3, 4, 4), (2, 3, 3, 1, 2), (4, 4, 4, 4, 4)]
SPKP_6 = (6, 5, 5, 4, 6, 3, 5, 6)


def _store(session, unit, day: int, answers: dict) -> dict:
    row = response_values(unit, questionnaire_id=default_questionnaire(session).id,
                          submitted_at=datetime(2025, 8, day, 3, tzinfo=timezone.utc),
                          channel="link", answers=SKM, client_uuid=uuid.uuid4())
    row["flagged"] = True  # so that it may be proposed for exclusion below
    insert_rows(session, [row])
    instrument_store.store(session, row, answers)
    return row


@pytest.fixture
def answered(session, dataset):
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    rows = [_store(session, unit, day, {"spak": (4, values)})
            for day, values in enumerate(SPAK, start=3)]
    rows.append(_store(session, unit, 20, {"spkp": (6, SPKP_6), "spak": (4, SPAK[0])}))
    rows.append(_store(session, unit, 21, {}))  # the SKM only
    session.commit()
    return unit, rows


def _spak(session, unit) -> tuple:
    row = session.scalars(select(RollupInstrument).where(
        RollupInstrument.unit_id == unit.id, RollupInstrument.months == 6,
        RollupInstrument.instrument == "spak")).one()
    return row.n, row.s1, row.s4, row.t, row.t2


def _response(session, row) -> Response:
    return session.scalars(select(Response).where(
        Response.client_uuid == row["client_uuid"])).one()


def test_rollups_hold_exact_sums_of_the_answers(session, answered):
    unit, _ = answered
    # SPAK: four answers (SPAK rows 1-3 and the fourth response's); sums worked out by hand:
    # s1 = 4 + 2 + 4 + 4 = 14, s4 = 4 + 1 + 4 + 4 = 13, totals 19, 11, 20, 19.
    assert _spak(session, unit) == (4, 14, 13, 19 + 11 + 20 + 19,
                                    19 ** 2 + 11 ** 2 + 20 ** 2 + 19 ** 2)
    spkp = session.scalars(select(RollupInstrument).where(
        RollupInstrument.instrument == "spkp", RollupInstrument.months == 1)).one()
    assert (spkp.scale_max, spkp.n, spkp.s8, spkp.t) == (6, 1, 6, sum(SPKP_6))
    assert instrument_store.differences(session) == []
    # The SKM-only response has no instrument answer.
    assert len(session.execute(select(InstrumentAnswer.__table__)).all()) == 5


def test_exclusion_and_restoration_move_the_instrument_statistics(session, users, answered):
    unit, rows = answered
    target = _response(session, rows[1])  # SPAK (2, 3, 3, 1, 2): total 11
    proposal = review.propose(session, unit, target.id, "duplicate", "Terkirim dua kali.",
                              users["unit"])
    review.decide(session, proposal.id, True, None, users["agency"])
    session.commit()
    assert _spak(session, unit) == (3, 12, 12, 58, 19 ** 2 + 20 ** 2 + 19 ** 2)
    assert instrument_store.differences(session, Scope("unit", "unit-sby")) == []
    proposal = review.propose(session, unit, target.id, "duplicate", "Bukan duplikat.",
                              users["unit"])
    review.decide(session, proposal.id, True, None, users["agency"])
    session.commit()
    assert _spak(session, unit)[0] == 4
    assert instrument_store.differences(session) == []


def test_rebuild_writes_what_the_upserts_kept(session, answered):
    unit, _ = answered
    kept = _spak(session, unit)
    assert instrument_store.rebuild(session, Scope("unit", "unit-sby")) > 0
    assert _spak(session, unit) == kept
    assert instrument_store.differences(session) == []


def test_verify_reports_a_changed_rollup_and_rebuild_repairs_it(session, runner, answered):
    unit, _ = answered
    assert runner.invoke(cli, ["rollups", "verify"]).exit_code == 0
    row = session.scalars(select(RollupInstrument).where(
        RollupInstrument.unit_id == unit.id, RollupInstrument.instrument == "spak",
        RollupInstrument.months == 1)).first()
    row.n += 1
    session.commit()
    result = runner.invoke(cli, ["rollups", "verify"])
    assert result.exit_code == 1 and f"unit {unit.id}" in result.output
    assert runner.invoke(cli, ["rollups", "rebuild"]).exit_code == 0
    assert runner.invoke(cli, ["rollups", "verify"]).exit_code == 0


def test_answers_outside_the_scale_are_refused_before_anything_is_written(session, answered):
    unit, rows = answered
    with pytest.raises(ValueError, match="outside 1..4"):
        instrument_store.answer_values({"spak": (4, (5, 4, 4, 4, 4))})
    # The database refuses them too (CHECK a1 <= scale_max).
    target = _response(session, rows[-1])
    session.add(InstrumentAnswer(response_id=target.id, instrument="spak", scale_max=4,
                                 a1=6, a2=4, a3=4, a4=4, a5=4))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_unit_head_switches_spkp_and_spak_per_point_audited(client, users, session, dataset):
    from survey.models import AuditEvent, PointInstrument, ServicePoint
    from tests.web.conftest import sign_in
    from tests.web.test_admin_units import post

    sby = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == "unit-sby")).one()
    point = ServicePoint(unit_id=sby.id, name="Loket ZI", token="tokzi23456")
    session.add(point)
    session.commit()
    sign_in(client, users["unit"])
    page = client.get("/admin/units/unit-sby").text
    assert "Tanyakan juga SPKP" in page and "Tanyakan juga SPAK" in page
    address = f"/admin/units/unit-sby/points/{point.id}/instruments"
    answer = post(client, address, {f"zi{point.id}-spkp": "", f"zi{point.id}-spak": "6"})
    assert answer.status_code == 303
    asked = session.execute(select(PointInstrument.instrument, PointInstrument.scale_max)
                            .where(PointInstrument.point_id == point.id)).all()
    assert asked == [("spak", 6)]
    (event,) = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "point_instruments_changed"))
    assert event.user_id == users["unit"].id and event.unit_id == sby.id
    assert event.detail == {"name": "Loket ZI", "before": {}, "after": {"spak": 6}}
    assert '<option selected value="6">' in client.get("/admin/units/unit-sby").text
    # The same choice again changes nothing and records nothing more.
    post(client, address, {f"zi{point.id}-spkp": "", f"zi{point.id}-spak": "6"})
    assert len(list(session.scalars(select(AuditEvent).where(
        AuditEvent.action == "point_instruments_changed")))) == 1
    # The agency above the unit (Dinas Uji holds unit-sby) may switch them too.
    sign_in(client, users["agency"])
    assert post(client, address, {f"zi{point.id}-spkp": "4", f"zi{point.id}-spak": ""}
                ).status_code == 303
    session.expire_all()
    assert session.execute(select(PointInstrument.instrument, PointInstrument.scale_max)
                           .where(PointInstrument.point_id == point.id)).all() == [("spkp", 4)]


def test_the_api_and_the_dashboard_show_ipak_with_its_n(client, session, answered, users):
    from tests.web.conftest import sign_in

    api = client.get("/api/v1/units/unit-sby/ikm?period=2025-S2").get_json()
    spkp, spak = api["instruments"]  # SPKP first
    # SPAK's four answers (SPAK above and the fourth response's SPAK[0]): item sums
    # 14, 15, 13, 13, 14 of n = 4, so IPAK = 69 / 20 = 3.45 and konversi 3.45 x 25 = 86.25.
    assert (spak["index_name"], spak["n"], spak["scale_max"]) == ("IPAK", 4, 4)
    assert (spak["index"], spak["konversi"], spak["on_four_point"]) == (3.45, 86.25, 3.45)
    assert [item["mean"] for item in spak["items"]] == [3.5, 3.75, 3.25, 3.25, 3.5]
    # Four respondents is below the minimum of 30 (survey/samples.py): provisional, no band.
    assert spak["provisional"] is True and spak["band"] is None
    assert spak["ci_low"] < 3.45 < spak["ci_high"]
    assert spak["share_of_skm_respondents"] == round(4 / api["respondents"] * 100, 2)
    # SPKP on six points, one answer: index 40 / 8 = 5; on 1..4: 1 + 4 x 3 / 5 = 3.4.
    assert (spkp["index_name"], spkp["scale_max"], spkp["n"]) == ("IPKP", 6, 1)
    assert (spkp["index"], spkp["on_four_point"], spkp["ci_low"]) == (5.0, 3.4, None)
    # Both as the API's description has them (test_api_schema.py sees only empty lists).
    described = json.loads(DESCRIPTION.read_text())["components"]["schemas"]["InstrumentIndex"]
    for figure in (spkp, spak):
        jsonschema.Draft202012Validator(described).validate(figure)
    sign_in(client, users["admin"])
    page = client.get("/dasbor/unit/unit-sby?period=2025-S2").text
    assert "IPAK (SPAK, skala 1–4)" in page and "86,25" in page and "3,45" in page
    assert "IPKP (SPKP, skala 1–6)" in page


def test_a_unit_without_instrument_answers_has_none(client, dataset):
    api = client.get("/api/v1/units/unit-mks/ikm?period=2025-S2").get_json()
    assert api["instruments"] == []
