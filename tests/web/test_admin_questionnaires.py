"""Questionnaire versions of a unit: copy, reword, extend, publish; old answers keep theirs."""

import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from survey.admin import questionnaires
from survey.models import Questionnaire, Response
from survey.public.forms import survey_form_class
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.web.conftest import sign_in
from tests.web.test_admin_units import events, post, unit

BASE = "/admin/units/unit-sby/questionnaires"


def draft_form(draft: Questionnaire, **changes) -> dict:
    """Return the draft form's fields as the page fills them in, with some changed."""
    data = {"title_id": draft.title_id, "title_en": draft.title_en}
    for index, item in enumerate(sorted(draft.items, key=lambda i: i.position)):
        prefix = f"items-{index}-"
        data |= {prefix + "code": item.element_code, prefix + "position": item.position,
                 prefix + "text_id": item.text_id, prefix + "text_en": item.text_en}
        for number, (label_id, label_en) in enumerate(zip(item.labels_id, item.labels_en)):
            data |= {f"{prefix}labels_id-{number}": label_id,
                     f"{prefix}labels_en-{number}": label_en}
    return data | changes


def new_item(text="Bagaimana kebersihan ruang tunggu?", **changes) -> dict:
    labels = ["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"]
    return {"item-text_id": text, "item-text_en": "",
            **{f"item-labels_id-{n}": label for n, label in enumerate(labels)}} | changes


@pytest.fixture
def draft(client, users, session, dataset):
    """Sign in the unit head of unit-sby and copy the shared questionnaire into a draft."""
    sign_in(client, users["unit"])
    shared = default_questionnaire(session)
    assert post(client, f"{BASE}/copy", {"source": shared.id}).status_code == 303
    return questionnaires.draft_of(session, unit(session, "unit-sby").id)


def test_the_shared_questionnaire_is_shown_read_only(client, users, dataset):
    sign_in(client, users["region"])
    page = client.get("/admin/questionnaire").text
    assert "Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017)" in page
    assert page.count('class="code"') == 9
    # Read-only: no form but the sign-out button in the header.
    assert page.count('method="post"') == 1


def test_copying_makes_the_units_draft_with_the_next_version(session, users, draft):
    shared = default_questionnaire(session)
    assert (draft.unit_id, draft.version, draft.status) == (unit(session, "unit-sby").id, 1,
                                                            "draft")
    assert [(i.element_code, i.text_id) for i in draft.items] == [
        (i.element_code, i.text_id) for i in shared.items]
    event = events(session, "questionnaire_copied")[0]
    assert (event.unit_id, event.user_id, event.target) == (
        draft.unit_id, users["unit"].id, f"questionnaire:{draft.id}")
    assert event.detail == {"from": shared.id, "from_version": shared.version, "shared": True,
                            "version": 1}


def test_a_second_copy_while_a_draft_exists_makes_nothing(client, session, draft):
    response = post(client, f"{BASE}/copy", {"source": default_questionnaire(session).id},
                    follow_redirects=True)
    assert "sudah punya draf versi 1" in response.text
    assert session.scalar(select(func.count()).select_from(Questionnaire)) == 2


def test_rewording_and_reordering_a_draft_is_audited_by_code(client, session, draft):
    # Facilities (U9) before complaints (U8), as many printed forms do.
    form = draft_form(draft, **{"items-7-position": 9, "items-8-position": 8,
                                "items-0-text_id": "Apakah persyaratannya jelas?",
                                "items-0-labels_en-3": "Very clear"})
    response = post(client, f"{BASE}/draft", form)
    assert response.status_code == 303, response.text
    session.expire_all()
    by_code = {item.element_code: item for item in draft.items}
    assert by_code["U1"].text_id == "Apakah persyaratannya jelas?"
    assert by_code["U1"].labels_en[3] == "Very clear"
    assert [item.element_code for item in draft.items] == [
        "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8"]
    edited = events(session, "questionnaire_edited")[0]
    assert edited.unit_id == draft.unit_id
    assert edited.detail["U1"]["text_id"][1] == "Apakah persyaratannya jelas?"
    assert edited.detail["order"][1][-2:] == ["U9", "U8"]


