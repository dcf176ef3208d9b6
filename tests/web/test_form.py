"""The citizen survey form: rendering, storing by element code, idempotency, errors, language."""

import re
import time
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from survey.i18n import STRINGS
from survey.models import Agency, Item, Questionnaire, Response, ServicePoint, ServiceUnit
from survey.public.csrf import FormTicket, read, sign
from survey.public.forms import parse_uuid
from survey.responses import default_questionnaire
from tests.web.conftest import sign_in

# The default questionnaire's answers in a test: U1 = 1, U2 = 2, …, U9 = 1 (code number mod 4).
ANSWERS = {f"U{n}": str((n - 1) % 4 + 1) for n in range(1, 10)}


@pytest.fixture
def point(session):
    """Create an active unit in Surabaya (35.78, WIB) with one service point."""
    agency = Agency(name="Pemerintah Kota Uji")
    session.add(agency)
    session.flush()
    unit = ServiceUnit(slug="dispendukcapil-uji", name="Dispendukcapil Kota Uji",
                       agency_id=agency.id, region_code="35.78")
    session.add(unit)
    session.flush()
    point = ServicePoint(unit_id=unit.id, name="Loket 1", token="tok-uji-1")
    session.add(point)
    session.commit()
    return point


def token_for(app, point_token: str, *, issued_ago: float = 0, started_ago: float = 60,
              client_uuid: str = "") -> str:
    """Return a form token as a GET issues it for the view of a client_uuid, with chosen ages
    (seconds)."""
    now = time.time()
    view = parse_uuid(client_uuid).hex if parse_uuid(client_uuid) else ""
    ticket = FormTicket(point_token, int(now - issued_ago), int(now - started_ago), view)
    return sign(app.config["SECRET_KEY"], ticket)


def form_data(app, point, **overrides) -> dict:
    """Return a complete, valid submission of a page viewed a minute ago (its token issued for
    its client_uuid); None values are left out."""
    data = {"client_uuid": str(uuid.uuid4()),
            **ANSWERS, "gender": "P", "age": "34", "education": "SMA", "occupation": "SWASTA",
            "service_type": "KTP elektronik", "suggestion": "Antrean lebih tertib.",
            "website": ""}
    data.update(overrides)
    if "csrf_token" not in overrides:
        data["csrf_token"] = token_for(app, point.token, client_uuid=data.get("client_uuid") or "")
    return {key: value for key, value in data.items() if value is not None}


def stored(session) -> list[Response]:
    return list(session.scalars(select(Response).order_by(Response.id)))


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def checked_values(html: str) -> dict[str, str]:
    """Return {name: value} of every checked radio button."""
    return dict(re.findall(r'<input type="radio" id="[^"]+" name="([^"]+)" value="([^"]+)" checked',
                           html))


def test_get_shows_the_unit_the_point_and_nine_questions_in_order_with_radio_buttons(
        client, session, point):
    response = client.get("/s/tok-uji-1")
    html = response.text
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Dispendukcapil Kota Uji" in html and "Loket 1" in html
    items = sorted(default_questionnaire(session).items, key=lambda item: item.position)
    legends = re.findall(r"<legend>(\d+)\. ([^<]+)</legend>", html)
    assert legends == [(str(n), item.text_id) for n, item in enumerate(items, start=1)]
    for item in items:
        code = item.element_code
        radios = re.findall(rf'<label class="opt" for="{code}-(\d)"><input type="radio" '
                            rf'id="{code}-\1" name="{code}" value="(\d)" required>', html)
        assert radios == [("0", "1"), ("1", "2"), ("2", "3"), ("3", "4")]
        for label in item.labels_id:
            assert f"<span>{label}</span>" in html
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert uuid.UUID(hidden_value(html, "client_uuid")).version == 4


