"""Kiosk mode in headless Chromium on a 1024 × 768 tablet: offline queue, sync, reset.

Answers are read back from the served app's database by client_uuid. The kiosk tests use the
last demo service points, so that the tests of /s/ and /q/ (which take the first) never share
a point with them.
"""

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import delete, func, select

from survey.kiosks import devices
from survey.models import (InstrumentAnswer, KioskDevice, PointInstrument, Response,
                           ServicePoint, ServiceUnit)

TABLET = {"width": 1024, "height": 768}
# Three respondents with different answers: U1..U9 of respondent r are (n + r) mod 4 + 1.
RESPONDENTS = [{f"U{n}": (n + r) % 4 + 1 for n in range(1, 10)} for r in range(4)]


@pytest.fixture(scope="module")
def kiosk_tokens(live) -> list[str]:
    """Return the tokens of the demo's open service points, last first."""
    with live.session() as session:
        return list(session.scalars(
            select(ServicePoint.token).join(ServiceUnit, ServiceUnit.id == ServicePoint.unit_id)
            .where(ServicePoint.active.is_(True), ServiceUnit.status == "active")
            .order_by(ServicePoint.id.desc())))


@pytest.fixture
def tablet(browser):
    """Return a page on a 1024 × 768 tablet in Indonesian, with its own storage and worker."""
    context = browser.new_context(viewport=TABLET, locale="id-ID")
    yield context.new_page()
    context.close()


@pytest.fixture
def tablet_without_js(browser):
    """Return a page on a 1024 × 768 tablet with JavaScript disabled."""
    context = browser.new_context(viewport=TABLET, locale="id-ID", java_script_enabled=False)
    yield context.new_page()
    context.close()


def stored(live, client_uuids) -> list[Response]:
    """Return the stored responses with these client_uuids, in submission order."""
    with live.session() as session:
        return list(session.scalars(
            select(Response).where(Response.client_uuid.in_([uuid.UUID(u) for u in client_uuids]))
            .order_by(Response.id)))


def kiosk_rows(live, token: str) -> int:
    """Return how many kiosk responses a service point has."""
    with live.session() as session:
        return session.scalar(
            select(func.count()).select_from(Response).join(ServicePoint)
            .where(ServicePoint.token == token, Response.channel == "kiosk"))