def test_blank_english_falls_back_to_indonesian_and_blank_indonesian_is_refused(
        client, session, draft):
    form = draft_form(draft, **{"items-2-text_en": "", "items-3-text_id": " ",
                                "items-4-labels_id-0": ""})
    response = post(client, f"{BASE}/draft", form)
    assert response.status_code == 422
    assert response.text.count("Wajib diisi.") == 2
    response = post(client, f"{BASE}/draft", draft_form(draft, **{"items-2-text_en": ""}))
    assert response.status_code == 303
    session.expire_all()
    u3 = next(item for item in draft.items if item.element_code == "U3")
    assert u3.text_en == u3.text_id


def test_a_draft_changed_elsewhere_is_not_overwritten(client, session, draft):
    form = draft_form(draft, **{"items-8-code": "X9"})
    response = post(client, f"{BASE}/draft", form)
    assert response.status_code == 422 and "muat ulang halaman" in response.text


def test_own_items_get_x_codes_and_blank_english_falls_back(client, session, draft):
    assert post(client, f"{BASE}/draft/items", new_item()).status_code == 303
    assert post(client, f"{BASE}/draft/items", new_item("Parkir?")).status_code == 303
    session.expire_all()
    assert [item.element_code for item in draft.items][-2:] == ["X1", "X2"]
    x1 = draft.items[-2]
    assert (x1.position, x1.text_en, x1.labels_en) == (10, x1.text_id, x1.labels_id)
    assert post(client, f"{BASE}/draft/items/X2/remove").status_code == 303
    session.expire_all()
    assert [item.element_code for item in draft.items][-1] == "X1"
    added, _, removed = events(session)[-3:]
    assert (added.action, added.detail["code"], added.unit_id) == (
        "questionnaire_item_added", "X1", draft.unit_id)
    assert (removed.action, removed.detail["code"]) == ("questionnaire_item_removed", "X2")


def test_a_code_published_once_keeps_its_meaning(client, session, draft):
    # X1 collected answers in version 1; version 2 drops it: a new item must not reuse X1.
    post(client, f"{BASE}/draft/items", new_item())
    post(client, f"{BASE}/draft/publish")
    post(client, f"{BASE}/copy", {"source": draft.id})
    post(client, f"{BASE}/draft/items/X1/remove")
    post(client, f"{BASE}/draft/items", new_item("Parkir?"))
    second = questionnaires.draft_of(session, draft.unit_id)
    assert [item.element_code for item in second.items][-1] == "X2"


def test_the_nine_regulation_items_cannot_be_removed(client, session, draft):
    assert post(client, f"{BASE}/draft/items/U8/remove").status_code == 404
    session.expire_all()
    assert len(draft.items) == 9


def test_an_item_needs_four_answers(client, session, draft):
    response = post(client, f"{BASE}/draft/items", new_item(**{"item-labels_id-3": ""}))
    assert response.status_code == 422 and "Wajib diisi." in response.text
    session.expire_all()
    assert len(draft.items) == 9


