"""The home page."""


def test_home_page_is_served_in_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Survei Kepuasan Masyarakat" in response.text
    assert '<html lang="id">' in response.text


def test_unknown_address_gets_a_polite_indonesian_page(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.text