def enrol(live, page, token: str, worker: bool = True) -> None:
    """Enrol the tablet's browser as a kiosk of a point: staff's code, typed on /k/daftar;
    with its worker in control of the kiosk page it opens (a visit while it installs may
    stay uncontrolled)."""
    code = f"UJI{uuid.uuid4().hex[:5].upper()}"
    with live.session() as session:
        point = session.scalars(select(ServicePoint).where(ServicePoint.token == token)).one()
        session.add(KioskDevice(
            point_id=point.id, name="Tablet uji",
            code_hash=devices.keyed(live.app.config["SECRET_KEY"], code),
            code_expires_at=datetime.now(timezone.utc) + timedelta(minutes=15)))
        session.commit()
    page.goto(f"{live.url}/k/daftar")
    page.get_by_label("Kode pendaftaran").fill(f"{code[:4]}-{code[4:]}".lower())
    page.get_by_role("button", name="Daftarkan tablet ini").click()
    page.wait_for_url(f"{live.url}/k/{token}")
    if worker:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def wait_until(page, expression: str, seconds: float = 10) -> None:
    """Evaluate an expression (a promise is awaited) until it is truthy."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(50)


def answer(page, answers: dict[str, int]) -> str:
    """Tick each question's answer and return the form's client_uuid, as the form will send it."""
    for code, value in answers.items():
        page.locator(f"#{code}-{value - 1}").check()
    return page.locator("input[name=client_uuid]").input_value()


def test_offline_answers_wait_on_the_tablet_and_reach_the_server_once_online(
        live, tablet, kiosk_tokens):
    page, token = tablet, kiosk_tokens[0]
    before = kiosk_rows(live, token)
    enrol(live, page, token)
    page.goto(f"{live.url}/k/{token}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == f"{live.url}/k/sw.js"
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)") == f"{live.url}/k/"
    status = page.locator("#queue")

    page.context.set_offline(True)
    sent = []
    for number, answers in enumerate(RESPONDENTS[:3], start=1):
        sent.append(answer(page, answers))
        page.get_by_role("button", name="Kirim").click()
        expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
        expect(status).to_have_text(f"{number} jawaban menunggu dikirim")
        page.get_by_role("button", name="Responden berikutnya").click()
        # A fresh, empty form for the next person, with a new client_uuid.
        expect(page.get_by_role("button", name="Kirim")).to_be_visible()
        expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    assert len(set(sent)) == 3
    assert all(uuid.UUID(value).version == 4 for value in sent)
    assert stored(live, sent) == [] and kiosk_rows(live, token) == before

    online = datetime.now(timezone.utc)
    page.context.set_offline(False)
    expect(status).to_be_hidden(timeout=15_000)
    rows = stored(live, sent)
    assert [str(row.client_uuid) for row in rows] == sent
    assert [{f"U{n}": getattr(row, f"u{n}") for n in range(1, 10)} for row in rows] == \
        RESPONDENTS[:3]
    assert {row.channel for row in rows} == {"kiosk"}
    # Dated when each person answered (answered_at), not when the tablet got back online.
    assert all(row.submitted_at < online for row in rows)
    assert kiosk_rows(live, token) == before + 3

    page.reload()
    fourth = answer(page, RESPONDENTS[3])
    assert fourth not in sent
    page.get_by_role("button", name="Kirim").click()
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    assert page.url == f"{live.url}/k/{token}"  # sent by kiosk.js, thanked in place
    [row] = stored(live, [fourth])
    assert row.channel == "kiosk" and kiosk_rows(live, token) == before + 4
    expect(status).to_be_hidden()


def test_offline_the_worker_serves_the_kiosk_page_and_its_stylesheet(live, tablet, kiosk_tokens):
    page, token = tablet, kiosk_tokens[1]
    enrol(live, page, token)  # the first visit to the kiosk page, where enrolment leads
    # kiosk.js has the worker keep the shell of a page it did not serve (this first visit)...
    wait_until(page, "caches.match(location.pathname).then(Boolean)")
    # ... and asks again in each sending round until the worker has it.
    page.evaluate("caches.delete('suara-kiosk-2')")
    assert not page.evaluate("caches.match(location.pathname).then(Boolean)")
    page.evaluate("dispatchEvent(new Event('online'))")
    wait_until(page, "caches.match(location.pathname).then(Boolean)")
    page.context.set_offline(True)
    page.goto(f"{live.url}/k/{token}?lang=en")
    # The copy kept for offline use: in the default language, styled, with its script running.
    expect(page.get_by_role("button", name="Kirim")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") \
        == "rgb(11, 79, 108)"
    answer(page, RESPONDENTS[0])
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("#queue")).to_have_text("1 jawaban menunggu dikirim")
    page.context.set_offline(False)


def header_links(page) -> list[str]:
    """Return where the links of the page header lead."""
    return page.eval_on_selector_all("header a", "links => links.map(a => a.getAttribute('href'))")


def test_the_kiosk_header_leads_only_back_to_the_kiosk(live, tablet_without_js, kiosk_tokens):
    page, token = tablet_without_js, kiosk_tokens[2]
    enrol(live, page, token, worker=False)
    page.goto(f"{live.url}/k/{token}")
    # The brand returns to this kiosk's fresh form; the language link stays inside /k/.
    assert header_links(page) == [f"/k/{token}", "?lang=en"]
    page.goto(f"{live.url}/s/{token}")  # the same point's citizen form, outside kiosk mode
    assert header_links(page)[0] == "/"


def test_without_javascript_the_kiosk_stores_and_returns_to_a_fresh_form(
        live, tablet_without_js, kiosk_tokens):
    page, token = tablet_without_js, kiosk_tokens[2]
    before = kiosk_rows(live, token)
    enrol(live, page, token, worker=False)
    page.goto(f"{live.url}/k/{token}")
    sent = answer(page, RESPONDENTS[0])
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url(f"{live.url}/k/{token}/terima-kasih")
    expect(page.get_by_role("heading", name="Terima kasih")).to_be_visible()
    expect(page.get_by_role("link", name="Responden berikutnya")).to_have_attribute(
        "href", f"/k/{token}")
    [row] = stored(live, [sent])
    assert row.channel == "kiosk" and kiosk_rows(live, token) == before + 1
    assert header_links(page) == [f"/k/{token}", "?lang=en"]  # nothing leaves kiosk mode
    # The meta refresh brings the next person a fresh, empty form.
    page.wait_for_url(f"{live.url}/k/{token}", timeout=15_000)
    expect(page.get_by_role("button", name="Kirim")).to_be_visible()
    expect(page.locator("input[type=radio]:checked")).to_have_count(0)
    assert page.locator("input[name=client_uuid]").input_value() != sent
    # Back (the next person pressing it) finds no earlier answers either: no-store pages are
    # fetched again, and autocomplete="off" stops Chromium restoring the fields.
    for earlier in (f"/k/{token}/terima-kasih", f"/k/{token}"):
        page.go_back()
        assert page.url == f"{live.url}{earlier}"
        expect(page.locator("input[type=radio]:checked")).to_have_count(0)


def test_the_kiosk_form_and_its_thank_you_in_place_are_accessible(live, tablet, kiosk_tokens):
    page, axe = tablet, Axe()
    enrol(live, page, kiosk_tokens[3])
    page.goto(f"{live.url}/k/{kiosk_tokens[3]}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    pages = {"form": axe.run(page).response["violations"]}
    page.context.set_offline(True)
    answer(page, RESPONDENTS[0])
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("#done")).to_be_focused()
    pages["thanks"] = axe.run(page).response["violations"]
    page.context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden(timeout=15_000)
    blocking = {name: [v["id"] for v in found if v["impact"] in ("serious", "critical")]
                for name, found in pages.items()}
    assert blocking == {"form": [], "thanks": []}


def test_offline_spak_is_queued_whole_or_not_at_all_and_replayed_with_its_answer(
        live, tablet, kiosk_tokens):
    page, token = tablet, kiosk_tokens[4]
    with live.session() as session:  # before this point's first page: points are kept briefly
        point_id = session.scalar(select(ServicePoint.id).where(ServicePoint.token == token))
        # SPAK alone (a demo Zona Integritas point asks SPKP too).
        session.execute(delete(PointInstrument).where(PointInstrument.point_id == point_id))
        session.add(PointInstrument(point_id=point_id, instrument="spak", scale_max=4))
        session.commit()
    enrol(live, page, token)
    page.goto(f"{live.url}/k/{token}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    first = answer(page, RESPONDENTS[0])
    page.locator("#spak_1-3").check()  # one SPAK statement of five: not to be queued
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("#queue")).to_be_hidden()
    assert page.evaluate("document.querySelector('#spak_2-0').validity.valueMissing")
    for number in range(2, 6):  # 4, 3, 4, 4 and 2 to SPAK's five (the 1st: 4 above)
        page.locator(f"#spak_{number}-{(4, 3, 4, 4, 2)[number - 1] - 1}").check()
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("#queue")).to_have_text("1 jawaban menunggu dikirim")
    page.get_by_role("button", name="Responden berikutnya").click()
    # The next person may skip SPAK: nothing of it is required any more.
    second = answer(page, RESPONDENTS[1])
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("#queue")).to_have_text("2 jawaban menunggu dikirim")
    page.context.set_offline(False)
    expect(page.locator("#queue")).to_be_hidden(timeout=15_000)
    rows = stored(live, [first, second])
    assert [str(row.client_uuid) for row in rows] == [first, second]
    with live.session() as session:
        answers = session.execute(select(InstrumentAnswer.__table__).where(
            InstrumentAnswer.__table__.c.response_id.in_([row.id for row in rows]))).mappings()
        (spak,) = list(answers)
        assert spak["response_id"] == rows[0].id
        assert [spak[f"a{n}"] for n in range(1, 6)] == [4, 3, 4, 4, 2]
