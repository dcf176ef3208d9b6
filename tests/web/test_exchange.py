"""Exchange of figures between servers: server A's units exported in a signed package and
imported by server B give, on B, exactly the figures of one server holding every answer
(server C): every statistic is a sum, so month rollups carry all a figure needs."""

import json
import re
import subprocess
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
import pytest
from werkzeug.serving import make_server
from sqlalchemy import func, select

from survey import db, instrument_figures, queries
from survey.auth.accounts import hash_password
from survey.demo_data import UNITS as DEMO_UNITS
from survey.exchange.signing import load_private, sign
from survey.models import (ExchangeSource, ExchangeUnit, Rollup, RollupStaff, UnitPopulation,
                           User)
from survey.periods import parse
from survey.reports.documents import unit_report
from survey.responses import default_questionnaire, insert_rows, response_values
from survey.scopes import NATIONAL, Scope
from tests.web.exchange_servers import UNITS, run, seed_demo, server

SLUGS = [slug for slug, *_ in UNITS]
ON_A, ON_B = SLUGS[0::2], SLUGS[1::2]
PERIODS = ("2025", "2025-S1", "2025-S2", "2025-Q2", "2025-03", "2025-12")
SCOPES = ("national", "region:35", "region:73")
TOKEN = "token-pertukaran-uji"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """Server A: half of the units, with a signing key and an exchange token."""
    with server(tmp_path_factory.mktemp("a"), "a", ON_A,
                SUARA_EXCHANGE_TOKENS=[TOKEN]) as app:
        app.public_key = run(app, "exchange", "keygen").stdout.strip()
        yield app


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """Server C: every unit's answers in one database, the figures to match."""
    with server(tmp_path_factory.mktemp("c"), "c", SLUGS) as app:
        yield app


@pytest.fixture
def receiver(tmp_path):
    """Server B: the other half of the units."""
    with server(tmp_path, "b", ON_B) as app:
        yield app


