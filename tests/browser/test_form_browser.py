"""The citizen form in headless Chromium on a 360-px phone, filled in as a person would.

Answers are given by clicking the labels a person reads (taken from the stored questionnaire),
never by setting values; each submission is then read back from the served app's database by
its client_uuid. Every test uses its own demo service point, so counts per point are its own.
"""

import re
import uuid

import pytest
from playwright.sync_api import Error as PlaywrightError, expect
from sqlalchemy import func, select

from survey.models import Response, ServicePoint, ServiceUnit
from survey.responses import default_questionnaire
from survey.vocab import EDUCATIONS, GENDERS

# The answers given in these tests, by element code: every value 1..4 occurs.
ANSWERS = {"U1": 4, "U2": 3, "U3": 2, "U4": 1, "U5": 4, "U6": 2, "U7": 3, "U8": 1, "U9": 4}
THANKS = re.compile(r"/s/[^/]+/terima-kasih(\?.*)?$")
# WCAG 2.2 target size (enhanced, 2.5.5) and the platform guidelines: 44 × 44 CSS px.
MIN_TARGET = 44
PHONE_WIDTH = 360


@pytest.fixture(scope="module")
def items(live) -> list[dict]:
    """Return the default questionnaire's items in page order, as plain dicts."""
    with live.session() as session:
        questionnaire = default_questionnaire(session)
        return [{"code": item.element_code, "text_id": item.text_id, "text_en": item.text_en,
                 "labels_id": list(item.labels_id), "labels_en": list(item.labels_en)}
                for item in sorted(questionnaire.items, key=lambda item: item.position)]


@pytest.fixture(scope="module")
def tokens(live) -> list[str]:
    """Return the tokens of the demo's open service points, last first.

    Last first, as the kiosk tests do: the answers sent here fall in the current period, and
    the staff tests read the first units' dashboards for the latest period with data.
    """
    with live.session() as session:
        return list(session.scalars(
            select(ServicePoint.token).join(ServiceUnit, ServiceUnit.id == ServicePoint.unit_id)
            .where(ServicePoint.active.is_(True), ServiceUnit.status == "active")
            .order_by(ServicePoint.id.desc())))


def rows_with(live, client_uuid: str) -> list[Response]:
    """Return the stored responses with a client_uuid."""
    with live.session() as session:
        return list(session.scalars(
            select(Response).where(Response.client_uuid == uuid.UUID(client_uuid))))


def rows_at(live, token: str) -> int:
    """Return how many responses a service point has."""
    with live.session() as session:
        return session.scalar(
            select(func.count()).select_from(Response).join(ServicePoint)
            .where(ServicePoint.token == token))


def answers_of(row: Response) -> dict[str, int]:
    return {code: getattr(row, code.lower()) for code in ANSWERS}


def choose(page, code: str, label: str) -> None:
    """Click the visible label of an answer in a question's group; the radio is then checked."""
    group = page.locator(f"fieldset#{code}")
    group.locator("label.opt").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")).click()
    expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()


def answer_all(page, items, answers=ANSWERS, locale="id", skip=()) -> None:
    """Answer every question but those skipped by clicking the label of the chosen value."""
    for item in items:
        if item["code"] not in skip:
            choose(page, item["code"], item[f"labels_{locale}"][answers[item["code"]] - 1])


def item_labels(items, code: str, locale: str = "id") -> list[str]:
    return next(item[f"labels_{locale}"] for item in items if item["code"] == code)


def fill_profile(page, locale="id") -> None:
    """Give a little profile: gender by its label, age typed, education picked by its label."""
    index = 0 if locale == "id" else 1
    choose(page, "gender", GENDERS["P"][index])
    page.get_by_label("Umur (tahun)" if locale == "id" else "Age (years)").fill("34")
    page.get_by_label("Pendidikan terakhir" if locale == "id" else "Highest education") \
        .select_option(label=EDUCATIONS["SMA"][index])


def client_uuid(page) -> str:
    return page.locator("input[name=client_uuid]").input_value()


def send(page, button="Kirim") -> None:
    """Press the submit button and wait for the thank-you page."""
    page.get_by_role("button", name=button).click()
    page.wait_for_url(THANKS)


