"""Ballot stuffing: limits refuse politely with Retry-After, patterns are flagged, never dropped."""

from sqlalchemy import func, select

from survey.models import Response
from survey.public import abuse
from tests.web.test_form import form_data, point  # noqa: F401  (the point fixture)


def post(client, app, point, device="perangkat-a", **overrides):
    client.set_cookie("suara_device", device)
    return client.post(f"/s/{point.token}/kirim", data=form_data(app, point, **overrides))


def rows(session):
    return list(session.scalars(select(Response).order_by(Response.id)))


def test_an_honest_counter_is_never_flagged(client, app, session, point):
    # Ten citizens, each with their own phone and their own answers, one after another.
    for n in range(10):
        answers = {f"U{i}": str((i + n) % 4 + 1) for i in range(1, 10)}
        assert post(client, app, point, device=f"hp-{n}", age=str(20 + n), **answers).status_code == 303
    assert [r.flagged for r in rows(session)] == [False] * 10


def test_a_burst_from_one_device_is_stored_and_flagged(client, app, session, point):
    for n in range(abuse.BURST_COUNT):
        answers = {f"U{i}": str((i + n) % 4 + 1) for i in range(1, 10)}
        assert post(client, app, point, age=str(30 + n), **answers).status_code == 303
    stored = rows(session)
    assert len(stored) == abuse.BURST_COUNT
    assert [r.flagged for r in stored] == [False] * (abuse.BURST_COUNT - 1) + [True]
    assert stored[-1].flag_reason.startswith("burst: 3 from one device")
    assert not stored[-1].excluded  # only a person excludes


def test_identical_answers_from_different_devices_are_flagged(client, app, session, point):
    for n in range(abuse.IDENTICAL_COUNT):
        assert post(client, app, point, device=f"hp-{n}").status_code == 303
    stored = rows(session)
    assert [r.flagged for r in stored] == [False] * (abuse.IDENTICAL_COUNT - 1) + [True]
    assert "identical: 3 identical answers" in stored[-1].flag_reason


def test_the_same_answers_with_another_profile_are_not_identical(client, app, session, point):
    for n in range(abuse.IDENTICAL_COUNT):
        post(client, app, point, device=f"hp-{n}", age=str(40 + n))
    assert not any(r.flagged for r in rows(session))


def test_one_device_over_its_limit_is_refused_with_retry_after(client, app, session, point,
                                                              monkeypatch):
    monkeypatch.setattr(abuse, "DEVICE_LIMIT", 2)
    for n in range(2):
        post(client, app, point, age=str(50 + n))
    refused = post(client, app, point, age="60")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "600"
    assert "Jawaban Anda belum tersimpan" in refused.text
    assert session.scalar(select(func.count()).select_from(Response)) == 2
    # Another phone at the same counter is not affected.
    assert post(client, app, point, device="hp-lain", age="61").status_code == 303


def test_a_point_over_its_limit_is_refused(client, app, session, point, monkeypatch):
    monkeypatch.setattr(abuse, "POINT_LIMIT", 3)
    for n in range(3):
        assert post(client, app, point, device=f"hp-{n}", age=str(20 + n)).status_code == 303
    assert post(client, app, point, device="hp-9", age="70").status_code == 429


def test_a_busy_database_answers_503_with_retry_after(client, app, session, point, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from survey.public import submissions

    def locked(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(submissions.abuse, "screen", locked)
    response = post(client, app, point)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "belum tersimpan" in response.text
