"""Exclusion of answers (DESIGN.md §7a): only a flagged answer can be proposed, and only an
account above the unit, not the proposer, moves it out of (or back into) the index."""

import re
from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from analysis.ikm import round_half_up
from survey import rollups
from survey.auth.accounts import hash_password
from survey.demo import load_demo
from survey.models import (ANSWER_COLUMNS, Agency, AuditEvent, ExclusionProposal, Response,
                           Rollup, ServiceUnit, User)
from survey.rollups import span_start
from survey.scopes import Scope
from tests.web.conftest import sign_in

REVIEW = "/dasbor/unit/unit-sby/tinjauan"
IKM = "/api/v1/units/unit-sby/ikm?period=2025"


def csrf(client, address=REVIEW):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(address).text).group(1)


def as_user(client, user, address=REVIEW) -> str:
    sign_in(client, user)
    return csrf(client, address)


def answer(session, flagged: bool, slug="unit-sby") -> Response:
    """Return a counted answer of a unit, flagged by the system or not."""
    response = session.scalars(select(Response).join(ServiceUnit).where(
        ServiceUnit.slug == slug, Response.excluded.is_(False), Response.flagged.is_(False))
        .order_by(Response.id.desc()).limit(1)).one()
    if flagged:
        response.flagged, response.flag_reason = True, "identical: 3 identical answers in 30 min"
        session.commit()
    return response


def propose(client, token, response_id, reason="duplicate", text="Terkirim dua kali."):
    return client.post(f"{REVIEW}/{response_id}/usulan",
                       data={"csrf_token": token, "reason": reason, "text": text})


def decide(client, token, proposal_id, decision, note=""):
    return client.post(f"/dasbor/persetujuan/{proposal_id}",
                       data={"csrf_token": token, "decision": decision, "note": note})


def proposals(session, response_id) -> list[ExclusionProposal]:
    session.expire_all()
    return list(session.scalars(select(ExclusionProposal).where(
        ExclusionProposal.response_id == response_id).order_by(ExclusionProposal.id)))


def audit_trail(session, response_id) -> list[tuple[str, int]]:
    return [(event.action, event.user_id) for event in session.scalars(
        select(AuditEvent).where(AuditEvent.target == f"response:{response_id}")
        .order_by(AuditEvent.id))]


def rollup_row(session, response: Response) -> tuple[int, int, int]:
    """Return the stored semester rollup (n, t, t2) holding an answer."""
    session.expire_all()
    return tuple(session.execute(select(Rollup.n, Rollup.t, Rollup.t2).where(
        Rollup.unit_id == response.unit_id, Rollup.months == 6,
        Rollup.starts_on == span_start(response.submitted_on, 6))).one())


def counted_totals(session, slug="unit-sby") -> tuple[int, int]:
    """Return n and the sum of all nine answers of a unit's counted 2025 answers, from the rows."""
    total = sum(getattr(Response, column) for column in ANSWER_COLUMNS)
    return tuple(session.execute(
        select(func.count(), func.sum(total)).select_from(Response).join(ServiceUnit).where(
            ServiceUnit.slug == slug, Response.excluded.is_(False),
            Response.submitted_on.between(date(2025, 1, 1), date(2025, 12, 31)))).one())


def konversi(n: int, t: int) -> float:
    # Weight 1/9, every element answered by all n: IKM x 25 = 25 x T / (9 n) (PermenPANRB 14/2017).
    return float(round_half_up(Fraction(25 * t, 9 * n), 2))


@pytest.fixture
def outsiders(session, dataset):
    """Accounts above units that do not contain unit-sby: a sibling agency, a Makassar region."""
    sibling = Agency(name="Dinas Lain", parent_id=dataset["ministry"])
    session.add(sibling)
    session.flush()
    sibling.path = f"/{dataset['ministry']}/{sibling.id}/"
    password = hash_password("kata-sandi-uji-123")
    made = {"agency": User(email="lain@uji.go.id", name="Dinas Lain", role="agency",
                           agency_id=sibling.id, password_hash=password),
            "region": User(email="sulsel@uji.go.id", name="Sulsel", role="region",
                           region_code="73", password_hash=password)}
    session.add_all(made.values())
    session.commit()
    return made