def test_without_javascript_a_link_respondent_answers_by_label_and_one_row_is_stored(
        live, phone_without_js, items, tokens):
    page, token = phone_without_js, tokens[0]
    before = rows_at(live, token)
    page.goto(f"{live.url}/s/{token}")
    expect(page.locator("fieldset.q legend")).to_have_text(
        [f"{n}. {item['text_id']}" for n, item in enumerate(items, start=1)] + ["Jenis kelamin"])
    answer_all(page, items)
    fill_profile(page)
    sent = client_uuid(page)
    send(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Terima kasih")
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert (row.channel, row.gender, row.age, row.education) == ("link", "P", 34, "SMA")
    assert rows_at(live, token) == before + 1


def test_with_javascript_the_qr_address_stores_channel_qr(live, phone, items, tokens):
    page, token = phone, tokens[1]
    before = rows_at(live, token)
    page.goto(f"{live.url}/q/{token}")
    answer_all(page, items)
    fill_profile(page)
    sent = client_uuid(page)
    send(page)
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert row.channel == "qr"
    assert rows_at(live, token) == before + 1


def test_a_missing_answer_keeps_the_rest_and_the_summary_link_focuses_question_5(
        live, phone_without_js, items, tokens):
    page, token = phone_without_js, tokens[2]
    before = rows_at(live, token)
    page.goto(f"{live.url}/s/{token}")
    answer_all(page, items, skip={"U5"})
    fill_profile(page)
    suggestion = "Antrean lebih tertib & ruang tunggu <ber-AC>, tolong."
    page.get_by_label("Saran dan masukan").fill(suggestion)
    sent = client_uuid(page)
    with page.expect_navigation() as shown:
        page.get_by_role("button", name="Kirim").click()
    assert shown.value.status == 422
    assert rows_at(live, token) == before

    # Everything given is still there, only question 5 is empty.
    for item in items:
        group = page.locator(f"fieldset#{item['code']}")
        if item["code"] == "U5":
            expect(group.locator("input:checked")).to_have_count(0)
        else:
            label = item["labels_id"][ANSWERS[item["code"]] - 1]
            expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()
    expect(page.get_by_label("Saran dan masukan")).to_have_value(suggestion)
    expect(page.get_by_label("Umur (tahun)")).to_have_value("34")
    assert client_uuid(page) == sent

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Ada isian yang perlu diperbaiki")
    expect(summary.get_by_role("link")).to_have_count(1)
    link = summary.get_by_role("link", name=re.compile(r"^Pertanyaan 5: "))
    link.click()
    first_answer = page.locator("fieldset#U5").get_by_role("radio").first
    expect(first_answer).to_be_focused()
    # The question itself, not only its answers, is on screen after the jump.
    expect(page.locator("fieldset#U5 legend")).to_be_in_viewport(ratio=1)
    expect(page.locator("#U5-error")).to_be_in_viewport(ratio=1)

    choose(page, "U5", item_labels(items, "U5")[ANSWERS["U5"] - 1])
    send(page)
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert row.suggestion == suggestion
    assert rows_at(live, token) == before + 1


def test_pressing_kirim_twice_while_the_first_reply_is_slow_stores_one_row(
        live, phone, items, tokens):
    page, token = phone, tokens[3]
    before = rows_at(live, token)
    page.goto(f"{live.url}/s/{token}")
    answer_all(page, items)
    sent = client_uuid(page)
    # Chromium folds two taps within one task into one submission; a second tap after the
    # first request went out is the real double submit. The first POST reaches the server
    # (which commits it) but its reply is held back, as on a slow line.
    posts, held = [], []

    def slow_first_reply(route):
        posts.append(route.request.post_data)
        if len(posts) == 1:
            held.append((route, route.fetch(max_redirects=0)))
        else:
            route.continue_()

    page.route(f"**/s/{token}/kirim", slow_first_reply)
    button = page.get_by_role("button", name="Kirim")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    for _ in range(250):  # up to 5 s for the first POST to reach the server
        if held:
            break
        page.wait_for_timeout(20)
    assert held and held[0][1].status == 303
    page.mouse.click(x, y)
    # The second tap aborts the first navigation, which wait_for_url may report as an error;
    # the assertion below polls for the address instead.
    expect(page).to_have_url(THANKS)
    for route, reply in held:
        try:
            route.fulfill(response=reply)
        except PlaywrightError:
            pass  # the browser already gave up on the first request
    page.unroute(f"**/s/{token}/kirim")
    assert len(posts) == 2 and f"client_uuid={sent}" in posts[1]
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert rows_at(live, token) == before + 1


def test_going_back_after_thanks_and_sending_again_stores_nothing_new(
        live, phone, items, tokens):
    page, token = phone, tokens[4]
    before = rows_at(live, token)
    page.goto(f"{live.url}/s/{token}")
    answer_all(page, items)
    sent = client_uuid(page)
    send(page)
    page.go_back()
    expect(page.get_by_role("button", name="Kirim")).to_be_visible()
    again = client_uuid(page)
    if not page.locator("fieldset#U1 input:checked").count():
        answer_all(page, items)  # a browser that kept no answers: the person answers again
    send(page)
    assert rows_at(live, token) == before + 1, f"sent {sent}, then {again} after going back"


def test_the_language_link_gives_an_english_form_that_stores_by_element_code(
        live, phone, items, tokens):
    page, token = phone, tokens[5]
    page.goto(f"{live.url}/s/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    link = page.get_by_role("link", name="English")
    assert_inside(link, page.locator("header"))
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("fieldset.q legend").first).to_have_text(f"1. {items[0]['text_en']}")
    answer_all(page, items, locale="en")
    fill_profile(page, locale="en")
    sent = client_uuid(page)
    send(page, button="Send")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert (row.gender, row.age, row.education) == ("P", 34, "SMA")


def assert_inside(locator, container) -> None:
    """Check that an element lies within another's box (e.g. a link on the header's colour)."""
    inner, outer = locator.bounding_box(), container.bounding_box()
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    assert outer["y"] <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]