def export(app, out, first="2025-01", last="2025-12", scope="national"):
    result = run(app, "exchange", "export", "--scope", scope, "--from", first, "--to", last,
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def trust(app, public_key, name="Server A"):
    result = run(app, "exchange", "trust", "--name", name, "--public-key", public_key)
    assert result.exit_code == 0, result.output


def exact_sums(app, periods=PERIODS) -> dict:
    """Return every unit's and the nation's sufficient statistics of each period."""
    with app.app_context():
        session = db.session()
        return {(label, group_by): [(g.key, g.sums) for g in queries.aggregate(
                    session, NATIONAL, [parse(label)], group_by)]
                for label in periods for group_by in ("none", "unit", "province", "regency")}


def published(app, periods=PERIODS, scopes=SCOPES, slugs=SLUGS) -> dict:
    """Return the API's figures: rankings of each grouping and scope, and each unit's index
    (the integrity counts of raw rows aside: a package carries no raw rows)."""
    client, found = app.test_client(), {}
    for label in periods:
        for scope in scopes:
            for group_by in ("unit", "agency", "regency", "province"):
                rows = client.get(f"/api/v1/aggregate?scope={scope}&period={label}"
                                  f"&group_by={group_by}&elements=true").get_json()["rows"]
                if group_by == "agency":  # keyed by each server's own agency ids
                    rows = sorted(({**row, "key": None} for row in rows),
                                  key=lambda row: row["name"])
                found[label, scope, group_by] = rows
        for slug in slugs:
            unit = client.get(f"/api/v1/units/{slug}/ikm?period={label}").get_json()
            unit["unit"].pop("source")
            basis = unit.pop("integrity")
            found[label, slug] = unit, basis["counted"], basis["staff"], basis["staff_share"]
    return found


def instrument_sums(app, periods=PERIODS, slugs=SLUGS) -> dict:
    """Return each unit's SPKP/SPAK statistics of each period, by instrument and scale."""
    with app.app_context():
        session = db.session()
        return {(label, slug): instrument_figures.unit_sums(
                    session, queries.unit_by_slug(session, slug).id, parse(label))
                for label in periods for slug in slugs}


def rollup_rows(app) -> list:
    with app.app_context():
        return [tuple(row) for table in (Rollup.__table__, RollupStaff.__table__)
                for row in db.session().execute(select(table).order_by(*table.primary_key))]


def test_figures_of_two_servers_equal_those_of_one_holding_every_answer(
        source, whole, receiver, tmp_path):
    package = export(source, tmp_path / "a.json")
    trust(receiver, source.public_key)
    result = run(receiver, "exchange", "import", str(package))
    assert result.exit_code == 0, result.output
    assert "3 unit baru" in result.output  # ON_A: three units
    assert exact_sums(receiver) == exact_sums(whole)
    assert published(receiver) == published(whole)  # with each unit's IPKP and IPAK
    # SPKP and SPAK too (exchange_servers.seed stores both, SPKP on four and on six points).
    assert instrument_sums(receiver) == instrument_sums(whole)
    assert {scale for sums in instrument_sums(whole).values() for scale in sums} == {
        ("spkp", 4), ("spkp", 6), ("spak", 4)}
    # The received units have no raw answers: verify checks only B's own, and says so.
    verify = run(receiver, "rollups", "verify")
    assert verify.exit_code == 0, verify.output
    assert "3 unit dari server lain tidak diperiksa" in verify.output
    # A rebuild from raw answers leaves the received figures alone.
    assert run(receiver, "rollups", "rebuild").exit_code == 0
    assert exact_sums(receiver) == exact_sums(whole)


def test_the_api_names_the_source_of_a_received_unit(source, receiver, tmp_path):
    trust(receiver, source.public_key)
    assert run(receiver, "exchange", "import", str(export(source, tmp_path / "a.json"))
               ).exit_code == 0
    client = receiver.test_client()
    received = client.get(f"/api/v1/units/{ON_A[0]}/ikm?period=2025").get_json()
    local = client.get(f"/api/v1/units/{ON_B[0]}/ikm?period=2025").get_json()
    assert received["unit"]["source"] == "Server A" and local["unit"]["source"] is None


def _stored(app) -> tuple:
    with app.app_context():
        session = db.session()
        return (session.scalar(select(func.count()).select_from(ExchangeUnit)),
                rollup_rows(app))


def test_a_tampered_package_is_refused_and_nothing_is_stored(source, receiver, tmp_path):
    signed = json.loads(export(source, tmp_path / "a.json").read_text())
    signed["payload"]["units"][0]["months"][0]["all"]["s1"] += 1  # one answer a point better
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(signed))
    trust(receiver, source.public_key)
    before = _stored(receiver)
    result = run(receiver, "exchange", "import", str(tampered))
    assert result.exit_code == 1
    assert "tanda tangannya tidak cocok" in result.output
    assert "tidak ada yang disimpan" in result.output
    assert _stored(receiver) == before


def test_a_package_of_an_unregistered_key_is_refused(source, receiver, tmp_path):
    before = _stored(receiver)
    result = run(receiver, "exchange", "import", str(export(source, tmp_path / "a.json")))
    assert result.exit_code == 1 and "tidak terdaftar sebagai sumber tepercaya" in result.output
    assert _stored(receiver) == before


def test_importing_the_same_package_again_changes_nothing(source, receiver, tmp_path):
    package = export(source, tmp_path / "a.json")
    trust(receiver, source.public_key)
    assert run(receiver, "exchange", "import", str(package)).exit_code == 0
    before = _stored(receiver)
    again = run(receiver, "exchange", "import", str(package))
    assert again.exit_code == 0 and "0 bulan ditulis" in again.output
    assert _stored(receiver) == before  # the rows' update times too


def test_exported_packages_follow_the_published_schema(source, tmp_path):
    schema = json.loads((ROOT / "docs" / "exchange-package.schema.json").read_text())
    for scope, first, last in (("national", "2025-01", "2025-12"),
                               ("region:73", "2025-06", "2025-07"),
                               ("national", "2024-01", "2024-02")):  # the last: no answers
        package = json.loads(export(source, tmp_path / "p.json", first, last, scope).read_text())
        jsonschema.validate(package, schema, format_checker=jsonschema.FormatChecker())
    assert [unit["slug"] for unit in package["payload"]["units"]] == ON_A
    assert all(unit["months"] == [] for unit in package["payload"]["units"])


