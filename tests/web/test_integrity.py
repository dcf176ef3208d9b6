"""The basis of a published figure (survey/integrity.py, DESIGN.md §7a): its counts equal direct
counts over the responses, a scope's equal the sum of its units', and every page shows them."""

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from survey import integrity, periods, rollups
from survey.models import (ExclusionProposal, KioskDevice, Response, ServicePoint, ServiceUnit,
                           utcnow)
from survey.queries import scope_filter
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from tests.web.conftest import sign_in
from tests.web.test_reports_downloads import pdf_text

PERIOD = periods.parse("2025-S2")
# The unit's answers of 2025-S2 by channel, as inserted below: 15 stored.
CHANNEL_ROWS = {"qr": 5, "link": 4, "kiosk": 3, "paper": 2, "interview": 1, "sms": 0}


@pytest.fixture
def basis_unit(session, dataset, users):
    """Add unit-bkt (Jawa Timur) with 15 answers in 2025-S2: one qr excluded by an approved
    'duplicate' proposal, one paper excluded before proposals existed, two link flagged (one
    kept, one with an open proposal), three kiosk answers from two enrolled tablets."""
    office = dataset["office"]
    unit = ServiceUnit(slug="unit-bkt", name="Unit unit-bkt", region_code="35.78", agency_id=office)
    session.add(unit)
    session.flush()
    point = ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-bkt-integritas")
    session.add(point)
    session.flush()
    tablets = [KioskDevice(point_id=point.id, name=f"Tablet {n}", enrolled_at=utcnow(),
                           key_hash=f"{n}" * 64) for n in (1, 2)]
    session.add_all(tablets)
    session.flush()
    questionnaire = default_questionnaire(session)
    rows, kiosk_of = [], [tablets[0].id, tablets[0].id, tablets[1].id]
    for channel, count in CHANNEL_ROWS.items():
        for i in range(count):
            at = datetime(2025, 8, 1 + i, 3, tzinfo=timezone.utc)
            rows.append(response_values(
                unit, questionnaire_id=questionnaire.id, submitted_at=at, channel=channel,
                answers={f"U{e}": 3 + (i + e) % 2 for e in range(1, 10)},
                client_uuid=uuid.uuid4(), point_id=point.id,
                kiosk_id=kiosk_of[i] if channel == "kiosk" else None))
    insert_rows(session, rows)
    answers = {channel: session.scalars(select(Response).where(
        Response.unit_id == unit.id, Response.channel == channel).order_by(Response.id)).all()
        for channel in CHANNEL_ROWS}
    duplicate, legacy = answers["qr"][0], answers["paper"][0]
    kept, waiting = answers["link"][:2]
    for response in (duplicate, legacy, kept, waiting):
        response.flagged, response.flag_reason = True, "uji"
    kept.reviewed_at = utcnow()
    proposer, decider = users["unit"].id, users["admin"].id
    session.add_all([
        ExclusionProposal(response_id=duplicate.id, action="exclude", reason="duplicate",
                          text="Terkirim dua kali.", proposed_by=proposer, decided_by=decider,
                          decided_at=utcnow(), decision="approved"),
        ExclusionProposal(response_id=waiting.id, action="exclude", reason="scripted",
                          text="Pola isian sama.", proposed_by=proposer)])
    for response in (duplicate, legacy):
        response.excluded, response.reviewed_at = True, utcnow()
        rollups.remove_rows(session, [rollups.as_row(response)])
    session.commit()
    return unit


def direct(session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Response).where(
        Response.submitted_on.between(PERIOD.starts_on, PERIOD.ends_on), *where))


def test_the_unit_panel_equals_direct_counts_over_its_responses(session, basis_unit):
    found = integrity.unit_integrity(session, basis_unit.id, PERIOD)
    mine = Response.unit_id == basis_unit.id
    counted = (mine, Response.excluded.is_(False))
    assert found.stored == direct(session, mine) == 15  # CHANNEL_ROWS
    assert found.counted == direct(session, *counted) == 13  # 15 less two excluded
    assert dict(found.channels) == {
        channel: direct(session, *counted, Response.channel == channel)
        for channel in CHANNEL_ROWS} == {"qr": 4, "link": 4, "kiosk": 3, "paper": 1,
                                         "interview": 1, "sms": 0}
    assert found.staff == 2 and found.staff_share == 2 / 13  # paper 1 + interview 1
    assert found.flagged == direct(session, *counted, Response.flagged.is_(True)) == 2
    assert found.flagged_waiting == 1  # the link answer with an open proposal
    assert found.excluded == 2
    assert found.excluded_by_reason == (("duplicate", 1), (None, 1))
    assert found.open_proposals == 1
    assert (found.kiosk_answers, found.kiosks) == (3, 2)  # tablets 1, 1, 2


