"""The home page: what SUARA is, and a directory of the service units."""

import re

import pytest

from survey.models import Agency, ServiceUnit


def test_home_page_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Survei Kepuasan Masyarakat" in response.text
    assert '<html lang="id">' in response.text


def test_unknown_address_gets_a_polite_indonesian_page(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text


@pytest.fixture
def directory(session):
    """Add 40 active units in Surabaya (35.78), 20 in Makassar (73.71) and one closed unit."""
    agency = Agency(name="Pemerintah Daerah Uji", path="/")
    session.add(agency)
    session.flush()
    places = [("35.78", "Surabaya")] * 40 + [("73.71", "Makassar")] * 20
    session.add_all(ServiceUnit(slug=f"unit-{n:02d}", name=f"Unit {city} {n:02d}",
                                agency_id=agency.id, region_code=code)
                    for n, (code, city) in enumerate(places))
    session.add(ServiceUnit(slug="tutup", name="Unit Surabaya Tutup", agency_id=agency.id,
                            region_code="35.78", status="closed"))
    session.commit()


def listed(html: str) -> list[str]:
    return re.findall(r'<a href="/hasil/([^"]+)">', html)


def test_the_directory_lists_fifty_active_units_a_page(client, directory):
    first = client.get("/").text
    assert "60 unit, halaman 1 dari 2." in first
    assert listed(first) == [f"unit-{n:02d}" for n in range(40)] + [
        f"unit-{n:02d}" for n in range(40, 50)]
    second = client.get("/?page=2").text
    assert listed(second) == [f"unit-{n:02d}" for n in range(50, 60)]
    assert 'href="/?page=1" rel="prev"' in second
    # A page beyond the last, or not a number, is the nearest page there is.
    assert listed(client.get("/?page=9").text) == listed(second)
    assert listed(client.get("/?page=dua").text) == listed(first)


def test_the_directory_is_searched_by_name_and_filtered_by_province(client, directory):
    makassar = client.get("/?provinsi=73").text
    assert "20 unit." in makassar and len(listed(makassar)) == 20
    assert '<option value="73" selected>' in makassar
    assert listed(client.get("/?q=surabaya+0").text) == [f"unit-{n:02d}" for n in range(10)]
    assert listed(client.get("/?q=Makassar&provinsi=35").text) == []
    assert "Tidak ada unit layanan yang cocok" in client.get("/?q=Makassar&provinsi=35").text
    # An unknown province is no filter; % and _ are plain characters in a search.
    assert "60 unit" in client.get("/?provinsi=99").text
    assert listed(client.get("/?q=%25").text) == []


def test_the_page_links_keep_the_search(client, directory):
    html = client.get("/?q=Unit").text
    assert "60 unit, halaman 1 dari 2." in html
    assert 'href="/?page=2&amp;q=Unit" rel="next"' in html
    both = client.get("/?q=Unit&provinsi=35").text
    assert "40 unit." in both and 'rel="next"' not in both
    assert listed(both) == [f"unit-{n:02d}" for n in range(40)]