def test_a_newer_package_replaces_an_older_one_and_never_the_reverse(tmp_path, receiver):
    with server(tmp_path / "a2", "a2", ON_A[:1]) as origin:
        public = run(origin, "exchange", "keygen").stdout.strip()
        older = export(origin, tmp_path / "older.json")
        _add_answers(origin, ON_A[0], 7)  # seven more answers in March 2025
        newer = export(origin, tmp_path / "newer.json")
        trust(receiver, public)
        assert run(receiver, "exchange", "import", str(older)).exit_code == 0
        assert _march(receiver) == _march(origin) - 7
        assert run(receiver, "exchange", "import", str(newer)).exit_code == 0
        assert _march(receiver) == _march(origin)
        kept = run(receiver, "exchange", "import", str(older))
        assert kept.exit_code == 0 and "0 bulan ditulis" in kept.output
        assert _march(receiver) == _march(origin)
        assert exact_sums(receiver)[("2025", "unit")][:1] == exact_sums(origin)[("2025", "unit")]


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _add_answers(app, slug: str, count: int) -> None:
    with app.app_context():
        session = db.session()
        unit = queries.unit_by_slug(session, slug)
        questionnaire = default_questionnaire(session)
        insert_rows(session, [response_values(
            unit, questionnaire_id=questionnaire.id, channel="link", client_uuid=uuid.uuid4(),
            answers={f"U{i}": 4 for i in range(1, 10)},
            submitted_at=datetime(2025, 3, 10, 3, tzinfo=timezone.utc)) for _ in range(count)])
        session.commit()


def _march(app) -> int:
    """Return the respondents of the first unit of A in March 2025 (a month row)."""
    with app.app_context():
        rows = queries.aggregate(db.session(), Scope("unit", ON_A[0]), [parse("2025-03")])
        return rows[0].sums.n


def test_a_package_never_changes_a_unit_this_server_owns(source, tmp_path):
    with server(tmp_path / "b2", "b2", [ON_A[0], ON_B[0]]) as receiver:  # the same slug here
        before = exact_sums(receiver)
        trust(receiver, source.public_key)
        result = run(receiver, "exchange", "import", str(export(source, tmp_path / "a.json")))
        assert result.exit_code == 0 and "3 unit baru" in result.output
        after = exact_sums(receiver)
        own = dict(before["2025", "unit"])
        assert {key: sums for key, sums in after["2025", "unit"] if key in own} == own
        # The received namesake is a unit of its own, marked with its source's number.
        assert f"{ON_A[0]}-1" in dict(after["2025", "unit"])
        assert run(receiver, "rollups", "verify").exit_code == 0


def test_pull_fetches_a_package_from_the_source_servers_api(source, whole, receiver):
    with serving(source) as address:
        trust(receiver, source.public_key)
        refused = run(receiver, "exchange", "pull", "--source", "Server A", "--url", address,
                      "--token", "salah", "--from", "2025-01", "--to", "2025-12")
        assert refused.exit_code == 1 and "token pertukaran tidak sah" in refused.output
        pulled = run(receiver, "exchange", "pull", "--source", "Server A", "--url", address,
                     "--token", TOKEN, "--from", "2025-01", "--to", "2025-12")
    assert pulled.exit_code == 0, pulled.output
    assert exact_sums(receiver) == exact_sums(whole)


