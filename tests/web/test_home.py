"""The home page: what SUARA is, and a directory of the service units."""

import re

import pytest
from sqlalchemy import select

from survey import indices
from survey.formatting import number
from survey.models import Agency, ServiceUnit
from survey.scopes import Scope


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
    # Every word must match: "surabaya" (name and region) and "0" (unit-00 to 09, 10, 20, 30).
    assert listed(client.get("/?q=surabaya+0").text) == [
        f"unit-{n:02d}" for n in range(40) if "0" in f"{n:02d}"]
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


@pytest.fixture
def ketabang(session):
    """Add Puskesmas Ketabang of the city health office in Kota Surabaya (35.78, Jawa Timur)."""
    agency = Agency(name="Dinas Kesehatan", path="/")
    session.add(agency)
    session.flush()
    session.add(ServiceUnit(slug="puskesmas-ketabang", name="Puskesmas Ketabang",
                            agency_id=agency.id, region_code="35.78"))
    session.commit()


@pytest.mark.parametrize(("search", "found"), [
    ("puskesmas surabaya", ["puskesmas-ketabang"]),  # unit name + regency name
    ("PUSKESMAS jawa timur", ["puskesmas-ketabang"]),  # unit name + province name, any case
    ("kesehatan ketabang", ["puskesmas-ketabang"]),  # agency name + unit name
    ("puskesmas makassar", []),  # every word must match
    ("dinas%", []),  # % is a plain character
])
def test_every_word_of_a_search_matches_a_unit_agency_or_region_name(client, ketabang,
                                                                      search, found):
    assert listed(client.get("/", query_string={"q": search}).text) == found


def test_a_long_search_is_cut_and_still_answers(client, ketabang):
    response = client.get("/", query_string={"q": "puskesmas " * 50})
    assert response.status_code == 200
    assert listed(response.text) == ["puskesmas-ketabang"]


def test_the_home_page_links_to_the_staff_sign_in(client):
    assert '<a href="/masuk">Masuk petugas</a>' in client.get("/").text


def _index_cells(html: str) -> dict[str, str]:
    """Return the IKM cell of each listed unit (the column after the unit's name), by slug."""
    return dict(re.findall(r'<a href="/hasil/([^"]+)">[^<]*</a></td>\n<td class="num">(.*?)</td>',
                           html))


def test_each_unit_shows_the_index_of_its_default_period(client, session, dataset):
    cells = _index_cells(client.get("/").text)
    assert len(cells) == 4
    for unit in session.scalars(select(ServiceUnit)):
        # The same figure as the unit's own pages: indices.default_period, then unit_index.
        period = indices.default_period(session, Scope("unit", unit.slug))
        expected = indices.unit_index(session, unit, period).figures
        assert cells[unit.slug] == (f'<span title="{period.name}">'
                                    f'{number(expected.konversi)}</span> ({expected.grade.letter})')


def test_an_index_below_the_minimum_sample_is_provisional_without_grade(app, client, dataset,
                                                                        monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", 10_000)
    cells = _index_cells(client.get("/").text)
    assert len(cells) == 4
    assert all(cell.endswith("<small>(sementara)</small>") for cell in cells.values())


def test_a_unit_without_answers_shows_no_index(client, ketabang):
    assert _index_cells(client.get("/").text) == {"puskesmas-ketabang": "&ndash;"}


def test_a_page_of_fifty_units_reads_their_indices_in_one_statement(client, directory,
                                                                     statements):
    client.get("/")
    rollup_reads = [sql for sql in statements if "FROM rollup" in sql]
    assert len(rollup_reads) == 1
    # Provinces, the count, the page, the rollups: no statement per unit.
    assert len(statements) <= 6
