"""Single-use codes in a real browser: the unit head issues and prints them, a citizen scans one
from the printed sheet on a phone without JavaScript and answers once, and the dashboard counts
the invitation and its answer.

The sheet is downloaded by the browser, rasterised by poppler and its QR codes read by a real
decoder (zxing-cpp), so the address answered is the one printed, not one taken from the
database.
"""

import re

import zxingcpp
from playwright.sync_api import expect
from sqlalchemy import select

from survey.models import Invitation, ServicePoint, ServiceUnit
from survey.periods import current_semester
from tests.browser.test_form_browser import ANSWERS, THANKS, answer_all, items  # noqa: F401
from tests.browser.test_staff_browser import sign_in
from tests.web.test_posters import render

UNIT = "puskesmas-ketabang"  # the demo unit head's unit (survey/demo_accounts.py)
HEAD = "ketabang@demo.suara.id"
ISSUED = 3


def first_point(live) -> tuple[int, str]:
    """Return the id and token of the unit's first active service point."""
    with live.session() as session:
        return session.execute(
            select(ServicePoint.id, ServicePoint.token).join(ServiceUnit)
            .where(ServiceUnit.slug == UNIT, ServicePoint.active.is_(True))
            .order_by(ServicePoint.id)).first()


def issued_on(live, code: str):
    """Return the local issue date of a code (the day that places it in a period)."""
    with live.session() as session:
        return session.scalar(select(Invitation.issued_on).where(Invitation.code == code))


def issue_and_download(page, token: str, tmp_path) -> bytes:
    """From the dashboard, open the point's codes, issue three for a day and download the sheet."""
    page.get_by_role("link", name="Kelola unit, titik layanan dan poster QR").click()
    row = page.locator("table.points tbody tr").filter(has_text=f"/s/{token}")
    row.get_by_role("link", name="Kode survei sekali pakai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode survei sekali pakai")
    page.get_by_label("Jumlah kode").fill(str(ISSUED))
    page.get_by_label("Berlaku selama").fill("1")
    page.get_by_label("Satuan").select_option("hari")
    page.get_by_role("button", name="Buat kode").click()
    expect(page.get_by_text(f"{ISSUED} kode survei dibuat.")).to_be_visible()
    newest = page.locator("table tbody tr").first  # batches are listed newest first
    expect(newest.locator("td.num")).to_have_text([str(ISSUED), "0", "0"])
    with page.expect_download() as waiting:
        newest.get_by_role("link", name="Lembar A4 (PDF)").click()
    assert waiting.value.suggested_filename.endswith("-lembar.pdf")
    path = tmp_path / "lembar.pdf"
    waiting.value.save_as(path)
    return path.read_bytes()


def printed_addresses(pdf: bytes, tmp_path) -> set[str]:
    """Return the addresses of the QR codes on page 1, rendered at 150 dpi (a draft print)."""
    image = render(pdf, tmp_path, 150)
    return {barcode.text for barcode in
            zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}


def test_a_printed_code_is_scanned_answered_once_and_counted_on_the_dashboard(
        live, browser, items, tmp_path):  # noqa: F811  (items: a fixture)
    point_id, token = first_point(live)
    staff = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = staff.new_page()
    sign_in(page, live, HEAD)
    sheet = issue_and_download(page, token, tmp_path)
    assert page.url.endswith(f"/admin/units/{UNIT}/points/{point_id}/invitations")

    addresses = printed_addresses(sheet, tmp_path)
    pattern = re.compile(rf"^{re.escape(live.url)}/u/([A-Z2-9]{{8}})$")
    assert len(addresses) == ISSUED and all(pattern.match(a) for a in addresses), addresses
    address = sorted(addresses)[0]
    code = pattern.match(address).group(1)

    # A citizen's phone, 360 px wide, without JavaScript, scans the code.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                java_script_enabled=False)
    citizen = phone.new_page()
    assert citizen.goto(address).status == 200
    answer_all(citizen, items)
    citizen.get_by_role("button", name="Kirim").click()
    citizen.wait_for_url(THANKS)
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    # Scanned again: refused politely, nothing more is stored.
    again = citizen.goto(address)
    assert again.status == 410
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Kode survei sudah dipakai")
    phone.close()

    # The dashboard of the period the codes were issued in (the current semester).
    period = current_semester(issued_on(live, code))
    page.goto(f"{live.url}/dasbor/unit/{UNIT}")
    page.select_option("#period", period.label)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    section = page.locator("section[aria-labelledby=inv-h]")
    # 3 issued; 1 opened and 1 answered, each 1/3 = 33,3 % (formatting.percent, one place).
    expect(section.locator("p").first).to_contain_text(
        f"Undangan yang diterbitkan pada {period.name}: 3; dibuka 1 (33,3 %); "
        "dijawab 1 (33,3 %)")
    invited = page.get_by_role("row", name=re.compile(r"^IKM jawaban undangan"))
    # One respondent answering ANSWERS: mean 24/9, × 25 = 66,67 (weights 1/9), provisional.
    expect(invited.locator("td")).to_have_text(["66,67 sementara", "1"])
    staff.close()
