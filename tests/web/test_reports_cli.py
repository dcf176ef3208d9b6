"""`suara report unit|scope|batch` and `suara export`, on the demo and the seeded data set."""

import csv
import subprocess

import openpyxl
import pytest

from survey.cli import cli
from survey.demo import load_demo
from survey.demo_data import UNITS
from survey.formatting import number
from tests.web.conftest import UNITS as DATASET_UNITS


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


@pytest.fixture
def demo(session):
    """Load the demo data set (21 units, three semesters) into the test's transaction."""
    load_demo(session)
    session.commit()


def invoke(runner, *args):
    result = runner.invoke(cli, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result


def test_unit_report_of_the_demo_prints_the_apis_figures(runner, client, demo, tmp_path):
    slug = "puskesmas-hamadi"  # the demo unit with a grade D element (U9)
    out = tmp_path / "hamadi.pdf"
    result = invoke(runner, "report", "unit", "--unit", slug, "--period", "2026-S1", "-o", out)
    assert str(out) in result.output
    api = client.get(f"/api/v1/units/{slug}/ikm?period=2026-S1").get_json()
    text = pdf_text(out)
    assert "Puskesmas Hamadi" in text and "Semester I 2026" in text
    assert f"IKM {number(api['ikm_konversi'])} · mutu {api['grade']}" in text
    for element in api["elements"]:
        assert f"{element['code']} {element['name']}" in text
    weakest = min(api["elements"], key=lambda e: e["nrr"])
    assert f"Unsur terlemah adalah {weakest['code']} {weakest['name']}" in text
    assert f"minimal {api['sample']['required']} responden" in text


def test_scope_report_and_batch_of_the_demo(runner, client, demo, tmp_path):
    invoke(runner, "report", "scope", "--scope", "national", "--period", "2026-S1",
           "-o", tmp_path / "nasional.pdf")
    text = pdf_text(tmp_path / "nasional.pdf")
    api = client.get("/api/v1/aggregate?scope=national&period=2026-S1&group_by=province"
                     ).get_json()
    for position, row in enumerate(api["rows"], start=1):
        assert f"{position} {row['name']} {number(row['ikm_konversi'])}" in text
    result = invoke(runner, "report", "batch", "--scope", "national", "--period", "2026-S1",
                    "--out", tmp_path / "batch", "--jobs", 1)
    files = sorted(path.name for path in (tmp_path / "batch").iterdir())
    regencies = sorted({spec.region_code for spec in UNITS})
    assert [name.split("-")[0] for name in files] == regencies  # one report per regency
    assert "35.78-kota-surabaya.pdf" in files and "5 laporan" in result.output
    surabaya = pdf_text(tmp_path / "batch" / "35.78-kota-surabaya.pdf")
    regency = client.get("/api/v1/aggregate?scope=region:35&period=2026-S1&group_by=regency"
                         ).get_json()["rows"][0]
    assert f"IKM {number(regency['ikm_konversi'])}" in surabaya and "Jawa Timur" in surabaya


def test_batch_renders_in_a_process_pool(runner, dataset, tmp_path):
    result = invoke(runner, "report", "batch", "--period", "2025", "--out", tmp_path,
                    "--jobs", 2, "--locale", "en")
    regencies = sorted({region for _, region, _ in DATASET_UNITS})
    assert sorted(path.name.split("-")[0] for path in tmp_path.iterdir()) == regencies
    assert "AGGREGATE REPORT" in pdf_text(next(tmp_path.glob("91.71-*.pdf")))
    assert "4 laporan" in result.output


def test_export_figures_and_responses(runner, client, dataset, tmp_path):
    invoke(runner, "export", "--scope", "region:35", "--period", "2025", "-o",
           tmp_path / "jatim.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "jatim.xlsx").active.iter_rows(
        values_only=True))
    total = next(row for row in rows if row[2] and str(row[2]).startswith("Keseluruhan"))
    api = client.get("/api/v1/aggregate?scope=region:35&period=2025&group_by=province"
                     ).get_json()["rows"][0]
    headings = next(row for row in rows if row[0] == "No")
    assert round(dict(zip(headings, total))["IKM konversi"], 2) == pytest.approx(
        api["ikm_konversi"])
    invoke(runner, "export", "--scope", "region:35", "--period", "2025", "--kind", "responses",
           "--suggestions", "-o", tmp_path / "jatim.csv")
    with open(tmp_path / "jatim.csv", encoding="utf-8-sig", newline="") as handle:
        answers = list(csv.DictReader(handle))
    assert len(answers) == api["respondents"] and "saran" in answers[0]


@pytest.mark.parametrize("args, message", [
    (["report", "unit", "--unit", "tidak-ada", "-o", "x.pdf"], "tidak ada unit layanan"),
    (["report", "scope", "--scope", "region:99", "-o", "x.pdf"], "tidak ditemukan"),
    (["report", "scope", "--period", "2025-S9", "-o", "x.pdf"], "tidak dikenal"),
    (["export", "-o", "x.pdf"], ".xlsx atau .csv"),
])
def test_bad_options_are_explained(runner, dataset, args, message):
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and message in result.output