@contextmanager
def serving(app):
    """Serve an app over HTTP on a local port in a thread; yield its address."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join()


def test_pages_name_the_source_and_raw_answer_pages_stay_honest(source, receiver, tmp_path):
    trust(receiver, source.public_key)
    assert run(receiver, "exchange", "import", str(export(source, tmp_path / "a.json"))
               ).exit_code == 0
    client, slug = _signed_in_admin(receiver), ON_A[0]
    unit = client.get(f"/dasbor/unit/{slug}?period=2025")
    assert unit.status_code == 200
    assert "Sumber: Server A" in unit.text and "hanya angka ringkasan, tanpa saran" in unit.text
    ranking = client.get("/dasbor/?scope=national&period=2025&group_by=unit")
    assert ranking.status_code == 200 and ranking.text.count("(Sumber: Server A)") == 3
    # Pages over raw answers show what the server has of the unit (none), never an error.
    for address in (f"/dasbor/unit/{slug}/tinjauan", f"/hasil/{slug}",
                    f"/dasbor/unduh.csv?scope=unit:{slug}&period=2025&kind=responses"):
        assert client.get(address).status_code == 200, address


def test_an_admin_registers_and_removes_a_source_on_its_page(source, receiver, tmp_path):
    client = _signed_in_admin(receiver)
    page = client.get("/admin/exchange")
    assert page.status_code == 200 and "Belum ada server sumber" in page.text
    token = _csrf(page.text)
    bad = client.post("/admin/exchange/sources", data={
        "csrf_token": token, "name": "Server A", "public_key": "bukan-kunci"})
    assert bad.status_code == 400 and "kunci publik tidak sah" in bad.text
    added = client.post("/admin/exchange/sources", data={
        "csrf_token": token, "name": "Server A", "public_key": source.public_key},
        follow_redirects=True)
    assert added.status_code == 200 and "Sumber Server A terdaftar" in added.text
    package = export(source, tmp_path / "a.json")
    assert run(receiver, "exchange", "import", str(package)).exit_code == 0
    with receiver.app_context():
        source_id = db.session().scalar(select(ExchangeSource.id))
    removed = client.post(f"/admin/exchange/sources/{source_id}/revoke",
                          data={"csrf_token": token}, follow_redirects=True)
    assert removed.status_code == 200 and "tidak diterima lagi" in removed.text
    refused = run(receiver, "exchange", "import", str(package))
    assert refused.exit_code == 1 and "tidak terdaftar" in refused.output


def _signed_in_admin(app):
    with app.app_context():
        session = db.session()
        admin = User(email="admin@uji.go.id", name="Admin", role="admin",
                     password_hash=hash_password("kata-sandi-uji-123"))
        session.add(admin)
        session.commit()
        user_id, version = admin.id, admin.session_version
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["uid"], cookie["v"] = user_id, version
    return client


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]


def test_a_received_units_report_counts_its_respondents(source, whole, receiver, tmp_path):
    trust(receiver, source.public_key)
    assert run(receiver, "exchange", "import", str(export(source, tmp_path / "a.json"))
               ).exit_code == 0
    pdfs = {name: tmp_path / f"{name}.pdf" for name in ("received", "whole")}
    for app, name in ((receiver, "received"), (whole, "whole")):
        result = run(app, "report", "unit", "--unit", ON_A[0], "--period", "2025",
                     "-o", str(pdfs[name]))
        assert result.exit_code == 0, result.output
    assert pdfs["received"].read_bytes()[:5] == b"%PDF-"
    # The cover names the server the figures come from, in the report's language.
    english = tmp_path / "received-en.pdf"
    assert run(receiver, "report", "unit", "--unit", ON_A[0], "--period", "2025", "--locale",
               "en", "-o", str(english)).exit_code == 0
    assert "Sumber data: Server A (angka ringkasan)" in _pdf_text(pdfs["received"])
    assert "Data source: Server A (summary figures)" in _pdf_text(english)
    assert "Sumber data" not in _pdf_text(pdfs["whole"])
    found = {}
    for app, name in ((receiver, "received"), (whole, "whole")):
        with app.app_context():
            session = db.session()
            report = unit_report(session, queries.unit_by_slug(session, ON_A[0]), parse("2025"))
            found[name] = (report.index, report.elements, report.basis.counted,
                           report.basis.staff)
    assert found["received"] == found["whole"]


DEMO_SLUGS = [spec.slug for spec in DEMO_UNITS]
# The demo's half-years (survey/demo_data.py PERIODS), its first year, a month and a quarter.
DEMO_PERIODS = ("2025-S1", "2025-S2", "2026-S1", "2025", "2025-03", "2026-Q2")
DEMO_SCOPES = ("national", "region:35", "region:32", "region:73", "region:51", "region:91")


def test_the_demo_split_between_two_servers_gives_the_figures_of_one(tmp_path):
    """The demo's units alternately on A and B, A's package imported into B: every national,
    regional and unit figure on B equals that of C, which holds the whole demo."""
    with (server(tmp_path, "c", DEMO_SLUGS, load=seed_demo) as whole,
          server(tmp_path, "a", DEMO_SLUGS[0::2], load=seed_demo) as origin,
          server(tmp_path, "b", DEMO_SLUGS[1::2], load=seed_demo) as receiver):
        public = run(origin, "exchange", "keygen").stdout.strip()
        package = export(origin, tmp_path / "a.json", "2025-01", "2026-06")
        trust(receiver, public)
        result = run(receiver, "exchange", "import", str(package))
        assert result.exit_code == 0, result.output
        assert f"{len(DEMO_SLUGS[0::2])} unit baru" in result.output
        assert exact_sums(receiver, DEMO_PERIODS) == exact_sums(whole, DEMO_PERIODS)
        figures = published(receiver, DEMO_PERIODS, DEMO_SCOPES, DEMO_SLUGS)
        assert figures == published(whole, DEMO_PERIODS, DEMO_SCOPES, DEMO_SLUGS)
        # Sample adequacy compared above needs the population: a received unit has it.
        received = figures["2025-S1", DEMO_SLUGS[0]][0]["sample"]
        assert received["population"] is not None and received["adequate"] is not None


def _population(app, slug: str, label: str = "2025-S1") -> int | None:
    with app.app_context():
        session = db.session()
        return queries.population(session, queries.unit_by_slug(session, slug).id, label)


def _set_population(app, slug: str, population: int, label: str = "2025-S1") -> None:
    with app.app_context():
        session = db.session()
        session.get(UnitPopulation, (queries.unit_by_slug(session, slug).id, label)
                    ).population = population
        session.commit()


def _resigned(app, package, out, change) -> Path:
    """Write a package whose payload `change` altered, signed again by the app's key."""
    signed = json.loads(package.read_text())
    for unit in signed["payload"]["units"]:
        change(unit)
    key = load_private(Path(app.config["SUARA_EXCHANGE_KEY"]))
    out.write_text(json.dumps(sign(signed["payload"], key)))
    return out