@pytest.mark.parametrize("kind", ["region", "agency", "national"])
def test_a_scope_panel_is_the_sum_of_its_units(session, basis_unit, dataset, kind):
    scope = {"region": Scope("region", "35"), "agency": Scope("agency", str(dataset["office"])),
             "national": NATIONAL}[kind]
    found = integrity.scope_integrity(session, scope, PERIOD)
    ids = session.scalars(select(ServiceUnit.id).where(
        ServiceUnit.id.in_(select(Response.unit_id).distinct()))).all()
    inside = set(session.scalars(select(ServiceUnit.id).where(scope_filter(scope))))
    units = [integrity.unit_integrity(session, unit_id, PERIOD) for unit_id in ids
             if unit_id in inside]
    for name in ("counted", "staff", "excluded", "flagged", "flagged_waiting",
                 "open_proposals"):
        assert getattr(found, name) == sum(getattr(u, name) for u in units), name
    assert found.counted > 13 and found.excluded >= 2  # unit-bkt is in every one of them
    assert found.channels is None  # a scope's rollups keep only staff and citizen counts


def test_a_scope_lists_its_units_by_excluded_and_by_staff_share(session, basis_unit):
    by_excluded, by_staff = integrity.unit_shares(session, Scope("region", "35"), PERIOD)
    assert by_excluded[0].slug == "unit-bkt" and by_excluded[0].share == 2 / 15
    assert [u.slug for u in by_staff] == ["unit-bkt"]  # the only unit with staff entry
    assert (by_staff[0].part, by_staff[0].respondents) == (2, 13)


def test_the_unit_dashboard_and_the_public_page_show_the_counts(client, users, basis_unit):
    sign_in(client, users["admin"])
    page = client.get("/dasbor/unit/unit-bkt?period=2025-S2").text
    public = client.get("/hasil/unit-bkt?period=2025-S2").text
    for text in (page, public):
        assert "Dasar angka" in text
        assert "<td class=\"num\">15</td>" in text and "<td class=\"num\">13</td>" in text
        assert "alasan: duplikat" in text and "tanpa alasan tercatat" in text
        assert "2 (15,4 %)" in text or "2 (15,4%)" in text  # staff 2 of 13
        assert "3 (2 kios)" in text and "2 (1 menunggu keputusan)" in text
    english = client.get("/hasil/unit-bkt?period=2025-S2&lang=en").text
    assert "Basis of the figures" in english and "no reason recorded" in english


def test_the_api_publishes_the_basis(client, basis_unit):
    body = client.get("/api/v1/units/unit-bkt/ikm?period=2025-S2").get_json()
    assert body["integrity"] == {
        "stored": 15, "counted": 13,
        "channels": {"qr": 4, "link": 4, "kiosk": 3, "paper": 1, "interview": 1, "sms": 0},
        "staff": 2, "staff_share": round(2 / 13, 4), "kiosk_answers": 3, "kiosks": 2,
        "flagged": 2, "flagged_waiting": 1, "excluded": 2,
        "excluded_by_reason": {"duplicate": 1, "none": 1}, "open_proposals": 1}


def test_the_scope_page_ranks_units_and_keeps_its_queries_bounded(client, users, basis_unit,
                                                                   statements):
    sign_in(client, users["admin"])
    before = len(statements)
    page = client.get("/dasbor/?scope=region:35&period=2025-S2")
    assert page.status_code == 200
    assert "Bagian jawaban dikeluarkan" in page.text and "Bagian entri petugas" in page.text
    assert "/dasbor/unit/unit-bkt?period=2025-S2" in page.text
    # 20 before the panel (three statements), the unit shares (three) and the period
    # chooser's two (survey/reports/period_choice.py), the index of invited answers and the
    # invitations per group (survey/invitation_rates.py), the open integrity alerts of the
    # badge (survey/integrity_alerts/listing.py), measured: a constant number, whatever the
    # number of units.
    assert len(statements) - before <= 31, statements[before:]


@pytest.mark.parametrize("locale, words", [
    ("id", ("Dasar angka: 15 jawaban tersimpan", "13 dihitung", "2 dikeluarkan",
            "Entri petugas (kertas dan wawancara) 2", "Dari kios terdaftar (2 kios) 3",
            "alasan: duplikat 1", "alasan: tanpa alasan tercatat 1")),
    ("en", ("Basis of the figures: 15 answers stored", "13 counted", "2 left out",
            "Entered by staff (paper and interview) 2", "From enrolled kiosks (2 kiosks) 3",
            "reason: duplicate 1", "reason: no reason recorded 1")),
])
def test_the_unit_report_prints_the_basis(client, users, basis_unit, tmp_path, locale, words):
    sign_in(client, users["admin"])
    response = client.get(f"/dasbor/unit/unit-bkt/laporan.pdf?period=2025-S2&locale={locale}")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    for phrase in words:  # the counts of basis_unit, see test_the_unit_panel_equals_…
        assert phrase in text, phrase
