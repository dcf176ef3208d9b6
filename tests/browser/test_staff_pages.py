"""Every staff page of the demo, at 360 px and at 1,280 px, as the administrator and as the
unit head: the page never scrolls sideways, axe-core finds no serious or critical violation, and
every time shown names its zone (WIB, WITA or WIT), never UTC.

The list of pages is built from the app's GET routes under the staff prefixes, so a new page is
checked without being added here. About 80 page views with axe each: 2 to 3 minutes.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import url_for
from sqlalchemy import select

from survey import access
from survey.models import EntryBatch, Response, ServicePoint, ServiceUnit, User
from tests.browser.test_accessibility import assert_accessible
from tests.browser.test_phone_width import page_width
from tests.browser.test_staff_browser import sign_in

STAFF_PREFIXES = ("/dasbor", "/admin", "/akun")
UNIT = "puskesmas-ketabang"  # the unit head's unit (survey/demo_accounts.py)
HEAD = "ketabang@demo.suara.id"
ADMIN = "admin@demo.suara.id"
# A clock time (09.58, 9:58, 09.58.12) not inside a longer number.
CLOCK = re.compile(r"(?<![\d.,:])(?:[01]?\d|2[0-3])[.:][0-5]\d(?:[.:][0-5]\d)?(?![\d]|[.,:]\d)")
ZONE = re.compile(r"\s*(?:WIB|WITA|WIT)\b")


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def is_page(rule) -> bool:
    """Tell whether a route is a staff HTML page (not a chart, a file or a download)."""
    last = rule.rule.rsplit("/", 1)[-1]
    return ("GET" in rule.methods and rule.rule.startswith(STAFF_PREFIXES)
            and "." not in last and "<any" not in rule.rule and "pindaian" not in rule.rule
            # A history import's preview and result exist only for a file just uploaded and
            # imported (test_history_import_page.py).
            and "<token>" not in rule.rule and "<int:event_id>" not in rule.rule)


@pytest.fixture(scope="module")
def staff_pages(live) -> list[str]:
    """Return the address of every staff page, its path variables filled with demo ids."""
    with live.session() as session:
        unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == UNIT)).one()
        ids = {
            "slug": UNIT,
            "batch_id": session.scalars(select(EntryBatch.id).where(
                EntryBatch.unit_id == unit.id).order_by(EntryBatch.id)).first(),
            "response_id": session.scalars(select(Response.id).where(
                Response.unit_id == unit.id, Response.suggestion.is_not(None))
                .order_by(Response.id.desc())).first(),
            "user_id": session.scalars(select(User.id).where(User.email == HEAD)).one(),
            "point_id": session.scalars(select(ServicePoint.id).where(
                ServicePoint.unit_id == unit.id).order_by(ServicePoint.id)).first(),
        }
    rules = sorted((r for r in live.app.url_map.iter_rules() if is_page(r)),
                   key=lambda r: r.rule)
    with live.app.test_request_context():
        return [url_for(r.endpoint, **{name: ids[name] for name in r.arguments})
                for r in rules]


@pytest.fixture(scope="module")
def unit_staff_pages(live, staff_pages) -> set[str]:
    """Return the staff pages that show citizens' contacts: the unit's own staff's only."""
    adapter = live.app.url_map.bind("localhost")
    return {path for path in staff_pages
            if access.rule_of(live.app, adapter.match(path)[0]) == "unit_staff"}


# The text the application writes, one text node a line: not the choice lists (region codes
# such as 11.01 are no times) nor what people typed (a suggestion, a reply, a follow-up action
# may well say "pukul 07.00"; the audit log shows its changes; `.typed` marks such text).
TYPED = "select, textarea, blockquote, .reply-body, .plan td, .suggestions, .change, .typed"
SHOWN_TEXT = ("[...document.body.querySelectorAll('*:not(script):not(style)')].flatMap(e =>"
              " [...e.childNodes].filter(n => n.nodeType === 3"
              f" && !n.parentElement.closest('{TYPED}'))).map(n => n.textContent).join('\\n')")


def zoneless_times(text: str) -> list[str]:
    """Return the clock times of a text that no zone follows, with a little context."""
    return [text[max(0, m.start() - 20):m.end() + 8] for m in CLOCK.finditer(text)
            if not ZONE.match(text, m.end())]


def test_the_zone_check_finds_what_it_should():
    assert zoneless_times("dikirim 19-06-2026 09.58 WIB, 10:02 WITA dan 11.16.05 WIT") == []
    assert zoneless_times("7.582 responden, IKM 82,45, 7,5 %, http://127.0.0.1:8000/s/x") == []
    assert len(zoneless_times("pukul 09.58 dan 23:10 UTC")) == 2


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("email", [ADMIN, HEAD])
def test_every_staff_page_fits_is_accessible_and_names_its_time_zone(live, browser, axe,
                                                                    staff_pages, unit_staff_pages,
                                                                    email, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live, email)
    shown, problems = [], []
    for path in staff_pages:
        status = page.goto(live.url + path).status
        if status == 403 and email == HEAD:
            continue  # an administrator's page: the unit head is refused, politely
        if status == 403 and path in unit_staff_pages:
            continue  # contacts: the unit's own staff only, not the administrator
        if status != 200:
            problems.append(f"{path}: answered {status}")
            continue
        shown.append(path)
        if page_width(page) > width:
            problems.append(f"{path}: page {page_width(page)} px wide")
        text = page.evaluate(SHOWN_TEXT)
        if "UTC" in text:
            problems.append(f"{path}: says UTC")
        problems += [f"{path}: time without zone: {found!r}" for found in zoneless_times(text)]
        try:
            assert_accessible(axe, page, f"{path} at {width} px as {email}")
        except AssertionError as failure:
            problems.append(str(failure))
    context.close()
    assert problems == []
    # The unit head saw the unit's own pages; the administrator saw every page.
    assert len(shown) == len(staff_pages) - len(unit_staff_pages) if email == ADMIN \
        else len(shown) >= 10