def test_an_unflagged_answer_cannot_be_proposed(client, users, session):
    plain = answer(session, flagged=False)
    before = rollup_row(session, plain)
    token = as_user(client, users["unit"])
    reply = propose(client, token, plain.id)
    assert reply.status_code == 409
    assert "hanya jawaban bertanda" in reply.text
    assert proposals(session, plain.id) == []
    assert audit_trail(session, plain.id) == []
    assert (session.get(Response, plain.id).excluded, rollup_row(session, plain)) == (False, before)


def test_a_proposal_without_approval_changes_nothing(client, users, session):
    flagged = answer(session, flagged=True)
    before_rollup, before_ikm = rollup_row(session, flagged), client.get(IKM).get_json()
    token = as_user(client, users["unit"])
    assert propose(client, token, flagged.id, "test_entry", "Diisi petugas saat uji coba.") \
        .status_code == 303
    [proposal] = proposals(session, flagged.id)
    assert (proposal.action, proposal.reason, proposal.text, proposal.decision) == (
        "exclude", "test_entry", "Diisi petugas saat uji coba.", None)
    assert session.get(Response, flagged.id).excluded is False
    assert rollup_row(session, flagged) == before_rollup
    after_ikm = client.get(IKM).get_json()
    # The figures stay; only their basis records the proposal now waiting.
    assert after_ikm["integrity"].pop("open_proposals") == \
        before_ikm["integrity"].pop("open_proposals") + 1
    assert after_ikm == before_ikm
    page = client.get(REVIEW).text
    assert "usulan dikeluarkan menunggu persetujuan" in page and "Entri uji coba" in page
    # A second proposal on the same answer waits for the first one's decision.
    assert propose(client, token, flagged.id).status_code == 409
    assert len(proposals(session, flagged.id)) == 1


@pytest.mark.parametrize("reason, text", [("deleted", "Duplikat."), ("duplicate", ""),
                                          ("duplicate", "x" * 501)])
def test_a_proposal_names_a_listed_reason_and_a_bounded_text(client, users, session, reason,
                                                             text):
    flagged = answer(session, flagged=True)
    reply = propose(client, as_user(client, users["unit"]), flagged.id, reason, text)
    assert reply.status_code == 400
    assert proposals(session, flagged.id) == []


def test_neither_the_unit_nor_the_proposer_can_approve(client, users, session):
    flagged = answer(session, flagged=True)
    before = rollup_row(session, flagged)
    propose(client, as_user(client, users["unit"]), flagged.id)
    [by_unit] = proposals(session, flagged.id)
    assert decide(client, csrf(client), by_unit.id, "approve").status_code == 403
    # An account above the unit may propose too, but then someone else decides.
    decide(client, as_user(client, users["region"]), by_unit.id, "refuse", "Bukan duplikat.")
    propose(client, as_user(client, users["agency"]), flagged.id)
    by_agency = proposals(session, flagged.id)[-1]
    reply = decide(client, csrf(client), by_agency.id, "approve")
    assert reply.status_code == 403 and "bukan oleh pengusulnya" in reply.text
    # An administrator may approve anything but their own proposal.
    decide(client, as_user(client, users["region"]), by_agency.id, "refuse", "Tidak jelas.")
    propose(client, as_user(client, users["admin"]), flagged.id)
    by_admin = proposals(session, flagged.id)[-1]
    assert decide(client, csrf(client), by_admin.id, "approve").status_code == 403
    assert proposals(session, flagged.id)[-1].decision is None
    assert session.get(Response, flagged.id).excluded is False
    assert rollup_row(session, flagged) == before


