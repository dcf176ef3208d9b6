"""An integrity alert end to end, in a real browser: Puskesmas Ketabang's head asks SPAK at a
service point, a citizen on a 360-px phone without JavaScript answers the SKM and SPAK (one
pungli answer low), and the city health office, the level above, sees the unit's IPAK with
its n and the alert."""

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, select

from analysis.instruments import LABELS_4_ID
from survey.models import (IntegrityAlert, PointInstrument, Response, RollupInstrument,
                           ServicePoint, ServiceUnit)
from tests.browser.test_form_browser import (PHONE_WIDTH, answer_all, choose, client_uuid,
                                             fill_profile, items, send)  # noqa: F401
from tests.browser.test_phone_width import page_width
from tests.browser.test_staff_browser import sign_in

SLUG = "puskesmas-ketabang"
# SPAK answers chosen here: A1..A3 and A5 agree (3, 4, 4, 3), A4 pungli 2 ("Tidak setuju").
SPAK = (3, 4, 4, 2, 3)


@pytest.fixture
def ketabang_point(live):
    """Return the id, name and token of Ketabang's first active point; ask nothing after."""
    with live.session() as session:
        point = session.execute(
            select(ServicePoint.id, ServicePoint.name, ServicePoint.token)
            .join(ServiceUnit, ServiceUnit.id == ServicePoint.unit_id)
            .where(ServiceUnit.slug == SLUG, ServicePoint.active.is_(True))
            .order_by(ServicePoint.id)).first()
    yield point
    with live.session() as session:
        session.execute(delete(PointInstrument).where(PointInstrument.point_id == point.id))
        session.commit()


def _open_with_spak(page, live, token: str) -> None:
    """Open the point's form until it shows SPAK: a point is kept in memory for some
    seconds (survey/memo.py), so a form opened earlier may still lack it."""
    for _ in range(15):
        page.goto(f"{live.url}/s/{token}")
        if page.locator("section#spak").count():
            return
        page.wait_for_timeout(1000)
    raise AssertionError("the form never showed SPAK")


def test_a_low_pungli_answer_reaches_the_level_above(live, browser, phone_without_js, items,
                                                     ketabang_point):
    point_id, point_name, token = ketabang_point
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "ketabang@demo.suara.id")
    page.goto(f"{live.url}/admin/units/{SLUG}")
    form = page.locator("form.zi-point").filter(has=page.locator("legend", has_text=point_name))
    form.get_by_label("Tanyakan juga SPAK").select_option(label="ditanyakan, skala 1–4")
    form.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    context.close()
    with live.session() as session:
        assert session.scalar(select(PointInstrument.scale_max).where(
            PointInstrument.point_id == point_id, PointInstrument.instrument == "spak")) == 4

    phone = phone_without_js
    _open_with_spak(phone, live, token)
    answer_all(phone, items)
    for number, value in enumerate(SPAK, start=1):
        choose(phone, f"spak_{number}", f"{value}. {LABELS_4_ID[value - 1]}")
    fill_profile(phone)
    assert page_width(phone) == PHONE_WIDTH  # no sideways scrolling with SPAK on the page
    sent = client_uuid(phone)
    send(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Terima kasih")

    with live.session() as session:
        response = session.scalars(select(Response).where(
            Response.client_uuid == uuid.UUID(sent))).one()
        alert = session.scalars(select(IntegrityAlert).where(
            IntegrityAlert.response_id == response.id)).one()
        month = response.submitted_on.replace(day=1)
        n = session.scalar(select(func.sum(RollupInstrument.n)).where(
            RollupInstrument.unit_id == response.unit_id, RollupInstrument.months == 1,
            RollupInstrument.starts_on == month, RollupInstrument.instrument == "spak"))
    assert (alert.aspect, alert.answer, alert.status) == ("pungli", 2, "open")
    assert n >= 1  # this answer at least (rollup_instrument of the month)

    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "dinkes-surabaya@demo.suara.id")
    # The home dashboard (the office's ranking) counts the open alerts of its units.
    page.get_by_role("link", name=re.compile("Peringatan integritas")).click()
    row = page.locator(f"#alert-{alert.id}")
    expect(row).to_contain_text("Pungutan liar")
    expect(row).to_contain_text("2 dari 4")
    expect(row).to_contain_text("Puskesmas Ketabang")
    # The unit's IPAK of the month, with its n.
    page.goto(f"{live.url}/dasbor/unit/{SLUG}?period={month:%Y-%m}")
    ipak = page.locator("table.instruments tbody tr").filter(has_text="IPAK")
    expect(ipak.locator("td").nth(3)).to_have_text(str(n))
    context.close()
    # The alerts page on a phone: its tables scroll in their own boxes, the page does not.
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740},
                                  locale="id-ID")
    page = context.new_page()
    sign_in(page, live, "dinkes-surabaya@demo.suara.id")
    assert page.goto(f"{live.url}/dasbor/peringatan-integritas").status == 200
    assert page_width(page) == PHONE_WIDTH
    context.close()
