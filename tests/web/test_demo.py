"""The demo data set: idempotent, spread over regions, half-years and quality levels."""

import re

import numpy as np
from sqlalchemy import func, select

from analysis.elements import ELEMENT_CODES
from survey.cli import cli
from survey.demo import demo_token, load_demo
from survey.demo_data import PERIODS, UNITS
from survey.models import (Agency, CaseReply, CaseTag, FollowUp, Response, ServicePoint,
                           ServiceUnit, UnitPopulation)
from survey.regions import WIT

ANSWERS = [getattr(Response, code.lower()) for code in ELEMENT_CODES]


def counts(session):
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Agency, ServiceUnit, ServicePoint, UnitPopulation, Response)}


def unit_id(session, slug):
    return session.scalar(select(ServiceUnit.id).where(ServiceUnit.slug == slug))


def test_demo_twice_adds_nothing_the_second_time(runner, session):
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    after_first = counts(session)
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0, second.output
    assert counts(session) == after_first
    responses = f"{after_first['Response']:,}".replace(",", ".")
    assert re.search(rf"Respons\s*: {responses} ditambahkan, 0 sudah ada", first.output)
    assert re.search(rf"Respons\s*: 0 ditambahkan, {responses} sudah ada", second.output)
    assert re.search(rf"Unit layanan\s*: {len(UNITS)} \(0 baru\)", second.output)
    # sha256 of "demo|puskesmas-ketabang|Loket Pendaftaran", base32: the same in every run.
    assert "/s/rwco7uknvvqf" in first.output and "/s/rwco7uknvvqf" in second.output


def test_demo_agencies_form_a_tree_and_points_have_fixed_tokens(session):
    load_demo(session)
    agencies = {agency.id: agency for agency in session.scalars(select(Agency))}
    assert {agency.kind for agency in agencies.values()} == {
        "kementerian", "pemda", "dinas", "kantor"}
    for agency in agencies.values():
        parent_path = agencies[agency.parent_id].path if agency.parent_id else "/"
        assert agency.path == f"{parent_path}{agency.id}/"
    roots = {agency.name for agency in agencies.values() if agency.parent_id is None}
    assert roots == {"Kementerian Kesehatan", "Kementerian Dalam Negeri", "Kementerian Agama"}
    points = session.execute(
        select(ServiceUnit.slug, ServicePoint.name, ServicePoint.token).join(ServicePoint.unit)
    ).all()
    assert {len(unit.points) for unit in session.scalars(select(ServiceUnit))} == {1, 2, 3}
    assert all(token == demo_token(slug, name) for slug, name, token in points)
    assert all(re.fullmatch(r"[a-z2-7]{12}", token) for _, _, token in points)


def test_demo_covers_provinces_units_and_three_half_years(session):
    summary = load_demo(session)
    units = session.scalars(select(ServiceUnit)).all()
    assert 18 <= len(units) <= 24
    # Jawa Timur, Jawa Barat (WIB), Bali, Sulawesi Selatan (WITA) and Papua (WIT).
    assert {unit.region_code[:2] for unit in units} == {"35", "32", "51", "73", "91"}
    total = session.scalar(select(func.count()).select_from(Response))
    assert total == summary.responses_added
    assert 5000 <= total <= 8000
    for label, start, end in PERIODS:
        n, first, last, per_unit = session.execute(
            select(func.count(), func.min(Response.submitted_on), func.max(Response.submitted_on),
                   func.count(func.distinct(Response.unit_id)))
            .where(Response.submitted_on.between(start, end))).one()
        assert per_unit == len(units), label
        # Thousands of weekday answers: the first and last fall within a week of the edges.
        assert (first - start).days < 7 and (end - last).days < 7, (label, first, last)
        total -= n
    assert total == 0  # nothing falls outside the three half-years
    populations = session.scalars(select(UnitPopulation.population)).all()
    assert len(populations) == 3 * len(units) and min(populations) > 0


def test_demo_units_differ_and_answers_look_like_real_data(session):
    load_demo(session)
    matrix = np.array(session.execute(select(*ANSWERS)).all())
    assert set(np.unique(matrix)) == {1, 2, 3, 4}
    # A shared latent satisfaction makes elements correlate, as in real SKM data.
    assert np.corrcoef(matrix[:, 0], matrix[:, 1])[0, 1] > 0.3
    surabaya = _mean_answer(session, "disdukcapil-kota-surabaya")
    makassar = _mean_answer(session, "disdukcapil-kota-makassar")
    # demo_data sets their levels 0.83 apart; several hundred respondents each keep that clear.
    assert surabaya - makassar > 0.5, (surabaya, makassar)


def _mean_answer(session, slug):
    return session.scalar(select(func.avg(sum(ANSWERS) / 9.0))
                          .where(Response.unit_id == unit_id(session, slug)))


def test_demo_submission_dates_are_local_in_papua(session):
    load_demo(session)
    rows = session.execute(
        select(Response.submitted_at, Response.submitted_on)
        .where(Response.unit_id == unit_id(session, "disdukcapil-kota-jayapura"))).all()
    assert len(rows) >= 180
    local = [at.astimezone(WIT) for at, _ in rows]
    assert all(moment.date() == on for moment, (_, on) in zip(local, rows))
    assert all(moment.weekday() < 5 and 8 <= moment.hour < 15 for moment in local)
    # Before 09:00 WIT it is still the previous day in UTC: the zone really matters here.
    assert any(at.date() != on for at, on in rows)


def test_demo_fills_the_inbox_and_the_follow_up_pages(runner, session):
    """Puskesmas Ketabang's inbox and plans (survey/demo_inbox.py), added once."""
    for _ in range(2):
        assert runner.invoke(cli, ["demo"]).exit_code == 0
        unit = unit_id(session, "puskesmas-ketabang")
        actions = session.execute(select(FollowUp.period_label, FollowUp.status,
                                         FollowUp.published)
                                  .where(FollowUp.unit_id == unit)
                                  .order_by(FollowUp.period_label, FollowUp.id)).all()
        assert actions == [("2025-S2", "done", True), ("2025-S2", "in_progress", True),
                           ("2026-S1", "planned", False), ("2026-S1", "in_progress", True)]
        deliveries = sorted(session.scalars(select(CaseReply.delivery)))
        assert deliveries == ["manual", "sent"]
        tagged = session.scalar(select(func.count(func.distinct(CaseTag.response_id))))
        assert tagged == 6
        assert session.scalar(select(func.count()).select_from(CaseTag)
                              .where(CaseTag.confirmed_by.is_(None))) == 0