def test_publishing_switches_the_form_and_leaves_past_answers_on_their_version(
        client, session, draft):
    sby = unit(session, "unit-sby")
    shared = default_questionnaire(session)
    before = session.scalar(select(func.count()).where(
        Response.unit_id == sby.id, Response.questionnaire_id == shared.id))
    post(client, f"{BASE}/draft/items", new_item())
    response = post(client, f"{BASE}/draft/publish")
    assert response.status_code == 303 and response.headers["Location"] == BASE
    session.expire_all()
    assert (draft.status, draft.published_at is not None) == ("published", True)
    assert questionnaires.unit_questionnaire(session, sby.id).id == draft.id
    # Another unit still uses the shared questionnaire.
    assert questionnaires.unit_questionnaire(session, unit(session, "unit-sda").id).id == shared.id
    # A new answer goes to the new version; the old ones stay where they were.
    insert_rows(session, [response_values(
        sby, questionnaire_id=draft.id, submitted_at=datetime.now(timezone.utc), channel="qr",
        answers={f"U{i}": 4 for i in range(1, 10)}, client_uuid=uuid.uuid4(),
        extra={"answers": {"X1": 3}})])
    session.commit()
    counts = dict(session.execute(select(Response.questionnaire_id, func.count())
                                  .where(Response.unit_id == sby.id)
                                  .group_by(Response.questionnaire_id)).all())
    assert counts == {shared.id: before, draft.id: 1} and before > 0
    published = events(session, "questionnaire_published")[0]
    assert published.detail["status"] == ["draft", "published"]
    assert published.detail["items"][-1] == "X1" and published.unit_id == sby.id
    page = " ".join(client.get(BASE).text.split())
    assert "memakai <strong>kuesioner unit versi 1</strong>" in page


def test_the_published_version_builds_the_citizen_form_with_its_own_items(client, session,
                                                                         draft):
    post(client, f"{BASE}/draft/items", new_item())
    post(client, f"{BASE}/draft/publish")
    form_class = survey_form_class(
        questionnaires.unit_questionnaire(session, draft.unit_id), "en")
    assert form_class.question_codes[-1] == "X1" and len(form_class.question_codes) == 10


def test_a_published_version_is_never_edited(client, session, draft):
    post(client, f"{BASE}/draft/publish")
    session.expire_all()
    assert post(client, f"{BASE}/draft", draft_form(draft)).status_code == 404
    assert post(client, f"{BASE}/draft/items", new_item()).status_code == 404
    assert post(client, f"{BASE}/draft/publish").status_code == 404
    with pytest.raises(ValueError, match="is published"):
        questionnaires.add_item(session, draft, questionnaires.ItemText("t", "t", ("a",) * 4,
                                                                        ("a",) * 4))
    # Editing means a new draft copied from it, with the next version.
    assert post(client, f"{BASE}/copy", {"source": draft.id}).status_code == 303
    second = questionnaires.draft_of(session, draft.unit_id)
    assert (second.version, second.status) == (2, "draft") and second.id != draft.id
    assert events(session, "questionnaire_copied")[-1].detail["from"] == draft.id


def test_publishing_refuses_a_questionnaire_without_each_element_once(session, draft):
    draft.items[4].element_code = "X7"
    assert questionnaires.publish_problems(draft) == [
        "Unsur U5 harus ada tepat satu kali (sekarang 0)."]
    assert questionnaires.publish(session, draft, datetime.now(timezone.utc)) != []
    assert draft.status == "draft"


def test_a_draft_can_be_discarded(client, session, draft):
    assert post(client, f"{BASE}/draft/discard").status_code == 303
    assert questionnaires.draft_of(session, draft.unit_id) is None
    assert events(session)[-1].action == "questionnaire_discarded"
    assert "tidak punya draf" in client.get(f"{BASE}/draft").text


def test_versions_of_another_unit_are_not_shown_or_copied(client, users, session, draft):
    sign_in(client, users["admin"])
    assert client.get(f"/admin/units/unit-mks/questionnaires?versi={draft.id}").status_code \
        == 404
    assert post(client, "/admin/units/unit-mks/questionnaires/copy",
                {"source": draft.id}).status_code == 404
    assert questionnaires.draft_of(session, unit(session, "unit-mks").id) is None


def test_a_unit_head_cannot_change_another_units_questionnaire(client, users, session,
                                                               dataset):
    sign_in(client, users["unit"])
    shared = default_questionnaire(session)
    mks = "/admin/units/unit-mks/questionnaires"
    assert post(client, f"{mks}/copy", {"source": shared.id}).status_code == 403
    for address in ("/draft", "/draft/items", "/draft/publish", "/draft/discard",
                    "/draft/items/X1/remove"):
        assert post(client, mks + address).status_code == 403, address
    assert session.scalar(select(func.count()).select_from(Questionnaire)) == 1
    assert events(session) == []
