"""The strict readers of an address (survey/params.py) and the answers views give with them."""

import pytest

from survey import params
from survey.scopes import BadScope, Scope, parse_scope
from tests.web.conftest import sign_in


@pytest.mark.parametrize("text", ["", " ", "0", "-1", "+1", "1_0", "²", "٣", "１", "1.0", "2147483648",
                                  "9" * 20, "9" * 5000, None])
def test_an_id_is_ascii_digits_within_an_integer_column(text):
    with pytest.raises(params.BadParameter, match="harus bilangan bulat 1 sampai 2147483647"):
        params.record_id(text)


def test_an_id_reads_its_whole_range():
    # 2^31 - 1: PostgreSQL's INTEGER maximum.
    assert [params.record_id(t) for t in ("1", "0042", "2147483647")] == [1, 42, 2147483647]


@pytest.mark.parametrize(("text", "page"), [("3", 3), (None, 1), ("dua", 1), ("٣", 1), ("-4", 1),
                                            ("0", 1), ("100001", 100_000), ("9" * 30, 1)])
def test_a_page_number_is_bounded_and_forgiving(text, page):
    assert params.page_number(text) == page


@pytest.mark.parametrize("text", ["agency:99999999999999999999", "agency:²", "agency:٣",
                                  "agency:-1", "region:x\x00", "region:3", "region:35.7",
                                  "unit:Unit-SBY", "unit:" + "a" * 81, "unit:", "national:x",
                                  "desa:1", "", None])
def test_a_scope_is_read_strictly(text):
    with pytest.raises(BadScope, match="cakupan"):
        parse_scope(text)


def test_a_scope_reads_every_kind():
    assert [parse_scope(t) for t in ("national", " region:35.78 ", "agency:12", "unit:pkm-a1")] \
        == [Scope("national"), Scope("region", "35.78"), Scope("agency", "12"),
            Scope("unit", "pkm-a1")]


def test_the_search_text_drops_control_characters_and_is_bounded():
    assert params.search_text("  puskes\x00mas\r\n  kota\x7f ") == "puskesmas kota"
    assert len(params.search_text("a" * 500)) == params.TEXT_MAX


@pytest.mark.parametrize(("address", "status"), [
    ("/api/v1/aggregate?scope=agency:99999999999999999999", 400),
    ("/api/v1/aggregate?scope=agency:%C2%B2", 400), ("/api/v1/aggregate?period=%D9%A2%D9%A0%D9%A2%D9%A5", 400),
    ("/api/v1/units/%00/ikm", 404), ("/hasil/%00", 404), ("/hasil/" + "a" * 300, 404),
    ("/s/%00", 404), ("/s/" + "a" * 300, 404), ("/dasbor/?page=99999999999999999999", 200),
    ("/dasbor/?scope=agency:99999999999999999999", 400), ("/dasbor/unit/%00", 404),
    ("/admin/users/99999999999999999999", 404), ("/admin/users/2147483648", 404),
    ("/admin/users/%D9%A3", 404), ("/admin/?q=%00&page=%C2%B2", 200),
    ("/admin/units/unit-sby/questionnaires?versi=99999999999999999999", 400),
    ("/dasbor/unit/unit-sby/kotak-masuk/99999999999999999999", 404),
])
def test_hostile_addresses_get_a_clear_answer(client, users, address, status):
    sign_in(client, users["admin"])
    response = client.get(address)
    assert response.status_code == status


def test_a_refused_value_is_named_in_indonesian(client, users):
    sign_in(client, users["admin"])
    page = client.get("/dasbor/?scope=agency:99999999999999999999")
    assert "cakupan &#39;agency:99999999999999999999&#39;: ID instansi" in page.text
    api = client.get("/api/v1/aggregate?scope=agency:%C2%B2").get_json()
    assert api["error"]["message"] == ("cakupan 'agency:²': ID instansi '²' harus bilangan bulat "
                                       "1 sampai 2147483647 yang ditulis dengan angka 0-9")