def focused(page) -> dict:
    return page.evaluate("({name: document.activeElement.name || '',"
                         " tag: document.activeElement.tagName})")


def test_the_form_can_be_completed_with_the_keyboard_alone(live, phone, items, tokens):
    page, token = phone, tokens[6]
    page.goto(f"{live.url}/s/{token}")
    for _ in range(10):  # the skip link, the brand and the language link come first
        page.keyboard.press("Tab")
        if focused(page)["name"] == items[0]["code"]:
            break
    for item in items:
        code = item["code"]
        assert focused(page)["name"] == code
        value = ANSWERS[code]
        # Tab lands on the first answer unchecked; arrows move and check, Space checks.
        if value == 1:
            page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"fieldset#{code} input:checked")).to_have_value(str(value))
        page.keyboard.press("Tab")
    assert focused(page)["name"] == "gender"
    page.keyboard.press("ArrowDown")  # the second option: Perempuan
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "age"
    page.keyboard.type("52")
    sent = client_uuid(page)
    page.keyboard.press("Enter")
    page.wait_for_url(THANKS)
    [row] = rows_with(live, sent)
    assert answers_of(row) == ANSWERS
    assert (row.gender, row.age) == ("P", 52)


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("Math.max(document.documentElement.scrollWidth,"
                          " document.body.scrollWidth)")
    assert width <= PHONE_WIDTH


def small_targets(page) -> list[str]:
    """Return the radio labels smaller than 44 × 44 CSS px, with their size."""
    small = []
    for label in page.locator("label.opt").all():
        box = label.bounding_box()
        if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
            small.append(f"{label.get_attribute('for')}: {box['width']:.0f}×{box['height']:.0f}")
    return small


def test_every_answer_is_a_44_px_target_and_nothing_scrolls_sideways_at_360_px(
        live, phone_without_js, items, tokens):
    page, token = phone_without_js, tokens[7]
    page.goto(f"{live.url}/s/{token}")
    assert page.viewport_size["width"] == PHONE_WIDTH
    # Nine questions of four answers, and the two genders.
    expect(page.locator("label.opt")).to_have_count(len(items) * 4 + len(GENDERS))
    assert small_targets(page) == []
    no_horizontal_scroll(page)
    # The error page adds the summary and messages; still no sideways scroll.
    with page.expect_navigation() as shown:
        page.get_by_role("button", name="Kirim").click()
    assert shown.value.status == 422
    assert small_targets(page) == []
    no_horizontal_scroll(page)
    answer_all(page, items)
    send(page)
    no_horizontal_scroll(page)
