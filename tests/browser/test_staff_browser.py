"""Staff in a real browser: a unit head and a ministry analyst sign in and see their part."""

import subprocess

from survey.demo_accounts import DEMO_PASSWORD


def sign_in(page, live, email):
    page.goto(live.url + "/masuk")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()


def test_a_unit_head_signs_in_sees_the_dashboard_and_downloads_the_report(live, browser,
                                                                             tmp_path):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "ketabang@demo.suara.id")
    assert page.url.endswith("/dasbor/unit/puskesmas-ketabang")
    assert page.get_by_role("heading", name="Puskesmas Ketabang").is_visible()
    assert page.get_by_role("heading", name="Indeks Kepuasan Masyarakat").is_visible()
    # Every chart on the page loaded (the CSP allows them, the server drew them).
    widths = page.eval_on_selector_all("img.chart", "imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(width > 0 for width in widths)
    # The report of the period shown downloads as a PDF that names the unit.
    page.select_option("#period", "2026-S1")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    with page.expect_download() as waiting:
        page.get_by_role("link", name="pengolahan data (XLSX)").click()
    assert waiting.value.suggested_filename == "skm-figures-unit-puskesmas-ketabang-2026-S1.xlsx"
    # The browser's own request, with its session cookie.
    report = page.request.get(live.url + page.get_by_role("link", name="Laporan SKM (PDF)")
                              .get_attribute("href"))
    assert report.ok and report.headers["content-type"] == "application/pdf"
    path = tmp_path / "laporan.pdf"
    path.write_bytes(report.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Puskesmas Ketabang" in text and "Semester I 2026" in text
    # Another unit's dashboard is refused, even by typing its address.
    response = page.goto(live.url + "/dasbor/unit/disdukcapil-kota-surabaya")
    assert response.status == 403
    context.close()


def test_a_ministry_analyst_sees_the_ranking_of_its_provinces(live, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "kemenkes@demo.suara.id")
    assert "/dasbor/?scope=agency:" in page.url
    assert page.get_by_role("heading", name="IKM Kementerian Kesehatan").is_visible()
    # An explicit period: other browser tests add answers to the current semester.
    page.select_option("#period", "2026-S1")
    page.select_option("#group_by", "province")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 5  # Kemenkes offices in five provinces
    values = [float(v.replace(",", ".")) for v in rows.locator("td:nth-child(3)").all_inner_texts()]
    assert values == sorted(values, reverse=True)
    context.close()