def test_an_agency_above_approves_and_the_index_moves_exactly(client, users, session):
    plain = answer(session, flagged=False)
    n, t = counted_totals(session)
    assert client.get(IKM).get_json()["ikm_konversi"] == konversi(n, t)
    stored_n, stored_t, stored_t2 = rollup_row(session, plain)
    values = [getattr(plain, column) for column in ANSWER_COLUMNS]
    # The unit flags it by hand, proposes, and its agency (Dinas Uji, unit-sby's) approves.
    token = as_user(client, users["unit"])
    assert client.post(f"{REVIEW}/{plain.id}/tandai", data={
        "csrf_token": token, "reason": "Petugas mengisi saat pelatihan."}).status_code == 303
    propose(client, token, plain.id, "test_entry", "Diisi saat pelatihan petugas.")
    [proposal] = proposals(session, plain.id)
    token = as_user(client, users["agency"], "/dasbor/persetujuan")
    queue = client.get("/dasbor/persetujuan").text
    assert "Petugas mengisi saat pelatihan." in queue and "Diisi saat pelatihan petugas." in queue
    assert " ".join(map(str, values)) in queue
    assert "1 usulan menunggu" in client.get(f"/dasbor/?scope=agency:{users['agency'].agency_id}"
                                             "&period=2025").text
    assert decide(client, token, proposal.id, "approve").status_code == 303
    session.expire_all()
    excluded = session.get(Response, plain.id)
    assert (excluded.flagged, excluded.flagged_by, excluded.excluded) == (
        True, users["unit"].id, True)
    total = sum(values)
    assert rollup_row(session, plain) == (stored_n - 1, stored_t - total, stored_t2 - total ** 2)
    assert client.get(IKM).get_json()["ikm_konversi"] == konversi(n - 1, t - total)
    assert counted_totals(session) == (n - 1, t - total)
    assert rollups.differences(session, Scope("unit", "unit-sby")) == []
    assert audit_trail(session, plain.id) == [
        ("response_flag", users["unit"].id), ("exclusion_propose", users["unit"].id),
        ("exclusion_approve", users["agency"].id)]
    assert "0 usulan menunggu" in client.get(
        f"/dasbor/?scope=agency:{users['agency'].agency_id}&period=2025").text


def test_accounts_outside_the_units_scope_get_404(client, users, outsiders, session):
    flagged = answer(session, flagged=True)
    propose(client, as_user(client, users["unit"]), flagged.id)
    [proposal] = proposals(session, flagged.id)
    for user in outsiders.values():
        token = as_user(client, user, "/dasbor/persetujuan")
        assert "Tidak ada usulan yang menunggu." in client.get("/dasbor/persetujuan").text
        assert decide(client, token, proposal.id, "approve").status_code == 404
    assert proposals(session, flagged.id)[0].decision is None
    assert session.get(Response, flagged.id).excluded is False


def test_a_refusal_is_recorded_and_changes_nothing(client, users, session):
    flagged = answer(session, flagged=True)
    before = rollup_row(session, flagged)
    propose(client, as_user(client, users["unit"]), flagged.id)
    [proposal] = proposals(session, flagged.id)
    token = as_user(client, users["region"], "/dasbor/persetujuan")
    # A refusal says why.
    assert decide(client, token, proposal.id, "refuse").status_code == 400
    assert proposals(session, flagged.id)[0].decision is None
    assert decide(client, token, proposal.id, "refuse", "Pola wajar.").status_code == 303
    [refused] = proposals(session, flagged.id)
    assert (refused.decision, refused.decided_by, refused.decision_note) == (
        "refused", users["region"].id, "Pola wajar.")
    assert session.get(Response, flagged.id).excluded is False
    assert rollup_row(session, flagged) == before
    # Decided once: a second decision is refused.
    assert decide(client, token, proposal.id, "approve").status_code == 409
    assert audit_trail(session, flagged.id) == [
        ("exclusion_propose", users["unit"].id), ("exclusion_refuse", users["region"].id)]
    page = client.get(REVIEW).text
    assert "Ditolak oleh Pengguna region: Pola wajar." in page


def test_a_restore_goes_through_the_same_proposal_and_approval(client, users, session):
    flagged = answer(session, flagged=True)
    respondents = client.get(IKM).get_json()["respondents"]
    propose(client, as_user(client, users["unit"]), flagged.id, "scripted", "Pola otomatis.")
    decide(client, as_user(client, users["ministry"], "/dasbor/persetujuan"),
           proposals(session, flagged.id)[0].id, "approve")
    assert client.get(IKM).get_json()["respondents"] == respondents - 1
    propose(client, as_user(client, users["unit"]), flagged.id, "out_of_service",
            "Ternyata warga asli.")
    restore = proposals(session, flagged.id)[-1]
    assert restore.action == "restore"
    assert session.get(Response, flagged.id).excluded is True
    assert client.get(IKM).get_json()["respondents"] == respondents - 1
    decide(client, as_user(client, users["admin"], "/dasbor/persetujuan"), restore.id, "approve")
    session.expire_all()
    assert session.get(Response, flagged.id).excluded is False
    assert client.get(IKM).get_json()["respondents"] == respondents
    assert [action for action, _ in audit_trail(session, flagged.id)] == [
        "exclusion_propose", "exclusion_approve", "exclusion_propose", "exclusion_approve"]


