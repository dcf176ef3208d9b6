"""Regions: the shipped Kemendagri list loads completely and idempotently."""

import csv

from sqlalchemy import func, select

from survey.cli import cli
from survey.models import Region
from survey.regions import WIB, WIT, WITA, bundled_csv, timezone_for


def count_by_level(session):
    return dict(session.execute(select(Region.level, func.count()).group_by(Region.level)).all())


def test_the_shipped_list_has_38_provinces_and_514_regencies(session):
    # The test database is loaded from the shipped CSV once per run (conftest).
    assert count_by_level(session) == {"provinsi": 38, "kabupaten_kota": 514}
    assert session.get(Region, "35.78").name == "Kota Surabaya"
    assert session.get(Region, "35.78").parent_code == "35"


def test_load_twice_adds_nothing_the_second_time(runner, session):
    result = runner.invoke(cli, ["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "0 ditambahkan, 0 diperbarui" in result.output
    assert count_by_level(session) == {"provinsi": 38, "kabupaten_kota": 514}


def test_load_updates_a_renamed_region(runner, session, tmp_path):
    with bundled_csv().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["kode"] == "35.78":
            row["nama"] = "Kota Surabaya (baru)"
    path = tmp_path / "wilayah.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=rows[0].keys())
        writer.writeheader()
        writer.writerows(rows)
    result = runner.invoke(cli, ["regions", "load", str(path)])
    assert "0 ditambahkan, 1 diperbarui" in result.output
    session.expire_all()
    assert session.get(Region, "35.78").name == "Kota Surabaya (baru)"


def test_time_zone_follows_the_province():
    assert timezone_for("35.78") is WIB  # Surabaya
    assert timezone_for("61.71") is WIB  # Pontianak, Kalimantan Barat
    assert timezone_for("51.71") is WITA  # Denpasar
    assert timezone_for("73.71") is WITA  # Makassar
    assert timezone_for("91.71") is WIT  # Jayapura
    assert timezone_for("82") is WIT  # Maluku Utara
