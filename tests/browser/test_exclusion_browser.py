"""Two people move a published number, in a real browser: a unit head proposes to exclude a
flagged answer, the city health office approves, and the public page counts the exclusion."""

from playwright.sync_api import expect
from sqlalchemy import select

from survey.models import ExclusionProposal, Response, ServiceUnit
from tests.browser.test_staff_browser import sign_in

SLUG = "puskesmas-ketabang"


def bare_flag(live) -> int:
    """Return the demo's flagged answer of Ketabang that has no proposal yet."""
    with live.session() as session:
        return session.scalars(
            select(Response.id).join(ServiceUnit, ServiceUnit.id == Response.unit_id)
            .outerjoin(ExclusionProposal, ExclusionProposal.response_id == Response.id)
            .where(ServiceUnit.slug == SLUG, Response.flagged.is_(True),
                   Response.excluded.is_(False), ExclusionProposal.id.is_(None))
            .order_by(Response.id).limit(1)).one()


def test_a_unit_head_proposes_the_office_approves_and_the_public_page_counts_it(live, browser):
    response_id = bare_flag(live)
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "ketabang@demo.suara.id")
    page.get_by_role("link", name="Tinjau jawaban bertanda").click()
    expect(page.get_by_role("heading", name="Jawaban bertanda")).to_be_visible()
    row = page.locator("tbody tr").filter(
        has=page.get_by_role("cell", name=str(response_id), exact=True)).first
    row.get_by_text("Usulkan dikeluarkan").click()
    row.locator(f"#reason-{response_id}").select_option("scripted")
    row.locator(f"#text-{response_id}").fill("Enam jawaban dari satu perangkat dalam 10 menit.")
    row.get_by_role("button", name="Kirim usulan").click()
    expect(page.get_by_role("status")).to_contain_text("menunggu persetujuan")
    expect(row).to_contain_text("usulan dikeluarkan menunggu persetujuan")
    # The unit head cannot decide it: the queue is for the levels above.
    assert page.goto(live.url + "/dasbor/persetujuan").status == 403
    context.close()

    with live.session() as session:
        proposal_id = session.scalar(select(ExclusionProposal.id).where(
            ExclusionProposal.response_id == response_id))
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "dinkes-surabaya@demo.suara.id")
    page.get_by_role("link", name="Persetujuan pengeluaran jawaban").click()
    expect(page.get_by_role("heading", name="Persetujuan pengeluaran jawaban")).to_be_visible()
    expect(page.get_by_text("Enam jawaban dari satu perangkat dalam 10 menit.")).to_be_visible()
    page.get_by_role("button", name=f"Setujui usulan #{proposal_id}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Usulan #{proposal_id} disetujui")
    context.close()

    with live.session() as session:
        assert session.get(Response, response_id).excluded is True
    context = browser.new_context(locale="id-ID")  # a citizen, not signed in
    page = context.new_page()
    page.goto(f"{live.url}/hasil/{SLUG}?period=2026-S1")
    # The demo's approved exclusion and this one, both in the demo's latest semester.
    expect(page.locator("p.excluded")).to_have_text(
        "2 jawaban dikeluarkan dari perhitungan periode ini setelah disetujui "
        "Dinas Kesehatan Kota Surabaya.")
    context.close()