def test_keeping_a_flag_is_the_units_decision_but_not_while_a_proposal_waits(client, users,
                                                                            session):
    kept, proposed = answer(session, flagged=True), None
    token = as_user(client, users["unit"])
    assert client.post(f"{REVIEW}/{kept.id}/pertahankan",
                       data={"csrf_token": token}).status_code == 303
    session.expire_all()
    assert session.get(Response, kept.id).reviewed_by == users["unit"].id
    assert audit_trail(session, kept.id) == [("response_keep", users["unit"].id)]
    proposed = answer(session, flagged=True)
    propose(client, token, proposed.id)
    assert client.post(f"{REVIEW}/{proposed.id}/pertahankan",
                       data={"csrf_token": token}).status_code == 409


def test_a_hand_flag_needs_a_reason_and_an_unflagged_answer_of_the_unit(client, users, session):
    plain, other = answer(session, flagged=False), answer(session, flagged=False, slug="unit-mks")
    token = as_user(client, users["unit"])
    assert client.post(f"{REVIEW}/{plain.id}/tandai",
                       data={"csrf_token": token, "reason": " "}).status_code == 400
    assert client.post(f"{REVIEW}/{plain.id}/tandai",
                       data={"csrf_token": token, "reason": "x" * 201}).status_code == 400
    # Another unit's answer through the unit head's own address, and through the other's.
    assert client.post(f"{REVIEW}/{other.id}/tandai",
                       data={"csrf_token": token, "reason": "Uji"}).status_code == 404
    assert client.post(f"/dasbor/unit/unit-mks/tinjauan/{other.id}/tandai",
                       data={"csrf_token": token, "reason": "Uji"}).status_code == 403
    assert client.post(f"{REVIEW}/{plain.id}/tandai",
                       data={"csrf_token": token, "reason": "Uji"}).status_code == 303
    assert client.post(f"{REVIEW}/{plain.id}/tandai",
                       data={"csrf_token": token, "reason": "Lagi"}).status_code == 409
    session.expire_all()
    assert session.get(Response, plain.id).flag_reason == "Uji"
    assert session.get(Response, other.id).flagged is False
    assert audit_trail(session, other.id) == []


def test_the_public_page_counts_the_periods_excluded_answers(client, users, session):
    flagged = answer(session, flagged=True)
    propose(client, as_user(client, users["unit"]), flagged.id)
    decide(client, as_user(client, users["agency"], "/dasbor/persetujuan"),
           proposals(session, flagged.id)[0].id, "approve")
    label = f"{flagged.submitted_on.year}-S{1 if flagged.submitted_on.month < 7 else 2}"
    page = client.get(f"/hasil/unit-sby?period={label}").text
    assert "1 jawaban dikeluarkan dari perhitungan periode ini setelah disetujui Dinas Uji." \
        in page


def test_the_demo_has_an_approved_exclusion_a_waiting_proposal_and_a_bare_flag(session):
    load_demo(session)
    load_demo(session)  # a second run adds nothing
    rows = session.execute(
        select(Response.excluded, ExclusionProposal.id.is_not(None), ExclusionProposal.decision)
        .join(ServiceUnit).outerjoin(ExclusionProposal,
                                     ExclusionProposal.response_id == Response.id)
        .where(ServiceUnit.slug == "puskesmas-ketabang", Response.flagged.is_(True))
        .order_by(Response.id)).all()
    # (excluded, proposed, decision): a bare flag, a waiting proposal, an approved exclusion.
    assert sorted((excluded, proposed, decision or "") for excluded, proposed, decision in rows) \
        == [(False, False, ""), (False, True, ""), (True, True, "approved")]
    assert rollups.differences(session, Scope("unit", "puskesmas-ketabang")) == []
