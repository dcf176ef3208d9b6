"""axe-core on the citizen pages (DESIGN.md §10): no serious or critical violation.

axe-core comes bundled with `axe-playwright-python`; it runs on a 360-px phone page in
Chromium. Violations of lower impact are printed (see them with `pytest -rP` or `-s`).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from survey.models import ServicePoint, ServiceUnit

BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.fixture(scope="module")
def token(live) -> str:
    """Return the token of an open demo service point."""
    with live.session() as session:
        return session.scalars(
            select(ServicePoint.token).join(ServiceUnit, ServiceUnit.id == ServicePoint.unit_id)
            .where(ServicePoint.active.is_(True), ServiceUnit.status == "active")
            .order_by(ServicePoint.id.desc())).first()


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"


def assert_accessible(axe: Axe, page, what: str) -> None:
    """Run axe on the page; fail on serious or critical violations, print the others."""
    violations = axe.run(page).response["violations"]
    for violation in violations:
        if violation["impact"] not in BLOCKING:
            print(f"{what}: {describe(violation)}")
    blocking = [describe(v) for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{what}:\n" + "\n".join(blocking)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_fresh_form(live, phone, axe, token, lang):
    phone.goto(f"{live.url}/s/{token}?lang={lang}")
    assert phone.locator("html").get_attribute("lang") == lang
    assert_accessible(axe, phone, f"form ({lang})")


def test_the_form_with_validation_errors(live, phone, axe, token):
    phone.goto(f"{live.url}/s/{token}")
    # One question answered and an impossible age: messages on questions and on a text field.
    phone.locator("fieldset#U1 label.opt").first.click()
    phone.get_by_label("Umur (tahun)").fill("7")
    with phone.expect_navigation() as shown:
        phone.get_by_role("button", name="Kirim").click()
    assert shown.value.status == 422
    assert phone.get_by_role("alert").get_by_role("link").count() == 9  # U2..U9 and the age
    assert_accessible(axe, phone, "form with errors")


def test_the_thank_you_page(live, phone, axe, token):
    phone.goto(f"{live.url}/s/{token}")
    for code in [f"U{n}" for n in range(1, 10)]:
        phone.locator(f"fieldset#{code} label.opt").nth(2).click()
    phone.get_by_role("button", name="Kirim").click()
    phone.wait_for_url(re.compile(r"/terima-kasih$"))
    assert_accessible(axe, phone, "thank-you page")


def test_the_unknown_token_page(live, phone, axe):
    response = phone.goto(f"{live.url}/s/tidak-ada-1234")
    assert response.status == 404
    assert phone.get_by_role("heading", level=1).inner_text() == "Survei tidak ditemukan"
    assert_accessible(axe, phone, "unknown token")


def test_the_home_page_directory_searched_without_javascript(live, phone, axe):
    phone.goto(live.url)
    phone.get_by_label("Nama unit").fill("Dinas")
    phone.get_by_label("Provinsi").select_option(index=1)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Cari").click()
    assert "q=Dinas" in phone.url and "provinsi=" in phone.url
    assert phone.get_by_role("status").is_visible()
    assert_accessible(axe, phone, "home page directory")
