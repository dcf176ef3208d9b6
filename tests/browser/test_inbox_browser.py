"""Closing the loop in a real browser: a unit head tags and answers a complaint, records a
follow-up action, and the unit's public results page shows both."""

from sqlalchemy import select
from playwright.sync_api import expect

from survey.models import CaseReply, CaseTag, FollowUp, Response, ResponseContact, ServiceUnit
from tests.browser.test_staff_browser import sign_in

SLUG = "puskesmas-ketabang"
CONTACT = "warga.ketabang@contoh.id"
ANSWER = "Mulai Agustus loket pendaftaran dibuka pukul 07.00 dan antrean daring diaktifkan."
ACTION = "Buka loket pendaftaran pukul 07.00 dan aktifkan antrean daring"


def newest_complaint(live) -> tuple[int, str]:
    """Give the unit's newest complaint about queues a contact, as a citizen who wants an
    answer leaves one."""
    with live.session() as session:
        response = session.scalars(
            select(Response).join(ServiceUnit, ServiceUnit.id == Response.unit_id)
            .where(ServiceUnit.slug == SLUG, Response.suggestion.icontains("antrean"),
                   Response.excluded.is_(False))
            .order_by(Response.submitted_at.desc(), Response.id.desc()).limit(1)).one()
        session.add(ResponseContact(response_id=response.id, contact=CONTACT))
        session.commit()
        return response.id, response.suggestion


def test_a_unit_head_answers_a_complaint_records_an_action_and_the_public_page_shows_it(
        live, browser):
    response_id, suggestion = newest_complaint(live)
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "ketabang@demo.suara.id")
    page.get_by_role("link", name="Kotak saran dan pengaduan").click()
    expect(page.get_by_role("heading", name="Kotak saran dan pengaduan")).to_be_visible()
    page.get_by_role("link", name=f"Saran #{response_id}", exact=True).click()
    expect(page.locator("blockquote.suggestion")).to_have_text(suggestion)
    expect(page.locator("strong.contact")).to_have_text(CONTACT)

    # The keyword rules suggest U3 (antre*); the unit head confirms it and adds U7.
    expect(page.get_by_label("U3 Waktu Penyelesaian")).to_be_checked()
    page.get_by_label("U7 Perilaku Pelaksana").check()
    page.get_by_role("button", name="Simpan tag").click()
    expect(page.get_by_role("status")).to_contain_text("Tag disimpan.")
    expect(page.get_by_label("U7 Perilaku Pelaksana")).to_be_checked()

    page.get_by_role("textbox", name="Balasan", exact=True).fill("Terima kasih, masukan Anda kami tindak lanjuti.")
    page.get_by_role("button", name="Kirim balasan").click()
    expect(page.get_by_role("status")).to_contain_text("perlu dikirim manual")
    page.get_by_role("textbox", name="Jawaban publik").fill(ANSWER)
    page.get_by_role("button", name="Simpan jawaban publik").click()
    expect(page.get_by_role("status")).to_contain_text("Jawaban publik disimpan.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dijawab")

    page.get_by_role("link", name="Rencana tindak lanjut").first.click()
    page.select_option("#period", "2026-S1")  # the demo's latest semester, whatever other tests add
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_text("Tiga unsur dengan nilai terendah:")).to_be_visible()
    page.select_option("#element_code", "U3")
    page.fill("#action", ACTION)
    page.fill("#owner", "Kepala Tata Usaha")
    page.fill("#due", "2026-09-30")
    page.select_option("#status", "in_progress")
    page.check("#published")
    page.get_by_role("button", name="Tambah tindakan").click()
    expect(page.get_by_role("status")).to_contain_text("Tindakan ditambahkan")
    # The first table is the period's plan; the demo's previous plan (2025-S2) follows it.
    expect(page.locator("table.plan").first).to_contain_text(ACTION)
    context.close()

    visitor = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    public = visitor.new_page()
    public.goto(f"{live.url}/hasil/{SLUG}?period=2026-S1")
    plan = public.locator(".public-followup")
    expect(plan).to_contain_text("Rencana tindak lanjut hasil Semester I 2026")
    expect(plan.locator("table.plan").first).to_contain_text(ACTION)
    expect(plan).to_contain_text(ANSWER)
    expect(plan).not_to_contain_text(CONTACT)
    visitor.close()

    with live.session() as session:
        assert session.scalars(select(CaseTag.element_code).where(
            CaseTag.response_id == response_id).order_by(CaseTag.element_code)).all() == [
            "U3", "U7"]
        assert session.scalars(select(CaseReply.delivery).where(
            CaseReply.response_id == response_id)).one() == "manual"
        assert session.scalars(select(FollowUp.published).where(FollowUp.action == ACTION)).one()