def test_populations_travel_and_an_older_package_never_replaces_newer_ones(tmp_path, receiver):
    slug = DEMO_SLUGS[-1]
    with server(tmp_path / "a2", "a2", [slug], load=seed_demo) as origin:
        public = run(origin, "exchange", "keygen").stdout.strip()
        older = export(origin, tmp_path / "older.json", "2025-01", "2026-06")
        drawn = _population(origin, slug)  # as the demo drew it
        _set_population(origin, slug, drawn + 100)
        newer = export(origin, tmp_path / "newer.json", "2025-01", "2026-06")
        schema = json.loads((ROOT / "docs" / "exchange-package.schema.json").read_text())
        jsonschema.validate(json.loads(newer.read_text()), schema)
        # A package of format version 1 without populations is still read.
        bare = _resigned(origin, newer, tmp_path / "bare.json", lambda u: u.pop("populations"))
        wrong = _resigned(origin, newer, tmp_path / "wrong.json", lambda u: u.update(
            populations=[{"period": "2025-S3", "population": 5}]))
    trust(receiver, public)
    refused = run(receiver, "exchange", "import", str(wrong))
    assert refused.exit_code == 1 and "periode populasi unit" in refused.output
    assert run(receiver, "exchange", "import", str(older)).exit_code == 0
    assert _population(receiver, slug) == drawn
    assert _population(receiver, slug, "2026-S1") is not None
    assert run(receiver, "exchange", "import", str(newer)).exit_code == 0
    assert _population(receiver, slug) == drawn + 100
    assert run(receiver, "exchange", "import", str(older)).exit_code == 0
    assert _population(receiver, slug) == drawn + 100
    assert run(receiver, "exchange", "import", str(bare)).exit_code == 0
    assert _population(receiver, slug) == drawn + 100
