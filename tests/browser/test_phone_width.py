"""Pages with tables on a 360-px phone: the page never scrolls sideways, a wide table scrolls
inside its own box, which the keyboard can reach."""

import pytest

from tests.browser.test_staff_browser import sign_in

PHONE_WIDTH = 360
PAGES = {
    None: ["/", "/hasil/puskesmas-ketabang"],
    "ketabang@demo.suara.id": ["/dasbor/", "/dasbor/unit/puskesmas-ketabang",
                               "/dasbor/tindak-lanjut", "/admin/", "/admin/audit"],
    "admin@demo.suara.id": ["/dasbor/", "/admin/users", "/dasbor/aturan-tag"],
}


def page_width(page) -> int:
    return page.evaluate("Math.max(document.documentElement.scrollWidth,"
                         " document.body.scrollWidth)")


def tables_outside_a_scroll_box(page) -> int:
    return page.evaluate("[...document.querySelectorAll('table')]"
                         ".filter(t => !t.closest('.scroll[tabindex=\"0\"]')).length")


@pytest.mark.parametrize("email", list(PAGES), ids=lambda email: email or "visitor")
def test_no_page_scrolls_sideways_at_360_px(live, browser, email):
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740},
                                  locale="id-ID")
    page = context.new_page()
    if email:
        sign_in(page, live, email)
    widths, wide_boxes = {}, 0
    for path in PAGES[email]:
        assert page.goto(live.url + path).status == 200, path
        assert page.locator("table").count() > 0, path
        assert tables_outside_a_scroll_box(page) == 0, path
        widths[path] = page_width(page)
        wide_boxes += page.evaluate("[...document.querySelectorAll('.scroll')]"
                                    ".filter(box => box.scrollWidth > box.clientWidth).length")
    context.close()
    assert widths == dict.fromkeys(PAGES[email], PHONE_WIDTH)
    # The tables did not shrink to fit by losing columns: some are wider than the phone.
    assert wide_boxes > 0
