"""The Zona Integritas surveys (SPKP, SPAK) on the citizen form: shown after the SKM when the
point asks them, stored whole with the SKM's answers, refused when half-answered."""

import re

import pytest
from sqlalchemy import func, select

from survey import instrument_store
from survey.models import InstrumentAnswer, PointInstrument, Response, RollupInstrument
from tests.web.test_form import form_data, point  # noqa: F401 (a fixture)

# SPAK's five statements answered 4, 3, 4, 4, 2 (chosen here): sum 17.
SPAK_ANSWERS = {"spak_1": "4", "spak_2": "3", "spak_3": "4", "spak_4": "4", "spak_5": "2"}


@pytest.fixture
def spak_point(session, point):  # noqa: F811 (the fixture above)
    session.add(PointInstrument(point_id=point.id, instrument="spak", scale_max=4))
    session.commit()
    return point


def _answers(session) -> list:
    return list(session.execute(select(InstrumentAnswer.__table__)).mappings())


def _spak_n(session) -> int:
    return session.scalar(select(func.coalesce(func.sum(RollupInstrument.n), 0)).where(
        RollupInstrument.instrument == "spak", RollupInstrument.months == 1)) or 0


def test_a_point_asking_spak_shows_its_five_statements_after_the_nine_questions(
        client, spak_point):
    html = client.get("/s/tok-uji-1").text
    assert "Survei Persepsi Anti Korupsi (SPAK) — boleh dilewati" in html
    assert "SPKP" not in html  # not asked at this point
    names = re.findall(r'name="(spak_\d)" value="1"', html)
    assert names == [f"spak_{n}" for n in range(1, 6)]
    # After the SKM's ninth question and before the profile.
    assert html.index('name="U9"') < html.index('id="spak"') < html.index('name="gender"')
    # Four answers with their labels (analysis/instruments.py LABELS_4_ID).
    assert "1. Sangat tidak setuju" in html and "4. Sangat setuju" in html
    assert 'name="spak_1" value="5"' not in html


def test_skm_and_spak_are_stored_together_and_counted(client, session, app, spak_point):
    answer = client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point, **SPAK_ANSWERS))
    assert answer.status_code == 303
    (response,) = session.scalars(select(Response))
    (row,) = _answers(session)
    assert row["response_id"] == response.id and row["instrument"] == "spak"
    assert (row["a1"], row["a2"], row["a3"], row["a4"], row["a5"]) == (4, 3, 4, 4, 2)
    assert row["a6"] is None and row["scale_max"] == 4
    month = session.scalars(select(RollupInstrument).where(RollupInstrument.months == 1)).one()
    assert (month.n, month.s1, month.s5, month.t, month.t2) == (1, 4, 2, 17, 17 * 17)
    assert instrument_store.differences(session) == []


def test_an_answer_to_the_skm_only_leaves_the_spak_count_as_it_was(client, session, app,
                                                                     spak_point):
    client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point, **SPAK_ANSWERS))
    assert _spak_n(session) == 1
    answer = client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point))
    assert answer.status_code == 303
    assert session.scalar(select(func.count()).select_from(Response)) == 2
    assert _spak_n(session) == 1 and len(_answers(session)) == 1


def test_a_half_answered_spak_is_refused_politely_and_nothing_is_stored(client, session, app,
                                                                         spak_point):
    half = {"spak_1": "4", "spak_2": "3"}
    answer = client.post("/s/tok-uji-1/kirim", data=form_data(app, spak_point, **half))
    assert answer.status_code == 422
    assert "Mohon jawab semua 5 pernyataan SPAK ini, atau kosongkan semuanya" in answer.text
    # The answers given are kept on the page, SKM and SPAK alike.
    assert 'name="spak_2" value="3" checked' in answer.text
    assert 'name="U2" value="2" checked' in answer.text
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert _answers(session) == []


def test_a_value_off_the_scale_is_refused_too(client, session, app, spak_point):
    answer = client.post("/s/tok-uji-1/kirim",
                         data=form_data(app, spak_point, **{**SPAK_ANSWERS, "spak_5": "6"}))
    assert answer.status_code == 422
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_retried_post_stores_nothing_twice(client, session, app, spak_point):
    data = form_data(app, spak_point, **SPAK_ANSWERS)
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    assert client.post("/s/tok-uji-1/kirim", data=data).status_code == 303
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert len(_answers(session)) == 1 and _spak_n(session) == 1


def test_six_points_and_both_instruments(client, session, app, point):  # noqa: F811
    session.add_all([PointInstrument(point_id=point.id, instrument="spkp", scale_max=6),
                     PointInstrument(point_id=point.id, instrument="spak", scale_max=4)])
    session.commit()
    html = client.get("/s/tok-uji-1").text
    assert 'name="spkp_8" value="6"' in html and 'name="spak_5" value="5"' not in html
    spkp = {f"spkp_{n}": str(n % 6 + 1) for n in range(1, 9)}  # 2, 3, 4, 5, 6, 1, 2, 3
    answer = client.post("/s/tok-uji-1/kirim", data=form_data(app, point, **spkp))
    assert answer.status_code == 303
    (row,) = _answers(session)  # SPAK skipped: no row of it
    assert row["instrument"] == "spkp" and row["scale_max"] == 6 and row["a5"] == 6
    assert instrument_store.differences(session) == []


def test_a_point_without_instruments_shows_the_same_form_and_costs_no_statement_more(
        client, session, app, point, statements):  # noqa: F811
    html = client.get("/s/tok-uji-1").text
    assert "SPAK" not in html and "SPKP" not in html and 'class="instrument"' not in html
    # The nine questions are followed directly by the profile, as before.
    assert re.search(r'</fieldset>\n\n<h2>Tentang Anda', html)
    client.post("/s/tok-uji-1/kirim", data=form_data(app, point))  # the point is now kept
    statements.clear()
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, point)).status_code == 303
    assert not any("instrument" in sql for sql in statements)
    without = len(statements)
    # The same POST at a point asking SPAK, answered SKM only, runs the same statements.
    session.add(PointInstrument(point_id=point.id, instrument="spak", scale_max=4))
    session.commit()
    app.extensions["suara.memo"]["points"].clear()
    client.post("/s/tok-uji-1/kirim", data=form_data(app, point))
    statements.clear()
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, point)).status_code == 303
    assert len(statements) == without
