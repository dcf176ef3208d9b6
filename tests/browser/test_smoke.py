"""The served app answers a real browser."""


def test_home_page_lists_the_demo_units(live, phone):
    phone.goto(live.url + "/")
    assert phone.title().startswith("Beranda")
    assert phone.locator("table tbody tr").count() >= 20
