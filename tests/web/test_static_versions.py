"""Static files under versioned addresses: kept a year by browsers, refetched when they change."""

import hashlib
import re

from survey import static_versions

STYLESHEET = re.compile(r'href="(/static/suara\.css\?v=([0-9a-f]{12}))"')


def test_pages_link_the_stylesheet_by_its_version_which_is_kept_a_year(client):
    page = client.get("/").text
    address, version = STYLESHEET.search(page).groups()
    with client.get(address) as kept:
        assert kept.status_code == 200
        assert kept.cache_control.max_age == static_versions.YEAR and kept.cache_control.public
        # The version is the file's own: the start of its SHA-256.
        assert hashlib.sha256(kept.get_data()).hexdigest()[:12] == version


def test_an_unversioned_or_old_address_is_revalidated_as_before(client):
    for address in ("/static/suara.css", "/static/suara.css?v=000000000000"):
        with client.get(address) as answer:
            assert answer.status_code == 200
            assert answer.cache_control.max_age is None
            assert "no-store" not in answer.headers.get("Cache-Control", "")


def test_a_changed_file_gets_a_new_version(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    sheet = tmp_path / "baru.css"
    sheet.write_text("body{color:#000}")
    first = static_versions.version(app, "baru.css")
    sheet.write_text("body{color:#111;margin:0}")  # another size: seen at once
    assert static_versions.version(app, "baru.css") not in (None, first)
    assert static_versions.version(app, "tidak-ada.css") is None
    assert static_versions.version(app, "../rahasia.css") is None


def test_a_signed_in_user_gets_the_same_cacheable_stylesheet(admin):
    address = STYLESHEET.search(admin.get("/dasbor/?scope=national").text).group(1)
    with admin.get(address) as kept:
        assert kept.cache_control.max_age == static_versions.YEAR
        assert "no-store" not in kept.headers["Cache-Control"]