def test_a_valid_post_stores_one_row_by_element_code_and_redirects_to_thanks(
        app, client, session, point):
    client.get("/s/tok-uji-1")  # gives the device cookie
    before = datetime.now(timezone.utc)
    data = form_data(app, point)
    response = client.post("/s/tok-uji-1/kirim", data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/s/tok-uji-1/terima-kasih"
    [row] = stored(session)
    assert [row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9] == \
        [1, 2, 3, 4, 1, 2, 3, 4, 1]
    assert (row.channel, row.point_id, row.unit_id) == ("link", point.id, point.unit_id)
    assert row.questionnaire_id == default_questionnaire(session).id
    assert row.client_uuid == uuid.UUID(data["client_uuid"])
    assert before <= row.submitted_at <= datetime.now(timezone.utc)
    assert row.submitted_at.tzinfo is not None
    assert (row.gender, row.age, row.education, row.occupation) == ("P", 34, "SMA", "SWASTA")
    assert (row.service_type, row.suggestion) == ("KTP elektronik", "Antrean lebih tertib.")
    assert (row.flagged, row.flag_reason) == (False, None)
    assert re.fullmatch(r"[0-9a-f]{32}", row.client_key)
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200 and "Terima kasih" in thanks.text


def test_the_qr_address_stores_channel_qr(app, client, session, point):
    response = client.post("/q/tok-uji-1", data=form_data(app, point))
    assert response.status_code == 303
    assert response.headers["Location"] == "/s/tok-uji-1/terima-kasih"
    assert [row.channel for row in stored(session)] == ["qr"]


def publish_copy(session, positions: dict | None = None, own_items=()) -> Questionnaire:
    """Publish a newer shared questionnaire: the default one, moved and extended as given."""
    default = default_questionnaire(session)
    copy = Questionnaire(version=default.version + 1, title_id="Uji", title_en="Test",
                         status="published", published_at=datetime.now(timezone.utc))
    copy.items = [
        Item(element_code=item.element_code, text_id=item.text_id, text_en=item.text_en,
             labels_id=item.labels_id, labels_en=item.labels_en,
             position=(positions or {}).get(item.element_code, item.position))
        for item in default.items] + list(own_items)
    session.add(copy)
    session.commit()
    return copy


def test_answers_follow_the_element_code_not_the_position_on_the_page(app, client, session, point):
    # The trap of many printed forms: facilities (U9) asked 8th, complaint handling (U8) 9th.
    swapped = publish_copy(session, positions={"U8": 9, "U9": 8})
    html = client.get("/s/tok-uji-1").text
    codes = re.findall(r'<fieldset class="q" id="(U\d)"', html)
    assert codes == ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
    assert re.search(r"<legend>8\. Bagaimana pendapat Saudara tentang kualitas sarana", html)
    client.post("/s/tok-uji-1/kirim", data=form_data(app, point, U8="1", U9="4"))
    [row] = stored(session)
    assert (row.u8, row.u9, row.questionnaire_id) == (1, 4, swapped.id)


def test_a_units_own_question_is_asked_and_kept_by_its_code(app, client, session, point):
    own = Item(element_code="X1", position=10, text_id="Apakah ruang tunggu nyaman?",
               text_en="Is the waiting room comfortable?", labels_id=["a", "b", "c", "d"],
               labels_en=["a", "b", "c", "d"])
    publish_copy(session, own_items=[own])
    assert "<legend>10. Apakah ruang tunggu nyaman?</legend>" in client.get("/s/tok-uji-1").text
    client.post("/s/tok-uji-1/kirim", data=form_data(app, point, X1="2"))
    [row] = stored(session)
    assert (row.u1, row.extra) == (1, {"answers": {"X1": 2}})


def test_the_same_client_uuid_posted_twice_stores_one_row(app, client, session, point):
    data = form_data(app, point)
    first = client.post("/s/tok-uji-1/kirim", data=data)
    again = client.post("/q/tok-uji-1", data=data)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == "/s/tok-uji-1/terima-kasih"
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_missing_answer_shows_the_form_again_with_every_given_answer_kept(
        app, client, session, point):
    data = form_data(app, point, U5=None, suggestion="Tolong & terima <kasih>")
    response = client.post("/s/tok-uji-1/kirim", data=data)
    html = response.text
    assert response.status_code == 422
    message = STRINGS["id"]["error.answer_required"]
    assert '<fieldset class="q has-err" id="U5" aria-describedby="U5-error">' in html
    assert f'<p class="err" id="U5-error">{message}</p>' in html
    assert f'<a href="#U5-0">Pertanyaan 5: {message}</a>' in html
    assert html.index('class="summary"') < html.index("<form")
    assert "<title>Kesalahan: " in html
    expected = {code: value for code, value in ANSWERS.items() if code != "U5"}
    assert checked_values(html) == {**expected, "gender": "P"}
    assert '<input type="text" id="age" name="age" value="34"' in html
    assert '<option value="SMA" selected>' in html
    assert "Tolong &amp; terima &lt;kasih&gt;</textarea>" in html
    assert hidden_value(html, "client_uuid") == data["client_uuid"]
    assert stored(session) == []


def test_the_answer_numbering_of_errors_follows_the_page(app, client, point):
    html = client.post("/s/tok-uji-1/kirim", data=form_data(app, point, U1=None, U9=None)).text
    links = re.findall(r'<a href="#(U\d)-0">Pertanyaan (\d)', html)
    assert links == [("U1", "1"), ("U9", "9")]


def test_english_when_the_browser_prefers_it(client, point):
    html = client.get("/s/tok-uji-1", headers={"Accept-Language": "en-GB,en;q=0.9,id;q=0.5"}).text
    assert '<html lang="en">' in html
    assert "How well do the service requirements match the type of service?" in html
    assert "<span>Very appropriate</span>" in html and "<span>Male</span>" in html
    assert "Send</button>" in html
    assert '<a class="lang" href="?lang=id" lang="id" hreflang="id">Bahasa Indonesia</a>' in html


def test_indonesian_when_the_browser_prefers_it_or_says_nothing(client, point):
    for headers in ({}, {"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"}):
        html = client.get("/s/tok-uji-1", headers=headers).text
        assert '<html lang="id">' in html and "Kirim</button>" in html


def test_the_language_link_is_remembered_in_a_cookie(app, client, session, point):
    english = client.get("/s/tok-uji-1?lang=en", headers={"Accept-Language": "id"})
    assert '<html lang="en">' in english.text
    assert any(cookie.startswith("lang=en;") for cookie in english.headers.getlist("Set-Cookie"))
    assert 'action="/s/tok-uji-1/kirim?lang=en"' in english.text
    assert '<html lang="en">' in client.get("/s/tok-uji-1").text
    response = client.post("/s/tok-uji-1/kirim?lang=en", data=form_data(app, point))
    assert response.headers["Location"] == "/s/tok-uji-1/terima-kasih?lang=en"
    assert "Thank you" in client.get(response.headers["Location"]).text
    assert '<html lang="id">' in client.get("/s/tok-uji-1?lang=id").text
    assert '<html lang="id">' in client.get("/s/tok-uji-1").text


def test_errors_are_in_english_on_an_english_page(app, client, point):
    html = client.post("/s/tok-uji-1/kirim?lang=en", data=form_data(app, point, U2=None)).text
    assert "Question 2: Choose one answer to this question." in html


def test_every_string_exists_in_both_languages():
    assert STRINGS["id"].keys() == STRINGS["en"].keys()


def test_the_form_page_and_its_stylesheet_weigh_at_most_25_kb(client, point):
    page = client.get("/s/tok-uji-1")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', page.text)
    assert [address.split("?v=")[0] for address in stylesheets] == ["/static/suara.css"]
    with client.get(stylesheets[0]) as css:
        assert len(page.data) + len(css.data) <= 25 * 1024
        assert "@font-face" not in css.text and "@import" not in css.text
    assert "<script" not in page.text


def test_no_session_cookie_is_needed(app, client, session, point):
    response = client.get("/s/tok-uji-1")
    assert "session=" not in " ".join(response.headers.getlist("Set-Cookie"))
    client.delete_cookie("suara_device")
    assert client.post("/s/tok-uji-1/kirim", data=form_data(app, point)).status_code == 303
    assert [row.client_key for row in stored(session)] == [None]


def test_the_form_posts_elsewhere_and_varies_only_by_language(client, session, point):
    # Going back after the thank-you page must find the browser's copy of this very page (same
    # client_uuid): a POST to the page's own address, or Vary: Cookie with the device cookie
    # set on the first visit, would make the browser fetch a new form instead.
    page = client.get("/s/tok-uji-1")
    assert 'action="/s/tok-uji-1/kirim"' in page.text
    assert page.headers["Vary"] == "Accept-Language, Accept-Encoding"  # survey/compression.py
    assert client.get("/q/tok-uji-1").text.count('action="/q/tok-uji-1/kirim"') == 1


def test_each_visit_gets_its_own_uuid_and_token_in_an_otherwise_identical_page(app, client,
                                                                                point):
    pages = [client.get("/s/tok-uji-1").text for _ in range(3)]
    uuids = [hidden_value(html, "client_uuid") for html in pages]
    tokens = [hidden_value(html, "csrf_token") for html in pages]
    assert len(set(uuids)) == 3 and all(uuid.UUID(u).version == 4 for u in uuids)
    assert all(read(app.config["SECRET_KEY"], token, "tok-uji-1") for token in tokens)

    def blanked(html: str) -> str:
        return re.sub(r'(name="(client_uuid|csrf_token)" type="hidden" value=)"[^"]*"', r"\1", html)

    assert blanked(pages[0]) == blanked(pages[1]) == blanked(pages[2])
    # The language is part of what makes a page: the same address in English after Indonesian.
    english = client.get("/s/tok-uji-1", headers={"Accept-Language": "en"}).text
    assert '<html lang="en">' in english and "Send</button>" in english
    assert hidden_value(english, "client_uuid") not in uuids


def test_a_signed_in_person_gets_the_form_with_their_account_and_others_do_not(
        app, client, point, users):
    assert 'class="account"' not in client.get("/s/tok-uji-1").text
    staff = app.test_client()
    sign_in(staff, users["admin"])
    assert 'class="account"' in staff.get("/s/tok-uji-1").text
    assert 'class="account"' not in client.get("/s/tok-uji-1").text
